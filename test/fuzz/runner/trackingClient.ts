/**
 * The document side of the fuzz client: the texts the editor holds at each version, the changes it sends, and a check
 * of every diagnostics publication against the text of the version it names.
 */
import { DidChangeTextDocumentNotification, PublishDiagnosticsNotification, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LspTestClient } from '../../support/lspClient';
import { lineLengths, RefDocument, type Edit } from '../generate';
import { diagnosticProblem } from './answerChecks';
import { oneLine, type Failure } from './failures';
import { lineBreakClass, problemClass } from './geometry';
import { rssOf, type Rss } from './processes';

/** One `didChange`'s content changes. */
export type Batch = readonly TextDocumentContentChangeEvent[];

/** How a document came to its current text: what was opened, then every `didChange` in order. */
export interface EditHistory {
  readonly initial: string;
  readonly batches: readonly Batch[];
}

interface Tracked {
  /** The text as an editor holds it (the reference the checks use). */
  readonly doc: RefDocument;
  /**
   * The same changes applied with vscode-languageserver-textdocument, which the server's `TextDocuments` uses: when it
   * disagrees with the reference, the server probably holds another text than the editor. That is not a failure by
   * itself (the server may guard against it); the document is then checked differentially, and its failures are
   * marked `:lib-diverged`.
   */
  readonly lib: TextDocument;
  diverged: string | undefined;
  readonly initial: string;
  readonly batches: Batch[];
  /** Texts of the versions the server may still publish diagnostics for (pruned at each sync point). */
  readonly history: Map<number, string>;
  /** For each version in `history`, the message sequence number it was sent with. */
  readonly sentAt: Map<number, number>;
  closing: boolean;
  /** Sequence number of the didClose (Infinity while open). */
  closedAt: number;
}

export interface Counters {
  requests: number;
  diagnostics: number;
  publications: number;
}

/** The half of `FuzzClient` that sends no requests: document tracking and the check of publications. */
export abstract class TrackingClient {
  protected readonly tracked = new Map<string, Tracked>();
  /** URIs whose publications are not checked (protocol-misuse cases that break version tracking on purpose). */
  readonly ignored = new Set<string>();
  protected pending: Failure[] = [];
  private readonly waiters: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly counters: Counters = { requests: 0, diagnostics: 0, publications: 0 };
  /** The last protocol events (sent changes, publications, answers, prunes), for failure reports. */
  private readonly trace: string[] = [];
  protected note(event: string): void {
    this.trace.push(`${Date.now() % 100_000} ${event}`);
    if (this.trace.length > 30) this.trace.shift();
  }

  /** Called with every checked publication and the text of the version it names. */
  readonly observers: ((p: PublishDiagnosticsParams, text: string) => void)[] = [];

