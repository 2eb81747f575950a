/**
 * Typing: a person types a new key into the middle of a large file. Each keystroke is a `didChange` of one character
 * (the first is an Enter that brings the indentation, as an editor's auto-indent sends it), followed at once by a
 * completion request at the cursor, and every `HOVER_EVERY`th by a hover there too; the next keystroke comes
 * `KEYSTROKE_MS` after the previous one, or as soon as the answers are in when they took longer. Diagnostics are
 * never awaited while typing: a keystroke's may be superseded by a later one's. Both servers, a fresh process per
 * run, the order alternating between runs as in serverRuns.ts.
 *
 * Per keystroke: the completion latency, and keystroke → fresh diagnostics, the first publication for the document
 * carrying that keystroke's version or a later one (yaml-language-server sends no versions: its first publication
 * after the keystroke, as serverRuns.ts counts edits).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Position } from 'vscode-languageserver-protocol/node';
import { StepTimeout } from '../test/support/bounded';
import type { BenchServer, ServerSpec } from './benchServer';
import type { Options } from './options';
import { failureOf, QUIET_MS } from './serverRuns';
import { INDEXED_LOG, OURS, serverSpecs, startVerified, YLS, type Build } from './servers';
import { formatMiB, formatMs, median, percentile } from './stats';
import { verdict } from './targets';
import { TYPED_KEY, writeTypingInputs, type TypingScenario } from './typingInputs';

export const KEYSTROKE_MS = 30;
export const HOVER_EVERY = 5;

/** The issue's targets ("Instant while typing"); RSS in KiB like targets.ts. */
export const TYPING_TARGETS = {
  completionP95Ms: 20,
  hoverP95Ms: 20,
  diagnosticsP95Ms: 100,
  rssKiB: 300 * 1024,
} as const;

export interface TypingRun {
  readonly server: string;
  readonly scenario: string;
  readonly run: number;
  /** Our server: `initialized` → its "indexed N workspace files" log (workspace scenario only). */
  indexMs?: number;
  /** Open → the complete diagnostics, before the first keystroke. */
  completeMs?: number;
  keystrokes: number;
  readonly completionMs: number[];
  readonly hoverMs: number[];
  /** Keystroke → fresh diagnostics, for each keystroke that got them (in keystroke order). */
  readonly freshMs: number[];
  /** Our server: keystrokes whose own version was published (the others were superseded). */
  ownVersions?: number;
  /** Publications for the document from the first keystroke to the one with the last keystroke's text. */
  publishes: number;
  rssKiB?: number;
  /** The step that failed, and how. */
  failure?: string;
}

export interface TypingScenarioInfo {
  readonly label: string;
  readonly description: string;
  readonly bytes: number;
}

export interface TypingRuns {
  readonly typed: string;
  readonly keystrokes: number;
  readonly scenarios: readonly TypingScenarioInfo[];
  readonly runs: readonly TypingRun[];
}

/** The keystrokes: an Enter with the indentation, then the key character by character. */
export function keystrokes(indent: string): string[] {
  return [`\n${indent}`, ...TYPED_KEY];
}

/** Every typing scenario, `options.runs` fresh processes per server, alternating which server goes first. */
export async function measureTyping(build: Build, options: Options, log: (line: string) => void, specs: Readonly<Record<string, ServerSpec>> = serverSpecs(build)): Promise<TypingRuns> {
  const scenarios = writeTypingInputs(options, log);
  const runs: TypingRun[] = [];
  for (const scenario of scenarios) {
    for (let run = 1; run <= options.runs; run++) {
      const order = run % 2 === 1 ? options.servers : [...options.servers].reverse();
      for (const name of order) {
        const spec = specs[name];
        if (!spec) continue;
        const r = await measureTypingRun(spec, scenario, run, options);
        runs.push(r);
        log(`typing ${scenario.label} run ${run}/${options.runs} ${name}: ${describeTypingRun(r)}`);
      }
    }
  }
  return {
    typed: TYPED_KEY,
    keystrokes: keystrokes('').length,
    scenarios: scenarios.map(({ label, description, bytes }) => ({ label, description, bytes })),
    runs,
  };
}

