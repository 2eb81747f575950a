/**
 * Drives the BUILT language server (`dist/server.js --stdio`) with generated documents and edits, checks it after
 * each step, and shrinks any failing input to a small regression file.
 *
 * Checks: the process is alive; every request is answered within a bound and not with an internal error; every
 * published diagnostic range (and every range in a request's answer) lies inside the document as the client has it
 * at that version (line geometry as LSP defines it: `\n`, `\r\n` and `\r` end lines); no exception text reaches the
 * server's log; nothing is written to stderr.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  InsertReplaceEdit,
  PublishDiagnosticsNotification,
  ResponseError,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type SymbolInformation,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient } from '../support/lspClient';
import {
  DEFAULT_GEN,
  decodeWtf8,
  EditGenerator,
  encodeWtf8,
  generateDocument,
  lineLengths,
  Random,
  RefDocument,
  type DocView,
  type CorpusFile,
  type Edit,
  type GenOptions,
} from './generate';

export const REQUEST_TIMEOUT_MS = 5000;

/**
 * The time a request on a document of this size gets: 5 s, plus 40 ms per KiB. A 200 KiB single-line document takes
 * seconds per request on a busy 2-core machine (yaml-language-server parses it for symbols and folding); slowness there
 * is a benchmark's concern, a hang or a crash is the fuzzer's, and a hang still shows as no answer at all.
 */
export function requestLimitMs(text: string | undefined): number {
  return REQUEST_TIMEOUT_MS + Math.ceil((text?.length ?? 0) / 1024) * 40;
}
/** After a timeout, how long the server gets to answer again before it counts as hung. */
export const HANG_GRACE_MS = 30_000;
/** Log lines that mean an exception reached a handler (ours: `… failed:`, `uncaught`, `unhandled`; jsonrpc's own). */
export const LOG_FAILURE = /failed:|failed with message|failed unexpectedly|uncaught|unhandled/i;
export const REGRESSIONS_DIR = path.join(__dirname, 'regressions');
const REGRESSION_HEADER = '# fuzz-regression:';

// ---------------------------------------------------------------------------------------------------------------
// Failures

export type FailureKind =
  | 'crash'
  | 'timeout'
  | 'error-response'
  | 'diagnostic-range'
  | 'diagnostic-version'
  | 'diagnostics-closed'
  | 'result-range'
  | 'log'
  | 'stderr'
  | 'divergence';

export interface Failure {
  readonly kind: FailureKind;
  /** Stable across inputs: what the shrinker must keep reproducing. */
  readonly signature: string;
  readonly detail: string;
  readonly uri?: string;
  /** The document text the failure was observed on. */
  readonly text?: string;
  readonly position?: Position;
  /** The document version a publication named. */
  readonly version?: number;
}

function normalizeMessage(message: string): string {
  const first = message.split(/\r?\n/)[0] ?? '';
  return first
    .replace(/'[^']*'|"[^"]*"/g, 'Q')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ⏎ ').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '?');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry checks

export type Geometry = readonly number[];

