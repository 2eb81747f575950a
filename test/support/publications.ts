import { performance } from 'node:perf_hooks';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { ServerGone, StepTimeout } from './bounded';

/** One `textDocument/publishDiagnostics`, with when it came. */
export interface Publication extends PublishDiagnosticsParams {
  /** performance.now() when the notification was read. */
  readonly at: number;
  /** Order of arrival over all documents; a wait can ask for publications after a given one. */
  readonly seq: number;
}

interface Waiter {
  readonly uri: string;
  readonly afterSeq: number;
  readonly accept: (p: Publication) => boolean;
  readonly resolve: (p: Publication) => void;
  readonly reject: (e: Error) => void;
}

/** Every diagnostics publication of one server, in order of arrival, and the waits for those still to come. */
export class Publications {
  private readonly byUri = new Map<string, Publication[]>();
  private readonly waiters: Waiter[] = [];
  private seq = 0;

  /** `gone` says whether the server has exited, so that a wait on a dead server fails at once. */
  constructor(private readonly gone: () => ServerGone | undefined) {}

  /** The `seq` of the last publication received. */
  get lastSeq(): number {
    return this.seq;
  }

  of(uri: string): readonly Publication[] {
    return this.byUri.get(uri) ?? [];
  }

  add(params: PublishDiagnosticsParams): void {
    const publication: Publication = { ...params, at: performance.now(), seq: ++this.seq };
    const list = this.byUri.get(params.uri) ?? [];
    list.push(publication);
    this.byUri.set(params.uri, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.uri === publication.uri && publication.seq > waiter.afterSeq && waiter.accept(publication)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(publication);
      }
    }
  }

  /** The first publication for `uri` after `afterSeq` that `accept` takes, already here or still to come. */
  waitFor(uri: string, afterSeq: number, accept: (p: Publication) => boolean, timeoutMs: number): Promise<Publication> {
    const seen = this.of(uri).find((p) => p.seq > afterSeq && accept(p));
    if (seen) return Promise.resolve(seen);
    const gone = this.gone();
    if (gone) return Promise.reject(gone);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(new StepTimeout(`diagnostics for ${uri}`, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = {
        uri,
        afterSeq,
        accept,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Ends every pending wait with `error` (the server exited or was stopped). */
  failWaits(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}