interface Keystroke {
  readonly at: number;
  /** `lastSeq` just before the change was sent: a publication after it came after the keystroke. */
  readonly seqBefore: number;
  readonly version: number;
}

/** One fresh server typing into one scenario; `stopGraceMs` leaves a profiled server time to write its profile. */
export async function measureTypingRun(spec: ServerSpec, scenario: TypingScenario, run: number, options: Options, stopGraceMs = 3000): Promise<TypingRun> {
  const result: TypingRun = { server: spec.name, scenario: scenario.label, run, keystrokes: 0, completionMs: [], hoverMs: [], freshMs: [], publishes: 0 };
  const t = options.timeoutMs;
  const waitForIndex =
    scenario.workspaceUri && spec.name === OURS
      ? async (server: BenchServer): Promise<void> => {
          const indexed = await server.lsp.waitForLog(INDEXED_LOG, t);
          result.indexMs = indexed.at - server.lsp.initializedAt;
        }
      : undefined;
  let server: BenchServer;
  try {
    server = await startVerified(spec, scenario.workspaceUri, t, waitForIndex);
  } catch (error) {
    result.failure = `start: ${failureOf(error)}`;
    return result;
  }
  const lsp = server.lsp;
  const uri = scenario.uri;
  let step = 'open';
  const typed: Keystroke[] = [];
  try {
    const since = lsp.lastSeq;
    const opened = performance.now();
    await lsp.open(uri, scenario.text);
    const complete = await server.waitForQuiet(uri, since, QUIET_MS, t);
    result.completeMs = complete.at - opened;

    step = 'typing';
    const { indent } = scenario.point;
    let cursor: Position = { line: scenario.point.line, character: scenario.point.character };
    for (const [i, key] of keystrokes(indent).entries()) {
      const seqBefore = lsp.lastSeq;
      const at = performance.now();
      const version = await lsp.edit(uri, { start: cursor, end: cursor }, key);
      typed.push({ at, seqBefore, version });
      cursor = key.startsWith('\n') ? { line: cursor.line + 1, character: indent.length } : { line: cursor.line, character: cursor.character + key.length };
      const asked = performance.now();
      await server.completion(uri, cursor, t);
      result.completionMs.push(performance.now() - asked);
      if ((i + 1) % HOVER_EVERY === 0) {
        // On the character before the cursor: the key being typed (at the cursor itself is the end of the line).
        const hoverAsked = performance.now();
        await server.hover(uri, { line: cursor.line, character: Math.max(0, cursor.character - 1) }, t);
        result.hoverMs.push(performance.now() - hoverAsked);
      }
      const wait = KEYSTROKE_MS - (performance.now() - at);
      if (wait > 0) await sleep(wait);
    }
    result.keystrokes = typed.length;

    step = 'diagnostics after the last keystroke';
    const final = await settled(server, uri, typed[typed.length - 1], t);
    summarise(result, typed, server, uri, final);
    recordRss(result, server);
    await server.stop(stopGraceMs);
  } catch (error) {
    result.failure = `${step}: ${failureOf(error)}`;
    // What arrived before the failure still counts.
    if (step !== 'open') summarise(result, typed, server, uri, undefined);
    result.keystrokes = typed.length;
    recordRss(result, server);
    if (error instanceof StepTimeout) server.kill();
    else await server.stop(stopGraceMs).catch(() => server.kill());
  }
  return result;
}

function recordRss(result: TypingRun, server: BenchServer): void {
  const rss = server.peakRssKiB();
  if (rss !== undefined) result.rssKiB = rss;
}

/**
 * The `seq` of the publication that ends the typing: for a server that sends versions, the one carrying the last
 * keystroke's, or the last one before a quiet spell of QUIET_MS (ours publishes nothing when a version's diagnostics
 * equal those already published, so the last keystrokes may never get one); for one that does not, its first
 * publication after the last keystroke.
 */