function positionProblem(p: Position | undefined, g: Geometry, what: string): string | undefined {
  if (!p || typeof p.line !== 'number' || typeof p.character !== 'number') return `${what} is not a position`;
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `${what} ${p.line}:${p.character} is not integral`;
  if (p.line < 0 || p.character < 0) return `${what} ${p.line}:${p.character} is negative`;
  const length = g[p.line];
  if (length === undefined) return `${what} ${p.line}:${p.character} is past the last line (${g.length} lines)`;
  if (p.character > length) return `${what} ${p.line}:${p.character} is past the end of its line (${length} characters)`;
  return undefined;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

export function rangeProblem(r: Range | undefined, g: Geometry, what = 'range'): string | undefined {
  if (!r) return `${what} is missing`;
  const problem = positionProblem(r.start, g, `${what} start`) ?? positionProblem(r.end, g, `${what} end`);
  if (problem) return problem;
  if (!before(r.start, r.end)) return `${what} ${fmtRange(r)} ends before it starts`;
  return undefined;
}

/** The class of a problem, for failure signatures: what the shrinker keeps and what distinct failures are. */
export function problemClass(problem: string): string {
  if (/ends before it starts/.test(problem)) return 'reversed';
  if (/is not inside range/.test(problem)) return 'selection-outside-range';
  if (/empty name/.test(problem)) return 'empty-name';
  if (/spans lines/.test(problem)) return 'multi-line-edit';
  if (/does not hold the position/.test(problem)) return 'edit-misses-position';
  return 'outside-document';
}

/**
 * Texts with line breaks other than `\n` and `\r\n` (a lone `\r`, which LSP counts as a line break) get their own
 * signatures, so that a failure they cause does not hide the same symptom from another cause.
 */
export function lineBreakClass(text: string): string {
  return /\r(?!\n)/.test(text) ? ':lone-CR' : '';
}

/** Requests at positions past the end (valid input: LSP clamps them) get their own signatures, like lone CRs. */
export function positionClass(p: Position, g: Geometry): string {
  if (p.line < 0 || p.character < 0) return ':at-negative';
  const length = g[p.line];
  if (length === undefined) return ':at-past-document-end';
  return p.character > length ? ':at-past-line-end' : '';
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function fmtRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function isValidPosition(p: Position, g: Geometry): boolean {
  return positionProblem(p, g, 'p') === undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

function childPids(): Set<number> {
  try {
    const raw = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    return new Set(raw.split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return new Set();
  }
}

export interface Rss {
  readonly rssKb: number;
  readonly peakKb: number;
}

export function rssOf(pid: number | undefined): Rss | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    const peak = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return rss && peak ? { rssKb: Number(rss), peakKb: Number(peak) } : undefined;
  } catch {
    return undefined;
  }
}

class Timeout extends Error {}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`${what} not answered within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The client side: LspTestClient plus document tracking and checks

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

export interface CheckPlan {
  /** Random positions per document for completion and hover. */
  readonly positions: number;
  readonly symbols: boolean;
  readonly folding: boolean;
  readonly codeActions: boolean;
  /**
   * Differential: a fresh copy of the current text, opened under another URI, must get the same symbols and folding
   * ranges as the edited document (an incremental-state bug, a stale cache or a different text on the server shows).
   */
  readonly differential?: boolean;
}

export const FULL_CHECK: CheckPlan = { positions: 2, symbols: true, folding: true, codeActions: true, differential: true };

type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * An `LspTestClient` whose diagnostics handler is replaced by one that checks every publication as it arrives
 * against the text of the version it names (the client's own collection of diagnostics is not used).
 */
export class FuzzClient {
  private readonly tracked = new Map<string, Tracked>();
  /** URIs whose publications are not checked (protocol-misuse cases that break version tracking on purpose). */
  readonly ignored = new Set<string>();
  private pending: Failure[] = [];
  private logsSeen = 0;
  private stderrSeen = 0;
  private readonly waiters: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly counters: Counters = { requests: 0, diagnostics: 0, publications: 0 };
  /** The last protocol events (sent changes, publications, answers, prunes), for failure reports. */
  private readonly trace: string[] = [];
  private note(event: string): void {
    this.trace.push(`${Date.now() % 100_000} ${event}`);
    if (this.trace.length > 30) this.trace.shift();
  }

  /** Called with every checked publication and the text of the version it names. */
  readonly observers: ((p: PublishDiagnosticsParams, text: string) => void)[] = [];

  private constructor(
    readonly lsp: LspTestClient,
    readonly pid: number | undefined,
  ) {
    lsp.connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.onDiagnostics(p));
  }

  static async start(): Promise<FuzzClient> {
    const beforeSpawn = childPids();
    const lsp = new LspTestClient();
    const pid = [...childPids()].find((p) => !beforeSpawn.has(p));
    const client = new FuzzClient(lsp, pid);
    await within(lsp.initialize(), 30_000, 'initialize');
    return client;
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
  private markDiverged(failures: Failure[]): Failure[] {
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
  private seq = 0;
  private answeredUpTo = 0;
  private seqAtRequest = 0;

  /**
   * Once a request sent after message N is answered, the server has processed everything up to N: for each document
   * only the newest version sent by then (and later ones) can still be named by a publication; a document closed by
   * then publishes nothing more.
   */
  private sync(): void {
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

  /** Sends a request with the time bound; an answer that is a ResponseError (other than `accept`ed codes) fails. */
  async request<T>(
    method: string,
    uri: string,
    position: Position | undefined,
    send: () => Promise<T>,
    failures: Failure[],
    acceptCodes: readonly number[] = [],
    limit?: number,
  ): Promise<Answer<T>> {
    this.counters.requests++;
    const text = this.text(uri);
    const ms = limit ?? requestLimitMs(text);
    const where = position ? ` at ${position.line}:${position.character}` : '';
    try {
      const death = this.death();
      const fence = this.seq;
      this.seqAtRequest = fence;
      this.note(`request ${method.replace('textDocument/', '')} ${uri.replace(/.*\//, '')} after #${fence}`);
      const value = await within(Promise.race([send(), death.promise]), ms, method).finally(death.cancel);
      this.answeredUpTo = Math.max(this.answeredUpTo, fence);
      this.note(`answer ${method.replace('textDocument/', '')}`);
      // The server logs a handler's exception before it answers: what was logged by now belongs to this request.
      this.scanLogs(failures, { uri, ...(text !== undefined ? { text } : {}), ...(position ? { position } : {}) }, `${method}${where}`);
      return { ok: true, value };
    } catch (error) {
      const base = { uri, ...(text !== undefined ? { text } : {}), ...(position ? { position } : {}) };
      if (error instanceof Timeout) {
        failures.push({ kind: 'timeout', signature: 'timeout', detail: `${method}${where} not answered within ${ms} ms`, ...base });
      } else if (error instanceof ResponseError) {
        // An error answer too comes after everything sent before the request.
        this.answeredUpTo = Math.max(this.answeredUpTo, this.seqAtRequest);
        if (!acceptCodes.includes(error.code)) {
          failures.push({
            kind: 'error-response',
            signature: `error-response:${method}:${error.code}`,
            detail: `${method}${where} answered with error ${error.code}: ${oneLine(error.message)}`,
            ...base,
          });
        }
      } else if (!this.alive) {
        failures.push({ kind: 'crash', signature: 'crash', detail: `server died during ${method}${where}`, ...base });
      } else {
        failures.push({ kind: 'error-response', signature: `error-response:${method}:client`, detail: `${method}${where} failed: ${oneLine(String(error))}`, ...base });
      }
      return { ok: false };
    }
  }

  /**
   * Requests on each of `uris` (symbols, folding, completion and hover at random positions, code actions on a
   * random range), their answers checked against the current text; then the publications, log and stderr.
   */
  async check(rng: Random, uris: readonly string[], plan: CheckPlan = FULL_CHECK, extraPositions: readonly Position[] = []): Promise<Failure[]> {
    const failures: Failure[] = [];
    // After a timeout or a crash every later request would fail the same way: the first one is the finding.
    const stuck = (): boolean => failures.some((f) => f.kind === 'timeout' || f.kind === 'crash');
    if (!this.alive) return this.collect(failures);
    for (const uri of uris) {
      const tracked = this.tracked.get(uri);
      if (!tracked) continue;
      const doc = tracked.doc;
      const text = doc.getText();
      const g = lineLengths(text);
      // One failure per class of problem in an answer (the first example of each).
      const resultProblem = (method: string, problems: readonly string[], position?: Position): void => {
        const classes = new Set<string>();
        for (const problem of problems) {
          const cls = problemClass(problem);
          if (classes.has(cls)) continue;
          classes.add(cls);
          failures.push({
            kind: 'result-range',
            signature: `result-range:${method}:${cls}${lineBreakClass(text)}${position ? positionClass(position, g) : ''}`,
            detail: `${method}${position ? ` at ${position.line}:${position.character}` : ''}: ${problem}${problems.length > 1 ? ` (${problems.length} problems in the answer)` : ''}`,
            uri,
            text,
            ...(position ? { position } : {}),
          });
        }
      };
      if (plan.symbols) {
        const a = await this.request('textDocument/documentSymbol', uri, undefined, () => this.lsp.symbols(uri), failures);
        if (a.ok) resultProblem('textDocument/documentSymbol', symbolsProblems(a.value, g));
        if (stuck()) break;
      }
      if (plan.folding) {
        const a = await this.request('textDocument/foldingRange', uri, undefined, () => this.lsp.folding(uri), failures);
        if (a.ok) resultProblem('textDocument/foldingRange', foldingProblems(a.value, g));
        if (stuck()) break;
      }
      const positions = [...extraPositions, ...Array.from({ length: plan.positions }, () => randomPosition(rng, doc))];
      for (const position of positions) {
        const c = await this.request(
          'textDocument/completion',
          uri,
          position,
          () => this.lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
          failures,
        );
        if (c.ok) resultProblem('textDocument/completion', completionProblems(c.value, position, g), position);
        if (stuck()) break;
        const h = await this.request('textDocument/hover', uri, position, () => this.lsp.hover(uri, position), failures);
        if (h.ok) resultProblem('textDocument/hover', hoverProblems(h.value, g), position);
        if (stuck()) break;
      }
      if (stuck()) break;
      if (plan.codeActions) {
        const a = doc.positionAt(rng.int(text.length + 1));
        const b = rng.chance(0.2) ? { line: doc.lineCount + rng.int(3), character: rng.int(100) } : doc.positionAt(rng.int(text.length + 1));
        const range = before(a, b) ? { start: a, end: b } : { start: b, end: a };
        const whole = { start: { line: 0, character: 0 }, end: { line: doc.lineCount, character: 0 } };
        for (const r of rng.chance(0.5) ? [range, whole] : [range]) {
          const answer = await this.request('textDocument/codeAction', uri, r.start, () => this.lsp.codeActions(uri, r, []), failures);
          if (answer.ok) resultProblem('textDocument/codeAction', codeActionsProblems(answer.value, uri, g));
          if (stuck()) break;
        }
      }
      if (stuck()) break;
      if (plan.differential || tracked.diverged) await this.differential(uri, text, failures);
      if (stuck()) break;
    }
    return this.collect(failures);
  }

  private copies = 0;

  private async differential(uri: string, text: string, failures: Failure[]): Promise<void> {
    const copy = `file:///fuzz/copies/copy-${++this.copies}.yaml`;
    await this.open(copy, text);
    try {
      const methods = [
        ['textDocument/documentSymbol', (u: string): Promise<unknown> => this.lsp.symbols(u)],
        ['textDocument/foldingRange', (u: string): Promise<unknown> => this.lsp.folding(u)],
      ] as const;
      for (const [method, send] of methods) {
        const edited = await this.request(method, uri, undefined, () => send(uri), failures);
        if (!edited.ok) return;
        const fresh = await this.request(method, copy, undefined, () => send(copy), failures);
        if (!fresh.ok) return;
        const a = JSON.stringify(edited.value);
        const b = JSON.stringify(fresh.value);
        if (a !== b) {
          let at = 0;
          while (at < a.length && a.charCodeAt(at) === b.charCodeAt(at)) at++;
          failures.push({
            kind: 'divergence',
            signature: `divergence:${method}${lineBreakClass(text)}`,
            detail: `${method} of the edited document differs from a fresh copy's: …${oneLine(a.slice(Math.max(0, at - 60), at + 80), 160)}… vs …${oneLine(b.slice(Math.max(0, at - 60), at + 80), 160)}…`,
            uri,
            text,
          });
        }
      }
    } finally {
      await this.close(copy);
    }
  }

  /**
   * After a timeout: whether the server answers again within `ms` (a slow request) or not (a hang). Resolves with
   * the seconds it took, or undefined.
   */
  async recovers(ms: number): Promise<number | undefined> {
    const started = Date.now();
    try {
      await within(this.lsp.folding('file:///fuzz/not-open.yaml'), ms, 'recovery');
      return (Date.now() - started) / 1000;
    } catch {
      return undefined;
    }
  }

  /** Publications, log, stderr and liveness since the last call; drops superseded versions if the server answered. */
  collect(failures: Failure[] = []): Failure[] {
    if (this.alive) this.sync();
    failures.push(...this.pending);
    this.pending = [];
    this.scanLogs(failures);
    const stderr = this.lsp.stderr;
    let written = '';
    for (; this.stderrSeen < stderr.length; this.stderrSeen++) written += stderr[this.stderrSeen] ?? '';
    if (written.trim()) {
      const telling = written.split(/\r?\n/).find((l) => /FATAL|Error\b|error:/.test(l)) ?? written.trim();
      failures.push({ kind: 'stderr', signature: `stderr:${normalizeMessage(telling.trim())}`, detail: `server stderr: ${oneLine(telling.trim(), 300)} (${written.length} characters in all)` });
    }
    if (!this.alive && !failures.some((f) => f.kind === 'crash')) failures.push({ kind: 'crash', signature: 'crash', detail: 'the server process is not alive' });
    return this.markDiverged(failures);
  }

  /** Rejects when the server process is found dead (polled), so that a request to a dead server fails fast. */
  private death(): { promise: Promise<never>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        if (this.alive) return;
        clearInterval(timer);
        reject(new Error('the server process died'));
      }, 50);
      timer.unref();
    });
    promise.catch(() => undefined);
    return { promise, cancel: () => clearInterval(timer) };
  }

  /** Log lines since the last scan that show an exception; attributed to a request's document when one was answered. */
  private scanLogs(failures: Failure[], on: Pick<Failure, 'uri' | 'text' | 'position'> = {}, during?: string): void {
    const logs = this.lsp.logs;
    for (; this.logsSeen < logs.length; this.logsSeen++) {
      const line = logs[this.logsSeen] ?? '';
      if (!LOG_FAILURE.test(line)) continue;
      failures.push({ kind: 'log', signature: `log:${normalizeMessage(line)}`, detail: `server log${during ? ` (answering ${during})` : ''}: ${oneLine(line, 600)}`, ...on });
    }
  }

  /** Stops the server: politely when it answers, by its pid (SIGKILL) when it does not. */
  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await within(this.lsp.stop(), 4000, 'shutdown');
        return;
      } catch {
        // Falls through to the kill.
      }
    }
    this.kill();
  }

  kill(): void {
    if (this.pid !== undefined && this.alive) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.lsp.connection.dispose();
  }
}

