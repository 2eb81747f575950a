import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParsedDocument } from '../analysis/documents/parsedDocument';
import type { ParseReply, ParseRequest } from './parseMessages';

/** The worker's script, built beside the server's bundle (esbuild.js). */
export const PARSE_WORKER_SCRIPT = path.join(__dirname, 'parseWorker.js');

interface Waiting {
  readonly resolve: (docs: readonly ParsedDocument[] | undefined) => void;
}

interface Queued extends Waiting {
  readonly texts: readonly string[];
  readonly wanted: () => boolean;
}

/**
 * The worker's heap limit, against a runaway parse. Should a batch need more, the worker stops, the batch is parsed by
 * the caller, and a new worker takes the next batch (up to MAX_RESTARTS times).
 */
const WORKER_OLD_GENERATION_MB = 512;
const MAX_RESTARTS = 3;

/** Batches at the worker at once: one being parsed, one waiting, so it never idles while a reply is taken in. */
const IN_FLIGHT = 2;

/** At most this many documents, or characters, per batch: a reply is taken in on the server's thread in one go. */
const BATCH_DOCUMENTS = 100;
const BATCH_CHARS = 128 * 1024;

/** Documents larger than this stay with the caller: their parse alone could exceed the worker's heap. */
export const MAX_WORKER_DOCUMENT_CHARS = 1024 * 1024;

/** The documents of a batch with the worker's parses of them (same order), for `Analysis.supplyParsed`. */
export function withParses(batch: readonly { readonly index: number }[], docs: readonly ParsedDocument[]): { index: number; doc: ParsedDocument }[] {
  return batch.flatMap((d, j) => {
    const doc = docs[j];
    return doc ? [{ index: d.index, doc }] : [];
  });
}

/** Documents to parse, in batches for the worker; those above MAX_WORKER_DOCUMENT_CHARS are left out. */
export function inBatches<T extends { readonly text: string }>(documents: readonly T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let chars = 0;
  for (const document of documents) {
    if (document.text.length > MAX_WORKER_DOCUMENT_CHARS) continue;
    if (batch.length && (batch.length >= BATCH_DOCUMENTS || chars + document.text.length > BATCH_CHARS)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(document);
    chars += document.text.length;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/**
 * Parses document texts on a worker thread (`parseWorker.ts`). The thread starts on first use; when it cannot start
 * or fails, every answer is undefined from then on and callers parse on their own thread, as before the worker.
 */
export class ParseWorkerClient {
  private worker: Worker | undefined;
  private broken = false;
  private restarts = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Batches not sent yet: an open document's (`urgent`) go before the indexer's. */
  private readonly urgent: Queued[] = [];
  private readonly background: Queued[] = [];

  constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
    private readonly heapLimitMb = WORKER_OLD_GENERATION_MB,
  ) {}

  /** Whether parses can be asked for (the thread runs or can start). */
  get available(): boolean {
    return !this.broken && existsSync(this.script);
  }

  /**
   * The parses of `texts` in order, or undefined when the worker is not available (the caller parses) or, when the
   * batch's turn comes, `wanted()` says it no longer is. `urgent` batches (an open document's) go first.
   */
  parse(texts: readonly string[], { urgent = false, wanted = () => true }: { urgent?: boolean; wanted?: () => boolean } = {}): Promise<readonly ParsedDocument[] | undefined> {
    if (!this.started()) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      (urgent ? this.urgent : this.background).push({ texts, wanted, resolve });
      this.sendNext();
    });
  }

  private sendNext(): void {
    while (this.started() && this.worker && this.waiting.size < IN_FLIGHT) {
      const next = this.urgent.shift() ?? this.background.shift();
      if (!next) return;
      if (!next.wanted()) {
        next.resolve(undefined);
        continue;
      }
      const id = this.nextId++;
      this.waiting.set(id, next);
      const request: ParseRequest = { id, texts: next.texts };
      this.worker.postMessage(request);
    }
  }

  /** Stops the thread; pending parses answer undefined. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.broken = true;
    this.failAll();
    void worker?.terminate();
  }

  private started(): Worker | undefined {
    if (this.worker) return this.worker;
    if (!this.available) return undefined;
    try {
      const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb } });
      // An idle worker must not keep the server's process alive once the editor has gone.
      worker.unref();
      worker.on('message', (reply: ParseReply) => this.answer(reply));
      worker.on('error', (error) => {
        if (this.worker !== worker) return;
        if (isOutOfMemory(error) && this.restarts < MAX_RESTARTS) {
          // One batch too large for the worker's heap: it is parsed by the caller, the next goes to a new worker.
          this.restarts++;
          this.log(`parse worker stopped at its memory limit (${this.heapLimitMb} MB); that batch is parsed on the server's thread`);
          this.worker = undefined;
          const inFlight = [...this.waiting.values()];
          this.waiting.clear();
          for (const w of inFlight) w.resolve(undefined);
          this.sendNext();
          return;
        }
        this.fail(`parse worker failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.fail(`parse worker exited (${code})`);
      });
      this.worker = worker;
      return worker;
    } catch (error) {
      this.fail(`parse worker did not start: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private answer(reply: ParseReply): void {
    const waiting = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (reply.error !== undefined) this.log(`parse worker: ${reply.error}`);
    this.sendNext();
    waiting?.resolve(reply.docs);
  }

  private fail(message: string): void {
    this.log(message);
    this.broken = true;
    this.worker = undefined;
    this.failAll();
  }

  private failAll(): void {
    const waiting = [...this.waiting.values(), ...this.urgent.splice(0), ...this.background.splice(0)];
    this.waiting.clear();
    for (const w of waiting) w.resolve(undefined);
  }
}

/** Whether a worker stopped because its heap reached `resourceLimits` (Node's ERR_WORKER_OUT_OF_MEMORY). */
function isOutOfMemory(error: Error): boolean {
  return 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
}