  protected constructor(
    readonly lsp: LspTestClient,
    readonly pid: number | undefined,
  ) {
    lsp.connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.onDiagnostics(p));
  }

  get alive(): boolean {
    return this.lsp.alive;
  }

  rss(): Rss | undefined {
    return rssOf(this.pid);
  }

  text(uri: string): string | undefined {
    return this.tracked.get(uri)?.doc.getText();
  }

  document(uri: string): RefDocument | undefined {
    return this.tracked.get(uri)?.doc;
  }

  openUris(): string[] {
    return [...this.tracked].filter(([, t]) => !t.closing).map(([uri]) => uri);
  }

  private entry(uri: string, text: string, version: number): Tracked {
    return {
      doc: new RefDocument(uri, version, text),
      lib: TextDocument.create(uri, 'yaml', version, text),
      diverged: undefined,
      initial: text,
      batches: [],
      history: new Map([[version, text]]),
      sentAt: new Map([[version, ++this.seq]]),
      closing: false,
      closedAt: Number.POSITIVE_INFINITY,
    };
  }

  async open(uri: string, text: string): Promise<void> {
    this.tracked.set(uri, this.entry(uri, text, 1));
    await this.lsp.open(uri, text);
  }

  /**
   * One `didChange` carrying `count` incremental (or full) changes, each made by `next` from the text the previous
   * one left, applied client-side to the reference text and to the library's copy.
   */
  async change(uri: string, count: number, next: (doc: RefDocument) => Edit): Promise<number> {
    const t = this.tracked.get(uri);
    if (!t) throw new Error(`change of an untracked document ${uri}`);
    const changes: TextDocumentContentChangeEvent[] = [];
    for (let i = 0; i < count; i++) {
      const edit = next(t.doc);
      const change: TextDocumentContentChangeEvent = edit.kind === 'full' ? { text: edit.text } : { range: edit.range, text: edit.text };
      this.applyLocally(uri, t, change);
      changes.push(change);
    }
    return this.send(uri, t, changes);
  }

  /** One `didChange` with these content changes (a replay), applied client-side too. */
  async changeWith(uri: string, changes: Batch): Promise<number> {
    const t = this.tracked.get(uri);
    if (!t) throw new Error(`change of an untracked document ${uri}`);
    for (const change of changes) this.applyLocally(uri, t, change);
    return this.send(uri, t, changes);
  }

  private applyLocally(uri: string, t: Tracked, change: TextDocumentContentChangeEvent): void {
    t.doc.apply(change);
    TextDocument.update(t.lib, [change], t.lib.version);
    if (!t.diverged && t.lib.getText() !== t.doc.getText()) {
      const lib = t.lib.getText();
      const ref = t.doc.getText();
      let at = 0;
      while (at < lib.length && lib.charCodeAt(at) === ref.charCodeAt(at)) at++;
      t.diverged =
        `after the change ${oneLine(JSON.stringify(change), 200)}, vscode-languageserver-textdocument (the server's TextDocuments) ` +
        `holds another text than the editor from offset ${at} (${lib.length} vs ${ref.length} characters; its lineCount ${t.lib.lineCount}, actual ${t.doc.lineCount})`;
      this.note(`lib diverged on ${uri.replace(/.*\//, '')}`);
    }
  }

  /** Whether the text library applied the changes to `uri` differently from the reference (see `Tracked.lib`). */
  diverged(uri: string): boolean {
    return this.tracked.get(uri)?.diverged !== undefined;
  }

  /** Failures on a document the text library diverged on are marked, and say how it diverged. */
  protected markDiverged(failures: Failure[]): Failure[] {
    return failures.map((f) => {
      const how = f.uri ? this.tracked.get(f.uri)?.diverged : undefined;
      return how && !f.signature.endsWith(':lib-diverged') ? { ...f, signature: `${f.signature}:lib-diverged`, detail: `${f.detail} [${how}]` } : f;
    });
  }

  private async send(uri: string, t: Tracked, changes: Batch): Promise<number> {
    const version = t.doc.version + 1;
    t.doc.version = version;
    TextDocument.update(t.lib, [], version);
    t.history.set(version, t.doc.getText());
    t.sentAt.set(version, ++this.seq);
    t.batches.push(changes);
    this.note(`change ${uri.replace(/.*\//, '')} v${version}`);
    await this.lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [...changes] });
    return version;
  }

  history(uri: string): EditHistory | undefined {
    const t = this.tracked.get(uri);
    return t && { initial: t.initial, batches: [...t.batches] };
  }

  async close(uri: string): Promise<void> {
    const t = this.tracked.get(uri);
    if (t) {
      t.closing = true;
      t.closedAt = ++this.seq;
    }
    await this.lsp.close(uri);
  }

  /** The diagnostics published next for `version` of `uri` (undefined after `ms`). */
  waitForPublication(uri: string, version: number, ms: number): Promise<PublishDiagnosticsParams | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(undefined);
        }
      }, ms);
      const waiter = {
        uri,
        version,
        resolve: (p: PublishDiagnosticsParams) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Tracks `uri` from now on as holding `text` at `version`, whatever was sent before (after protocol misuse that
   * broke the version tracking). Call it once a request sent after the last change has been answered.
   */
  adopt(uri: string, text: string, version: number): void {
    this.ignored.delete(uri);
    this.tracked.set(uri, this.entry(uri, text, version));
  }

  private fail(failure: Failure): void {
    this.pending.push(failure);
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    this.counters.publications++;
    this.note(`publish ${p.uri.replace(/.*\//, '')} v${String(p.version)} (${p.diagnostics.length})`);
    this.counters.diagnostics += p.diagnostics.length;
    for (const w of [...this.waiters]) {
      if (w.uri === p.uri && w.version === p.version) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
    if (this.ignored.has(p.uri)) return;
    const t = this.tracked.get(p.uri);
    if (!t) {
      if (p.diagnostics.length) {
        this.fail({ kind: 'diagnostics-closed', signature: 'diagnostics-closed', detail: `${p.diagnostics.length} diagnostics published for ${p.uri}, which is not open`, uri: p.uri });
      }
      return;
    }
    const version = p.version ?? undefined;
    const text = version === undefined ? t.doc.getText() : t.history.get(version);
    if (text === undefined) {
      this.fail({
        kind: 'diagnostic-version',
        signature: 'diagnostic-version',
        detail: `diagnostics published for version ${String(version)} of ${p.uri}, which the client never sent or had superseded before its last answered request (current ${t.doc.version}, kept ${[...t.history.keys()].join(',')}); last events: ${this.trace.join(' | ')}`,
        uri: p.uri,
        text: t.doc.getText(),
      });
      return;
    }
    for (const observe of this.observers) observe(p, text);
    if (!p.diagnostics.length) return;
    const g = lineLengths(text);
    const reported = new Set<string>();
    for (const d of p.diagnostics) {
      const problem = diagnosticProblem(d, p.uri, g);
      const key = problem && `${String(d.code ?? '?')}:${problemClass(problem)}`;
      if (problem && key && !reported.has(key)) {
        reported.add(key);
        this.fail({
          kind: 'diagnostic-range',
          signature: `diagnostic-range:${String(d.code ?? '?')}:${problemClass(problem)}${lineBreakClass(text)}`,
          detail: `${String(d.code ?? '?')} "${oneLine(typeof d.message === 'string' ? d.message : d.message.value, 120)}" on version ${String(version)}: ${problem}`,
          uri: p.uri,
          text,
          ...(version !== undefined ? { version } : {}),
        });
      }
    }
  }

  /** Messages sent so far (changes, opens, closes), numbered; `answeredUpTo` is the last one a request followed. */
  protected seq = 0;
  protected answeredUpTo = 0;

  /**
   * Once a request sent after message N is answered, the server has processed everything up to N: for each document
   * only the newest version sent by then (and later ones) can still be named by a publication; a document closed by
   * then publishes nothing more.
   */
  protected sync(): void {
    this.note(`prune up to #${this.answeredUpTo}`);
    for (const [uri, t] of this.tracked) {
      if (t.closedAt <= this.answeredUpTo) {
        this.tracked.delete(uri);
        continue;
      }
      let fence: number | undefined;
      for (const [version, at] of t.sentAt) if (at <= this.answeredUpTo && (fence === undefined || version > fence)) fence = version;
      if (fence === undefined) continue;
      for (const version of [...t.history.keys()]) {
        if (version < fence) {
          t.history.delete(version);
          t.sentAt.delete(version);
        }
      }
    }
  }
}