function diagnosticProblem(d: Diagnostic, uri: string, g: Geometry): string | undefined {
  const own = rangeProblem(d.range, g, `range ${d.range ? fmtRange(d.range) : ''}`.trim());
  if (own) return own;
  for (const r of d.relatedInformation ?? []) {
    if (r.location.uri !== uri) continue;
    const related = rangeProblem(r.location.range, g, `related range ${fmtRange(r.location.range)}`);
    if (related) return related;
  }
  return undefined;
}

function symbolsProblems(value: DocumentSymbol[] | SymbolInformation[] | null, g: Geometry): string[] {
  const out: string[] = [];
  const push = (p: string | undefined): void => {
    if (p) out.push(p);
  };
  const visit = (s: DocumentSymbol | SymbolInformation): void => {
    const name = `symbol "${oneLine(s.name ?? '', 60)}"`;
    if (!s.name) out.push(`symbol with an empty name`);
    if ('location' in s) {
      push(rangeProblem(s.location.range, g, `${name} range`));
      return;
    }
    const problem = rangeProblem(s.range, g, `${name} range ${fmtRange(s.range)}`) ?? rangeProblem(s.selectionRange, g, `${name} selectionRange ${fmtRange(s.selectionRange)}`);
    push(problem);
    if (!contains(s.range, s.selectionRange)) out.push(`${name}: selectionRange ${fmtRange(s.selectionRange)} is not inside range ${fmtRange(s.range)}`);
    for (const child of s.children ?? []) visit(child);
  };
  for (const s of value ?? []) visit(s);
  return out;
}

