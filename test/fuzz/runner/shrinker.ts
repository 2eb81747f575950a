/** Shrinking: a failing input cut down by delta debugging on a server of its own, for a regression file. */
import type { Position } from 'vscode-languageserver-protocol/node';
import { lineLengths, Random, RefDocument } from '../generate';
import type { Failure } from './failures';
import { FuzzClient, type CheckPlan } from './fuzzClient';
import { positionClass } from './geometry';
import { REQUEST_TIMEOUT_MS } from './timeLimits';
import type { Batch, EditHistory } from './trackingClient';

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
    if (units.length)
      units = await ddmin(
        units.flatMap((u) => [...u.text.split('')].map((c, i) => ({ text: c, origin: u.origin + i }))),
        test,
        exhausted,
      );
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
