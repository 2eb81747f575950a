/**
 * The fuzz client: requests to the built language server with time bounds, checks on their answers, and the server's
 * log, stderr and liveness. Documents and publications are tracked by `TrackingClient`.
 */
import { CompletionRequest, ResponseError, type Position } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../../support/lspClient';
import { lineLengths, type Random } from '../generate';
import { codeActionsProblems, completionProblems, foldingProblems, hoverProblems, randomPosition, symbolsProblems } from './answerChecks';
import { normalizeMessage, oneLine, type Failure } from './failures';
import { before, lineBreakClass, positionClass, problemClass } from './geometry';
import { childPids, Timeout, within } from './processes';
import { requestLimitMs } from './timeLimits';
import { TrackingClient } from './trackingClient';

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

/** Log lines that mean an exception reached a handler (ours: `… failed:`, `uncaught`, `unhandled`; jsonrpc's own). */
export const LOG_FAILURE = /failed:|failed with message|failed unexpectedly|uncaught|unhandled/i;

/**
 * An `LspTestClient` whose diagnostics handler is replaced by one that checks every publication as it arrives
 * against the text of the version it names (the client's own collection of diagnostics is not used).
 */
export class FuzzClient extends TrackingClient {
  private logsSeen = 0;
  private stderrSeen = 0;
  /** The sequence number the request in flight was sent after (see `TrackingClient.seq`). */
  private seqAtRequest = 0;

  private constructor(lsp: LspTestClient, pid: number | undefined) {
    super(lsp, pid);
  }

  static async start(): Promise<FuzzClient> {
    const beforeSpawn = childPids();
    const lsp = new LspTestClient();
    const pid = [...childPids()].find((p) => !beforeSpawn.has(p));
    const client = new FuzzClient(lsp, pid);
    await within(lsp.initialize(), 30_000, 'initialize');
    return client;
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
        const c = await this.request('textDocument/completion', uri, position, () => this.lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), failures);
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
      failures.push({
        kind: 'stderr',
        signature: `stderr:${normalizeMessage(telling.trim())}`,
        detail: `server stderr: ${oneLine(telling.trim(), 300)} (${written.length} characters in all)`,
      });
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