function foldingProblems(value: FoldingRange[] | null, g: Geometry): string[] {
  const out: string[] = [];
  for (const f of value ?? []) {
    if (!Number.isInteger(f.startLine) || !Number.isInteger(f.endLine) || f.startLine < 0) out.push(`folding range ${f.startLine}-${f.endLine} is not a valid line range`);
    else if (f.endLine >= g.length) out.push(`folding range ${f.startLine}-${f.endLine} is past the last line (${g.length} lines)`);
    else if (f.startLine > f.endLine) out.push(`folding range ${f.startLine}-${f.endLine} ends before it starts`);
  }
  return out;
}

function completionProblems(value: CompletionList | CompletionItem[] | null, position: Position, g: Geometry): string[] {
  const out: string[] = [];
  const items = !value ? [] : Array.isArray(value) ? value : value.items;
  const valid = isValidPosition(position, g);
  for (const item of items) {
    const label = oneLine(item.label, 60);
    const edit = item.textEdit;
    if (edit) {
      const ranges = InsertReplaceEdit.is(edit) ? [edit.insert, edit.replace] : [edit.range];
      for (const r of ranges) {
        const problem = rangeProblem(r, g, `item "${label}" edit range ${fmtRange(r)}`);
        if (problem) out.push(problem);
        else if (r.start.line !== r.end.line) out.push(`item "${label}" edit range ${fmtRange(r)} spans lines`);
        else if (valid && !contains(r, { start: position, end: position })) out.push(`item "${label}" edit range ${fmtRange(r)} does not hold the position`);
      }
    }
    for (const extra of item.additionalTextEdits ?? []) {
      const problem = rangeProblem(extra.range, g, `item "${label}" additional edit range ${fmtRange(extra.range)}`);
      if (problem) out.push(problem);
    }
  }
  return out;
}

function hoverProblems(value: Hover | null, g: Geometry): string[] {
  const problem = value?.range ? rangeProblem(value.range, g, `hover range ${fmtRange(value.range)}`) : undefined;
  return problem ? [problem] : [];
}

function codeActionsProblems(value: (Command | CodeAction)[] | null, uri: string, g: Geometry): string[] {
  const out: string[] = [];
  for (const action of value ?? []) {
    if (!('edit' in action) || !action.edit) continue;
    for (const [target, edits] of Object.entries(action.edit.changes ?? {})) {
      if (target !== uri) continue;
      for (const e of edits) {
        const problem = rangeProblem(e.range, g, `code action "${oneLine(action.title, 60)}" edit range ${fmtRange(e.range)}`);
        if (problem) out.push(problem);
      }
    }
  }
  return out;
}

/** Mostly valid positions; sometimes a line's end, past a line's end, or past the document's end. */
export function randomPosition(rng: Random, doc: DocView): Position {
  const text = doc.getText();
  return rng.weighted<() => Position>([
    [70, () => doc.positionAt(rng.int(text.length + 1))],
    [10, () => {
      const line = rng.int(doc.lineCount);
      return { line, character: (lineLengths(text)[line] ?? 0) };
    }],
    [10, () => ({ line: rng.int(doc.lineCount), character: rng.between(1, 400) + 200 })],
    [5, () => ({ line: doc.lineCount + rng.int(1000), character: rng.int(80) })],
    [5, () => ({ line: doc.lineCount, character: 0 })],
  ])();
}