async function settled(server: BenchServer, uri: string, last: Keystroke | undefined, timeoutMs: number): Promise<number | undefined> {
  if (!last) return undefined;
  const lsp = server.lsp;
  const deadline = performance.now() + timeoutMs;
  const versioned = lsp.publications(uri).some((p) => p.version !== undefined);
  if (!versioned) return (await lsp.waitForPublication(uri, { after: last.seqBefore, timeoutMs })).seq;
  let after = last.seqBefore;
  let seen = lsp
    .publications(uri)
    .filter((p) => p.seq <= after)
    .at(-1)?.seq;
  for (;;) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw new StepTimeout(`diagnostics after the last keystroke in ${uri}`, timeoutMs);
    try {
      const p = await lsp.waitForPublication(uri, { after, timeoutMs: Math.min(QUIET_MS, remaining) });
      if (p.version !== undefined && p.version >= last.version) return p.seq;
      after = p.seq;
      seen = p.seq;
    } catch (error) {
      if (error instanceof StepTimeout && remaining > QUIET_MS) return seen;
      throw error;
    }
  }
}

/** Fills in fresh diagnostics per keystroke, own-version publications and the publication count. */
function summarise(result: TypingRun, typed: readonly Keystroke[], server: BenchServer, uri: string, finalSeq: number | undefined): void {
  const first = typed[0];
  if (!first) return;
  const publications = server.lsp.publications(uri).filter((p) => p.seq > first.seqBefore && (finalSeq === undefined || p.seq <= finalSeq));
  result.freshMs.length = 0;
  for (const k of typed) {
    const fresh = publications.find((p) => p.seq > k.seqBefore && (p.version === undefined || p.version >= k.version));
    if (fresh) result.freshMs.push(fresh.at - k.at);
  }
  result.publishes = publications.length;
  if (publications.some((p) => p.version !== undefined)) {
    const versions = new Set(publications.map((p) => p.version));
    result.ownVersions = typed.filter((k) => versions.has(k.version)).length;
  }
}

function pair(values: readonly number[]): string {
  return values.length ? `${formatMs(median(values))} · ${formatMs(percentile(values, 95))}` : '—';
}

export function describeTypingRun(r: TypingRun): string {
  const parts = [
    r.indexMs !== undefined ? `indexed in ${formatMs(r.indexMs)}` : '',
    `open→complete ${formatMs(r.completeMs ?? Number.NaN)}`,
    `${r.keystrokes} keystrokes`,
    `completion p50 · p95 ${pair(r.completionMs)}`,
    `hover p50 · p95 ${pair(r.hoverMs)}`,
    `keystroke→fresh diagnostics p50 · p95 ${pair(r.freshMs)} (${r.freshMs.length}/${r.keystrokes})`,
    `${r.publishes} publishes${r.ownVersions !== undefined ? ` (${r.ownVersions} of the typed versions)` : ''}`,
    `peak RSS ${formatMiB(r.rssKiB ?? Number.NaN)}`,
  ].filter(Boolean);
  return `${parts.join(', ')}${r.failure ? ` [${r.failure}]` : ''}`;
}

/** `median · p95`, with the verdict on the p95 when `limit` is given. */
function cell(values: readonly number[], limit?: number): string {
  if (!values.length) return '—';
  const p95 = percentile(values, 95);
  return `${formatMs(median(values))} · ${formatMs(p95)}${limit === undefined ? '' : ` ${verdict(p95, limit)}`}`;
}

