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

/**
 * Parses document texts on a worker thread (`parseWorker.ts`). The thread starts on first use; when it cannot start
 * or fails, every answer is undefined from then on and callers parse on their own thread, as before the worker.
 */
export class ParseWorkerClient {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether parses can be asked for (the thread runs or can start). */
  get available(): boolean {
    return !this.broken && existsSync(this.script);
  }

  /** The parses of `texts` in order, or undefined when the worker is not available (the caller parses). */
  parse(texts: readonly string[]): Promise<readonly ParsedDocument[] | undefined> {
    const worker = this.started();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve });
      const request: ParseRequest = { id, texts };
      worker.postMessage(request);
    });
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
      const worker = new Worker(this.script);
      // An idle worker must not keep the server's process alive once the editor has gone.
      worker.unref();
      worker.on('message', (reply: ParseReply) => this.answer(reply));
      worker.on('error', (error) => this.fail(`parse worker failed: ${error.message}`));
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
    waiting?.resolve(reply.docs);
  }

  private fail(message: string): void {
    this.log(message);
    this.broken = true;
    this.worker = undefined;
    this.failAll();
  }

  private failAll(): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.resolve(undefined);
  }
}