// ---------------------------------------------------------------------------------------------------------------
// Shrinking (delta debugging) and regression files

export interface ShrinkBudget {
  readonly ms: number;
  readonly trials: number;
}

export interface ShrinkResult {
  /** The minimal text; with a history, the initial text the history's edits start from. */
  readonly text: string;
  readonly history?: EditHistory;
  /** Where a request showed the failure on the shrunk input. */
  readonly probe?: Position;
  readonly reproduced: boolean;
  /** The other open documents were needed to reproduce. */
  readonly context: readonly string[];
  readonly trials: number;
  readonly ms: number;
}

/** Probe positions for a text: the failing one, then the start, middle and end of lines spread over the text. */
function probePositions(text: string, target: Position | undefined, max: number): Position[] {
  const g = lineLengths(text);
  const out: Position[] = target ? [target] : [];
  const step = Math.max(1, Math.ceil(g.length / Math.max(1, Math.floor(max / 4))));
  for (let line = 0; line < g.length && out.length < max; line += step) {
    const length = g[line] ?? 0;
    out.push({ line, character: 0 }, { line, character: length >> 1 }, { line, character: length }, { line, character: length + 7 });
  }
  out.push({ line: g.length, character: 0 }, { line: g.length + 3, character: 2 });
  return out;
}

/**
 * Reproduces a failure on a fresh document in a server of its own, and minimises the input with ddmin while the same
 * failure signature persists, bounded in trials and time: the text (lines, then characters) when opening it is
 * enough, else the edit history (which `didChange`s, then the initial text's lines).
 */
export class Shrinker {
  private client: FuzzClient | undefined;
  private serial = 0;
  trials = 0;
  /** Where the last reproducing request was made (for the regression file's header). */
  lastProbe: Position | undefined;

  private async server(): Promise<FuzzClient> {
    if (this.client && this.client.alive) return this.client;
    if (this.client) this.client.kill();
    this.client = await FuzzClient.start();
    return this.client;
  }

  /**
   * Opens `initial` (with the context documents), replays `batches`, waits for the last version's diagnostics and
   * runs the requests that can show the failure; true if the same signature shows.
   */
  async reproduces(target: Failure, initial: string, batches: readonly Batch[] = [], context: readonly string[] = [], position: Position | undefined = target.position): Promise<boolean> {
    this.trials++;
    const client = await this.server();
    const n = ++this.serial;
    const uri = `file:///fuzz-shrink/candidate-${n}.yaml`;
    const contextUris = context.map((_, i) => `file:///fuzz-shrink/candidate-${n}-context-${i}.yaml`);
    let failures: Failure[] = [];
    // Anything left over from earlier trials is not this trial's.
    client.collect();
    try {
      for (const [i, c] of context.entries()) await client.open(contextUris[i] ?? '', c);
      await client.open(uri, initial);
      let version = 1;
      for (const batch of batches) version = await client.changeWith(uri, batch);
      const published = await client.waitForPublication(uri, version, REQUEST_TIMEOUT_MS);
      const kind = target.kind;
      const method = /^(?:error-response|result-range):([^:]+\/[^:]+)/.exec(target.signature)?.[1];
      const all = kind === 'crash' || kind === 'log' || kind === 'stderr' || kind === 'timeout';
      const plan: CheckPlan = {
        positions: 0,
        symbols: all || method === 'textDocument/documentSymbol',
        folding: all || method === 'textDocument/foldingRange',
        codeActions: all || method === 'textDocument/codeAction',
        differential: kind === 'divergence',
      };
      const wantsPositions = all || method === 'textDocument/completion' || method === 'textDocument/hover';
      const text = client.text(uri) ?? '';
      const positions = wantsPositions ? probePositions(text, position, kind === 'timeout' ? 2 : 30) : [];
      if (!published && kind === 'timeout') {
        // Diagnostics never came for the last version: the server is busy (or stuck) validating.
        failures = client.collect([{ kind: 'timeout', signature: 'timeout', detail: 'no diagnostics published' }]);
      } else {
        failures = await client.check(new Random(n), [uri], plan, positions);
      }
    } catch (error) {
      failures.push({ kind: 'crash', signature: 'crash', detail: String(error) });
    }
    const stuck = failures.some((f) => f.kind === 'timeout' || f.kind === 'crash') || !client.alive;
    if (stuck) {
      client.kill();
      this.client = undefined;
    } else {
      for (const u of [uri, ...contextUris]) await client.close(u);
      client.collect();
    }
    // Only failures on the candidate (or of the whole server) count.
    const match = failures.find((f) => f.signature === target.signature && (f.uri === undefined || f.uri === uri));
    if (match) this.lastProbe = match.position;
    return match !== undefined;
  }