/** The "### Typing" section of docs/performance.md: one row per scenario and server, samples pooled over the runs. */
export function typingSection(typing: TypingRuns): string[] {
  const servers = [...new Set(typing.runs.map((r) => r.server))].sort((a, b) => (a === OURS ? -1 : b === OURS ? 1 : a.localeCompare(b)));
  const rows: string[] = [];
  for (const scenario of typing.scenarios) {
    for (const server of servers) {
      const runs = typing.runs.filter((r) => r.scenario === scenario.label && r.server === server);
      if (!runs.length) continue;
      const ours = server === OURS;
      const pool = (pick: (r: TypingRun) => readonly number[]): number[] => runs.flatMap((r) => [...pick(r)]);
      const keystrokes = runs.reduce((n, r) => n + r.keystrokes, 0);
      const fresh = pool((r) => r.freshMs);
      const rss = runs.map((r) => r.rssKiB).filter((k): k is number => k !== undefined);
      const rssMedian = median(rss);
      const rssCell = rss.length
        ? `${formatMiB(rssMedian)}${rss.length > 1 ? ` (max ${formatMiB(Math.max(...rss))})` : ''}${ours ? ` ${verdict(rssMedian, TYPING_TARGETS.rssKiB)}` : ''}`
        : '—';
      const own = runs.every((r) => r.ownVersions !== undefined) ? ` (${runs.reduce((n, r) => n + (r.ownVersions ?? 0), 0)}/${keystrokes} typed versions)` : '';
      const failures = runs.filter((r) => r.failure).map((r) => `run ${r.run}: ${r.failure ?? ''}`);
      const completion = cell(
        pool((r) => r.completionMs),
        ours ? TYPING_TARGETS.completionP95Ms : undefined,
      );
      const hover = cell(
        pool((r) => r.hoverMs),
        ours ? TYPING_TARGETS.hoverP95Ms : undefined,
      );
      const diagnostics = `${cell(fresh, ours ? TYPING_TARGETS.diagnosticsP95Ms : undefined)} (${fresh.length}/${keystrokes})`;
      const publishes = `${runs.reduce((n, r) => n + r.publishes, 0)}${own}${failures.length ? `; ${failures.join('; ')}` : ''}`;
      rows.push(`| ${scenario.label} | ${server} | ${completion} | ${hover} | ${diagnostics} | ${rssCell} | ${publishes} |`);
    }
  }
  const runsPerServer = Math.max(0, ...servers.map((s) => typing.runs.filter((r) => r.server === s && r.scenario === typing.scenarios[0]?.label).length));
  return [
    '### Typing',
    '',
    `Typing a new key, \`${typing.typed}\`, into the middle of a file (\`bench/typingRuns.ts\`, inputs \`bench/typingInputs.ts\`): ${typing.keystrokes} keystrokes, an Enter that brings the indentation and then one character each, every one a \`didChange\` of its own followed at once by a completion request at the cursor; every ${HOVER_EVERY}th keystroke also a hover on the character before the cursor. Keystrokes are ${KEYSTROKE_MS} ms apart, or follow at once when the answers took longer. The file is opened and its complete diagnostics awaited before the first keystroke; diagnostics are never awaited while typing. ${runsPerServer} fresh process${runsPerServer === 1 ? '' : 'es'} per server and scenario, samples pooled over the runs.`,
    '',
    ...typing.scenarios.map((s) => `- ${s.label}: ${s.description}`),
    '',
    `| scenario | server | completion after a keystroke (median · p95) | hover (median · p95) | keystroke → fresh diagnostics (median · p95, keystrokes that got them) | peak RSS | publications while typing |`,
    '|---|---|---|---|---|---|---|',
    `| target (issue "Instant while typing") | ours | p95 ≤ ${TYPING_TARGETS.completionP95Ms} ms | p95 ≤ ${TYPING_TARGETS.hoverP95Ms} ms | p95 ≤ ${TYPING_TARGETS.diagnosticsP95Ms} ms | ≤ ${TYPING_TARGETS.rssKiB / 1024} MiB | |`,
    ...rows,
    '',
    `Keystroke → fresh diagnostics runs from sending the \`didChange\` to the first publication for the document carrying that keystroke's version or a later one (ours); ${YLS} sends no versions, so its first publication after the keystroke counts — it debounces validation by 200 ms, so while keys come faster than that it publishes once typing pauses, and early keystrokes wait for the last. Ours publishes nothing for a version whose diagnostics equal those already published (and drops a version a newer one overtook), so a keystroke that changes no finding gets no publication of its own: it counts as fresh at the next publication of a later version, and keystrokes after the last change of findings get none (they are the difference between n and m; the client already shows their diagnostics). "Publications while typing" counts the document's publications from the first keystroke to the last keystroke's (${YLS}: its first after the last keystroke; ours: the one of the last version, else the last before ${QUIET_MS / 1000} s of quiet), and for ours how many of the typed versions were published. ✓/✗ on our p95 (RSS: median of the runs). In the manifest and the workspace file the key goes under a DestinationRule's \`trafficPolicy\` (where the schema does not allow it: the finished key is a schema error, as every prefix of it is); in the single document it goes into a port's \`connectionPool.tcp\`, where it is valid.`,
  ];
}

/** Whether `measureTyping` runs at all. */
export function typingWanted(options: Options): boolean {
  return !options.skipTyping && !options.profileOnly;
}
