import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedDocument } from '../analysis/documents/parsedDocument';
import type { Finding } from '../analysis/findings';
import type { Analysis } from '../analysis/engine/analysis';
import type { OpenDocuments } from './openDocuments';
import { inBatches, withParses, type ParseWorkerClient } from './parseWorkerClient';
import { BACKGROUND_SLICE_MS, REQUESTS } from './requestGate';

/** Files with fewer documents left to parse are analysed in one go: one publish, no added delay. */
export const MIN_STAGED_DOCUMENTS = 300;
/** Partial findings go out after the first slice, then every this long (each publish re-sends the whole list). */
export const PARTIAL_PUBLISH_MS = 500;

/** A document whose parse holds requests up noticeably (≈ 20 ms and more): parsed on the worker after an edit. */
export const LARGE_DOCUMENT_CHARS = 32 * 1024;

/** How often a run waiting for the worker looks for new work. */
const POLL_MS = 10;

export type StagingOutcome = 'parsed' | 'interrupted';

/** Publishes a version's partial findings (the publisher filters, converts, checks the version and dedupes). */
export type PartialPublisher = (uri: string, version: number, findings: readonly Finding[]) => Promise<void>;

/**
 * The first analysis of a large file, in slices: its documents are parsed ~15 ms at a time with a turn of the event
 * loop in between, so completion, hover and the rest are answered meanwhile (a request that needs the file sets it
 * at once, reusing every parse made so far). After the first slice, and every half second, the document-local findings
 * of the documents parsed so far are published with the version: they are final for those documents; workspace
 * findings wait for the full publish, since a rule over part of the file could report what the rest disproves.
 */
export class StagedAnalysis {
  /** Per file, the version last published partially and when. */
  private readonly sincePublish = new Map<string, { readonly version: number; readonly at: number }>();

  constructor(
    private readonly project: Analysis,
    private readonly open: OpenDocuments,
    private readonly publishPartial: PartialPublisher,
    /** Whether new work is waiting (an edit, another file): the staging then stops, to resume in the next run. */
    private readonly interrupted: () => boolean,
    private readonly parser?: ParseWorkerClient,
  ) {}

  /** Parses `uri`'s open version in slices when it has many documents left to parse; `parsed` once none are left. */
  async parse(uri: string): Promise<StagingOutcome> {
    const document = this.open.documents.get(uri);
    if (!document) return 'parsed';
    const version = document.version;
    const text = document.getText();
    // Over the size limit the file is skipped, never parsed (OpenDocuments decides).
    if (text.length > this.open.maxBytes) return 'parsed';
    const planned = this.project.parseProgress(uri, text);
    if (planned.total === planned.ready) return 'parsed';
    if (planned.total - planned.ready < MIN_STAGED_DOCUMENTS) return this.parseLargeElsewhere(uri, text, version);
    this.parseFromTheEnd(uri, text);
    for (;;) {
      const deadline = performance.now() + BACKGROUND_SLICE_MS;
      const progress = this.project.parseAhead(uri, text, () => performance.now() >= deadline);
      if (progress.ready === progress.total) {
        this.sincePublish.delete(uri);
        return 'parsed';
      }
      if (this.publishDue(uri, version)) await this.publishPartial(uri, version, this.project.partialFindings(uri, text));
      await REQUESTS.turn();
      if (this.interrupted() || this.open.documents.get(uri)?.version !== version) return 'interrupted';
    }
  }

  forget(uri: string): void {
    this.sincePublish.delete(uri);
    this.sentToWorker.delete(uri);
  }

  /**
   * A few documents to parse, one of them large (an edit in a 200 KB document re-parses all of it): the large ones
   * (a batch of them) are parsed on the worker while requests are answered here from the document under the cursor; `interrupted`
   * when new work arrives first (the next run asks again).
   */
  private async parseLargeElsewhere(uri: string, text: string, version: number): Promise<StagingOutcome> {
    if (!this.parser?.available) return 'parsed';
    const large = this.project.unparsedDocuments(uri, text).filter((d) => d.text.length >= LARGE_DOCUMENT_CHARS);
    const batch = inBatches(large)[0];
    if (!batch) return 'parsed';
    const current = (): boolean => this.open.documents.get(uri)?.version === version;
    const replied = this.parser.parse(
      batch.map((d) => d.text),
      { urgent: true, wanted: current },
    );
    let docs: readonly ParsedDocument[] | undefined;
    const answered = replied.then((d) => {
      docs = d;
      return true;
    });
    // New work ends the wait: the next run asks again, for the newer text.
    while (!(await Promise.race([answered, sleep(POLL_MS).then(() => false)]))) {
      if (this.interrupted() || !current()) return 'interrupted';
    }
    if (docs) this.project.supplyParsed(uri, text, withParses(batch, docs));
    return 'parsed';
  }

  /** Per file, the text whose documents were sent to the worker (once per version). */
  private readonly sentToWorker = new Map<string, string>();

  /**
   * Has the worker thread parse the file from its last document up while this thread parses from its first down:
   * they meet about halfway, and the parses of either serve the slices (`supplyParsed`).
   */
  private parseFromTheEnd(uri: string, text: string): void {
    if (!this.parser?.available || this.sentToWorker.get(uri) === text) return;
    this.sentToWorker.set(uri, text);
    const current = (): boolean => this.open.documents.get(uri)?.getText() === text;
    for (const batch of inBatches(this.project.unparsedDocuments(uri, text)).reverse()) {
      // Once this thread has parsed down to a batch, the worker need not.
      const wanted = (): boolean => current() && batch.some((d) => !this.project.isParsed(uri, text, d.index));
      void this.parser
        .parse(
          batch.map((d) => d.text),
          { urgent: true, wanted },
        )
        .then((docs) => {
          if (!docs || !current()) return;
          this.project.supplyParsed(uri, text, withParses(batch, docs));
        });
    }
  }

  private publishDue(uri: string, version: number): boolean {
    const last = this.sincePublish.get(uri);
    const now = performance.now();
    if (last && last.version === version && now - last.at < PARTIAL_PUBLISH_MS) return false;
    this.sincePublish.set(uri, { version, at: now });
    return true;
  }
}