  async shrink(target: Failure, text: string, history: EditHistory | undefined, context: readonly string[], budget: ShrinkBudget): Promise<ShrinkResult> {
    const started = Date.now();
    const startTrials = this.trials;
    const exhausted = (): boolean => Date.now() - started > budget.ms || this.trials - startTrials >= budget.trials;
    this.lastProbe = undefined;
    const done = (result: Omit<ShrinkResult, 'trials' | 'ms' | 'probe'>): ShrinkResult => ({
      ...result,
      ...(result.reproduced && this.lastProbe ? { probe: this.lastProbe } : {}),
      trials: this.trials - startTrials,
      ms: Date.now() - started,
    });
    // Which setting reproduces: the text alone, with the other documents, the edit history (alone, with them).
    const settings: { ctx: readonly string[]; replay: boolean }[] = [
      { ctx: [], replay: false },
      ...(context.length ? [{ ctx: context, replay: false }] : []),
      ...(history?.batches.length ? [{ ctx: [], replay: true }] : []),
      ...(history?.batches.length && context.length ? [{ ctx: context, replay: true }] : []),
    ];
    let chosen: { ctx: readonly string[]; replay: boolean } | undefined;
    for (const setting of settings) {
      if (exhausted()) break;
      const ok = setting.replay && history ? await this.reproduces(target, history.initial, history.batches, setting.ctx) : await this.reproduces(target, text, [], setting.ctx);
      if (ok) {
        chosen = setting;
        break;
      }
    }
    if (!chosen) return done({ text, reproduced: false, context: [] });
    const ctx = chosen.ctx;
    if (chosen.replay && history) {
      let batches = [...history.batches];
      batches = await ddmin(batches, (units) => this.reproduces(target, history.initial, units, ctx), exhausted);
      const lines = await ddmin(history.initial.split(/(?<=\n)/), (units) => this.reproduces(target, units.join(''), batches, ctx), exhausted);
      return done({ text: lines.join(''), reproduced: true, context: ctx, history: { initial: lines.join(''), batches } });
    }
    // Units remember where they came from, so that the failing request's position follows the text it was in.
    const original = new RefDocument('file:///original', 1, text);
    const targetPosition = target.position;
    const targetOffset = targetPosition && positionClass(targetPosition, lineLengths(text)) === '' ? original.offsetAt(targetPosition) : undefined;
    const test = (units: readonly Unit[]): Promise<boolean> => {
      const candidate = units.map((u) => u.text).join('');
      let position = targetPosition;
      if (targetOffset !== undefined) {
        let offset = 0;
        for (const u of units) {
          if (u.origin + u.text.length <= targetOffset) offset += u.text.length;
          else {
            if (u.origin <= targetOffset) offset += targetOffset - u.origin;
            break;
          }
        }
        position = new RefDocument('file:///candidate', 1, candidate).positionAt(offset);
      }
      return this.reproduces(target, candidate, [], ctx, position);
    };
    let units: Unit[] = [];
    for (const line of text.split(/(?<=\n)/)) units.push({ text: line, origin: (units.at(-1)?.origin ?? 0) + (units.at(-1)?.text.length ?? 0) });
    if (text.length && !exhausted() && (await test([]))) units = [];
    // Lines first (terminators kept with their line), then characters.
    if (units.length) units = await ddmin(units, test, exhausted);
    if (units.length) units = await ddmin(units.flatMap((u) => [...u.text.split('')].map((c, i) => ({ text: c, origin: u.origin + i }))), test, exhausted);
    return done({ text: units.map((u) => u.text).join(''), reproduced: true, context: ctx });
  }

  async dispose(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }
}

interface Unit {
  readonly text: string;
  /** Offset in the text before shrinking. */
  readonly origin: number;
}

/** Delta debugging (complements only): removes chunks while `test` still holds. */
async function ddmin<T>(units: readonly T[], test: (units: T[]) => Promise<boolean>, exhausted: () => boolean): Promise<T[]> {
  let current = [...units];
  let n = 2;
  while (current.length >= 1 && !exhausted()) {
    const chunk = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length && !exhausted(); start += chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (await test(candidate)) {
        current = candidate;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}

export interface RegressionFile {
  readonly name: string;
  /** The text to open (the header line removed). */
  readonly text: string;
  readonly header: string;
  /** `didChange`s to replay after opening (from `<name>.edits.json`), when the failure needs its edit history. */
  readonly batches?: readonly Batch[];
  /** The position named by `[probe L:C]` in the header: where a request showed the failure. */
  readonly probe?: Position;
}

/**
 * Writes `regressions/<short-hash>.yaml` (WTF-8, so lone surrogates survive), its first line a comment naming the
 * failure; with an edit history, the `didChange`s to replay go to `<short-hash>.edits.json`.
 */
export function writeRegression(dir: string, result: ShrinkResult, failure: Failure, note: string): string {
  mkdirSync(dir, { recursive: true });
  const batches = result.history?.batches;
  const hash = createHash('sha256')
    .update(encodeWtf8(`${failure.signature}\n${result.text}\n${batches ? JSON.stringify(batches) : ''}`))
    .digest('hex')
    .slice(0, 10);
  const replay = batches ? `; open this, then replay the didChanges of ${hash}.edits.json` : '';
  const probe = result.probe ? ` [probe ${result.probe.line}:${result.probe.character}]` : '';
  const header = `${REGRESSION_HEADER} ${oneLine(`${failure.signature}${probe} — ${failure.detail}${note ? ` (${note})` : ''}${replay}`, 500)}\n`;
  const file = path.join(dir, `${hash}.yaml`);
  writeFileSync(file, encodeWtf8(header + result.text));
  if (batches) writeFileSync(path.join(dir, `${hash}.edits.json`), `${JSON.stringify({ failure: failure.signature, didChanges: batches }, null, 1)}\n`);
  result.context.forEach((c, i) => writeFileSync(path.join(dir, `${hash}.context-${i}.yaml`), encodeWtf8(`${REGRESSION_HEADER} context ${i} of ${hash}.yaml\n${c}`)));
  return file;
}

export function loadRegressions(dir: string = REGRESSIONS_DIR): RegressionFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => {
      const raw = decodeWtf8(readFileSync(path.join(dir, name)));
      const newline = raw.indexOf('\n');
      const hasHeader = raw.startsWith(REGRESSION_HEADER) && newline >= 0;
      const edits = path.join(dir, name.replace(/\.ya?ml$/, '.edits.json'));
      const parsed: unknown = existsSync(edits) ? JSON.parse(readFileSync(edits, 'utf8')) : undefined;
      const batches = typeof parsed === 'object' && parsed !== null && 'didChanges' in parsed && Array.isArray(parsed.didChanges) ? (parsed.didChanges as Batch[]) : undefined;
      const header = hasHeader ? raw.slice(0, newline) : '';
      const probe = /\[probe (-?\d+):(-?\d+)\]/.exec(header);
      return {
        name,
        ...(probe ? { probe: { line: Number(probe[1]), character: Number(probe[2]) } } : {}),
        header,
        text: hasHeader ? raw.slice(newline + 1) : raw,
        ...(batches ? { batches } : {}),
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The fuzz loop

export interface FuzzOptions {
  readonly seed: number;
  /** Edit steps (a step is one `didChange`, which may carry several changes). */
  readonly edits: number;
  /** Documents over the whole run (more only to replace ones that grew too big, or after a restart). */
  readonly documents: number;
  /** Mean edit steps a document lives before it is closed and another opened (independent of `edits`, so that a seed replays the same prefix whatever the length of the run). */
  readonly lifetime: number;
  /** Documents open at once. */
  readonly maxOpen: number;
  /** Steps between checks (requests, publications, log). */
  readonly checkEvery: number;
  readonly plan: CheckPlan;
  /** Most content changes in one `didChange`. */
  readonly batchMax: number;
  /** A document that grows past this is closed and replaced. */
  readonly maxDocChars: number;
  readonly gen: GenOptions;
  readonly corpus: readonly CorpusFile[];
  readonly regressionsDir: string;
  readonly shrink: ShrinkBudget;
  readonly stopOnFirstFailure: boolean;
  readonly progressEvery?: number;
  readonly log: (line: string) => void;
}

export interface FoundFailure {
  readonly failure: Failure;
  readonly step: number;
  readonly occurrences: number;
  readonly regressionFile?: string;
  readonly reproduced: boolean;
  readonly shrunkFrom: number;
  readonly shrunkTo: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly steps: number;
  readonly changes: number;
  readonly documentsOpened: number;
  readonly checks: number;
  readonly requests: number;
  readonly publications: number;
  readonly diagnostics: number;
  readonly restarts: number;
  readonly ms: number;
  readonly rss: Rss | undefined;
  readonly failures: readonly FoundFailure[];
}

export const DEFAULT_FUZZ: Omit<FuzzOptions, 'seed' | 'corpus' | 'log'> = {
  edits: 300,
  documents: 20,
  lifetime: 15,
  maxOpen: 4,
  checkEvery: 1,
  plan: FULL_CHECK,
  batchMax: 1,
  maxDocChars: 1_500_000,
  gen: DEFAULT_GEN,
  regressionsDir: REGRESSIONS_DIR,
  shrink: { ms: 60_000, trials: 400 },
  stopOnFirstFailure: true,
};

interface OpenDoc {
  readonly uri: string;
  readonly edits: EditGenerator;
  remaining: number;
  readonly recipe: string;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const root = new Random(options.seed);
  const genRng = root.fork();
  const checkRng = root.fork();
  const log = options.log;
  const lifetime = Math.max(1, options.lifetime);
  const found = new Map<string, { found: FoundFailure; count: number }>();
  const shrinker = new Shrinker();
  let client = await FuzzClient.start();
  const counters: Counters = { requests: 0, diagnostics: 0, publications: 0 };
  const addCounters = (c: FuzzClient): void => {
    counters.requests += c.counters.requests;
    counters.diagnostics += c.counters.diagnostics;
    counters.publications += c.counters.publications;
  };
  let open: OpenDoc[] = [];
  let opened = 0;
  let changes = 0;
  let checks = 0;
  let restarts = 0;
  let active = 0;
  let step = 0;
  let lastRss: Rss | undefined;

  const openNext = async (): Promise<void> => {
    const doc = generateDocument(genRng, options.corpus, options.gen);
    const uri = `file:///fuzz/seed-${options.seed}/doc-${opened++}.yaml`;
    const docRng = genRng.fork();
    open.push({ uri, edits: new EditGenerator(docRng, options.corpus, options.gen), remaining: genRng.between(Math.ceil(lifetime / 2), lifetime * 2), recipe: doc.recipe });
    await client.open(uri, doc.text);
  };

  /** Records new failures (shrinking each into a regression file); true when the run should stop. */
  const handle = async (failures: Failure[], lastUri?: string): Promise<boolean> => {
    let stop = false;
    for (const observed of failures) {
      let failure = observed;
      // Everything that follows the text library's divergence has one cause: recorded (and shrunk) once.
      const key = failure.signature.endsWith(':lib-diverged') ? 'lib-diverged' : failure.signature;
      const known = found.get(key);
      if (known) {
        known.count++;
        continue;
      }
      const uri = failure.uri ?? lastUri;
      const doc = open.find((d) => d.uri === uri);
      log(`FAILURE seed=${options.seed} step=${step}: ${failure.signature}`);
      log(`  ${failure.detail}`);
      if (doc) log(`  document ${doc.uri} (made from: ${oneLine(doc.recipe, 200)})`);
      if (failure.kind === 'timeout' && client.alive) {
        const seconds = await client.recovers(HANG_GRACE_MS);
        failure = {
          ...failure,
          detail: `${failure.detail}; ${seconds === undefined ? `still no answer ${HANG_GRACE_MS / 1000} s later (hung)` : `the server answered again ${seconds.toFixed(1)} s later`}`,
        };
        log(`  ${failure.detail}`);
      }
      const text = failure.text ?? (uri ? client.text(uri) : undefined);
      const fullHistory = uri ? client.history(uri) : undefined;
      // A publication's failure belongs to the version it named: replay up to that one.
      const history = fullHistory && failure.version !== undefined ? { initial: fullHistory.initial, batches: fullHistory.batches.slice(0, failure.version - 1) } : fullHistory;
      const context = open.filter((d) => d.uri !== uri).map((d) => client.text(d.uri)).filter((t): t is string => t !== undefined);
      let entry: FoundFailure = { failure, step, occurrences: 1, reproduced: false, shrunkFrom: text?.length ?? 0, shrunkTo: text?.length ?? 0 };
      if (text !== undefined) {
        log(`  shrinking ${text.length} characters (budget ${options.shrink.ms} ms, ${options.shrink.trials} trials)…`);
        const shrunk = await shrinker.shrink(failure, text, history, context, options.shrink);
        const note = shrunk.reproduced ? '' : `did not reproduce on a fresh server: the text at seed ${options.seed} step ${step}, unshrunk`;
        const file = writeRegression(options.regressionsDir, shrunk, failure, note);
        const how = shrunk.history ? ` (+ ${shrunk.history.batches.length} didChanges to replay)` : '';
        log(`  ${shrunk.reproduced ? `shrunk to ${shrunk.text.length} characters${how}` : 'NOT reproduced on a fresh server'} in ${shrunk.trials} trials, ${shrunk.ms} ms → ${path.relative(process.cwd(), file)}`);
        entry = { ...entry, regressionFile: file, reproduced: shrunk.reproduced, shrunkTo: shrunk.text.length };
      }
      found.set(key, { found: entry, count: 1 });
      if (options.stopOnFirstFailure) stop = true;
    }
    return stop;
  };

  const restart = async (): Promise<void> => {
    addCounters(client);
    client.kill();
    client = await FuzzClient.start();
    restarts++;
    open = [];
    for (let i = 0; i < options.maxOpen; i++) await openNext();
  };

  try {
    for (let i = 0; i < options.maxOpen; i++) await openNext();
    let failures = client.collect();
    if (failures.length && (await handle(failures))) return report();
    for (step = 1; step <= options.edits; step++) {
      if (!genRng.chance(0.75) || active >= open.length) active = genRng.int(open.length);
      const doc = open[active];
      if (!doc) break;
      const count = options.batchMax > 1 && genRng.chance(0.3) ? genRng.between(2, options.batchMax) : 1;
      await client.change(doc.uri, count, (d) => doc.edits.next(d));
      changes += count;
      doc.remaining--;
      const size = client.text(doc.uri)?.length ?? 0;
      if (step % options.checkEvery === 0 || step === options.edits) {
        checks++;
        const others = open.length > 1 && checkRng.chance(0.2) ? [checkRng.pick(open).uri] : [];
        failures = await client.check(checkRng, [doc.uri, ...others.filter((u) => u !== doc.uri)], options.plan);
        if (failures.length) {
          if (await handle(failures, doc.uri)) break;
          if (!client.alive || failures.some((f) => f.kind === 'timeout' || f.kind === 'crash')) {
            log(`  restarting the server after ${failures[0]?.signature}`);
            await restart();
            continue;
          }
        }
        // A document whose server-side text diverged is reported once, then replaced.
        for (const d of [...open]) {
          if (!client.diverged(d.uri)) continue;
          await client.close(d.uri);
          open.splice(open.indexOf(d), 1);
          await openNext();
        }
      }
      if (open.includes(doc) && (doc.remaining <= 0 || size > options.maxDocChars)) {
        await client.close(doc.uri);
        open.splice(open.indexOf(doc), 1);
        if (opened < options.documents || open.length === 0 || size > options.maxDocChars) await openNext();
        else if (open.length < Math.min(2, options.maxOpen)) await openNext();
      }
      if (options.progressEvery && step % options.progressEvery === 0) {
        lastRss = client.rss();
        const seconds = (Date.now() - started) / 1000;
        log(
          `  ${step} edits, ${changes} changes, ${opened} documents, ${checks} checks, ${client.counters.requests + counters.requests} requests, ` +
            `${found.size} distinct failures, ${seconds.toFixed(0)} s (${(step / seconds).toFixed(0)}/s), server RSS ${lastRss ? `${(lastRss.rssKb / 1024).toFixed(0)} MB (peak ${(lastRss.peakKb / 1024).toFixed(0)} MB)` : '?'}`,
        );
      }
    }
    if (client.alive) {
      checks++;
      failures = await client.check(checkRng, open.map((d) => d.uri), { ...options.plan, positions: 1 });
      if (failures.length) await handle(failures);
    }
    return report();
  } finally {
    lastRss = client.rss() ?? lastRss;
    addCounters(client);
    await client.stop();
    await shrinker.dispose();
  }

  function report(): FuzzReport {
    return {
      seed: options.seed,
      steps: Math.min(step, options.edits),
      changes,
      documentsOpened: opened,
      checks,
      requests: counters.requests + client.counters.requests,
      publications: counters.publications + client.counters.publications,
      diagnostics: counters.diagnostics + client.counters.diagnostics,
      restarts,
      ms: Date.now() - started,
      rss: client.rss() ?? lastRss,
      failures: [...found.values()].map(({ found: f, count }) => ({ ...f, occurrences: count })),
    };
  }
}

export function formatReport(r: FuzzReport): string {
  const lines = [
    `seed ${r.seed}: ${r.steps} edit steps (${r.changes} changes) over ${r.documentsOpened} documents, ${r.checks} checks, ${r.requests} requests, ` +
      `${r.publications} publications (${r.diagnostics} diagnostics), ${r.restarts} restarts, ${(r.ms / 1000).toFixed(1)} s` +
      (r.rss ? `, server RSS ${(r.rss.rssKb / 1024).toFixed(0)} MB (peak ${(r.rss.peakKb / 1024).toFixed(0)} MB)` : ''),
  ];
  for (const f of r.failures) {
    lines.push(
      `  FAILURE ${f.failure.signature} ×${f.occurrences} (first at step ${f.step}): ${f.failure.detail}` +
        (f.regressionFile ? `\n    → ${path.relative(process.cwd(), f.regressionFile)} (${f.reproduced ? `shrunk ${f.shrunkFrom} → ${f.shrunkTo} chars` : 'not reproduced standalone'})` : ''),
    );
  }
  return lines.join('\n');
}
