/** One measured run of a server on a scenario (a fresh process), and the runs of every scenario in turn. */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ServerGone, StepTimeout } from '../test/support/bounded';
import type { BenchServer, ServerSpec } from './benchServer';
import type { Options } from './options';
import type { Scenario } from './scenarios';
import { INDEXED_LOG, OURS, startVerified } from './servers';
import { formatMiB, formatMs, median, percentile } from './stats';

export type Metric = 'index' | 'open' | 'complete' | 'completion' | 'hover' | 'edit' | 'rss';
export const METRICS: readonly Metric[] = ['index', 'open', 'complete', 'completion', 'hover', 'edit', 'rss'];

/**
 * How long no new publish must come for the last one to count as the complete diagnostics. Ours publishes a large
 * file's local findings in stages (every ~0.5 s of parsing) before the complete set; the gaps stay well below this.
 */
export const QUIET_MS = 2500;

export interface ServerRun {
  readonly server: string;
  readonly scenario: string;
  readonly run: number;
  indexMs?: number;
  indexedFiles?: number;
  openMs?: number;
  openDiagnostics?: number;
  /** The last publish after open before a quiet spell (the complete diagnostics, also for a staged first analysis). */
  completeMs?: number;
  completeDiagnostics?: number;
  /** Publishes from open to the complete one, both included. */
  openPublishes?: number;
  /** VmHWM right after the first diagnostics, in KiB. */
  rssAfterOpenKiB?: number;
  readonly completionMs: number[];
  readonly completionItems: number[];
  readonly hoverMs: number[];
  hoverAnswered: number;
  readonly editMs: number[];
  /** For our server: did the edited line carry the scenario's code exactly in the versions that should have it. */
  editsConsistent: boolean | undefined;
  rssKiB?: number;
  readonly failures: Partial<Record<Metric, string>>;
}

export function failureOf(error: unknown): string {
  if (error instanceof StepTimeout) return 'timeout';
  if (error instanceof ServerGone) return 'crashed';
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

function hasCodeAt(diagnostics: readonly Diagnostic[], code: string, line: number): boolean {
  return diagnostics.some((d) => d.code === code && d.range.start.line === line);
}

/** Every scenario, `options.runs` times per server, alternating which server goes first. */
export async function runScenarios(
  scenarios: readonly Scenario[],
  specs: Readonly<Record<string, ServerSpec>>,
  options: Options,
  log: (line: string) => void,
  loadSamples: number[],
): Promise<ServerRun[]> {
  const results: ServerRun[] = [];
  for (const scenario of scenarios) {
    for (let run = 1; run <= options.runs; run++) {
      const order = run % 2 === 1 ? options.servers : [...options.servers].reverse();
      for (const name of order) {
        const spec = specs[name];
        if (!spec) continue;
        loadSamples.push(os.loadavg()[0] ?? Number.NaN);
        const r = await measureRun(spec, scenario, run, options);
        results.push(r);
        log(`${scenario.kind} ${scenario.label} run ${run}/${options.runs} ${name}: ${describeRun(r)}`);
      }
    }
  }
  return results;
}

async function measureRun(spec: ServerSpec, scenario: Scenario, run: number, options: Options): Promise<ServerRun> {
  const result: ServerRun = {
    server: spec.name,
    scenario: scenario.label,
    run,
    completionMs: [],
    completionItems: [],
    hoverMs: [],
    hoverAnswered: 0,
    editMs: [],
    editsConsistent: undefined,
    failures: {},
  };
  const t = options.timeoutMs;
  // Our server walks the workspace folder in the background from `initialized`; the clock runs until it says so.
  const waitForIndex =
    scenario.workspaceUri && !scenario.openWhileIndexing && spec.name === OURS
      ? async (server: BenchServer): Promise<void> => {
          try {
            const log = await server.lsp.waitForLog(INDEXED_LOG, t);
            result.indexMs = log.at - server.lsp.initializedAt;
            result.indexedFiles = Number(INDEXED_LOG.exec(log.message)?.[1] ?? Number.NaN);
          } catch (error) {
            result.failures.index = error instanceof StepTimeout ? `not implemented (no "indexed … workspace files" log in ${t / 1000} s)` : failureOf(error);
          }
        }
      : undefined;
  let server: BenchServer;
  try {
    server = await startVerified(spec, scenario.workspaceUri, t, waitForIndex);
  } catch (error) {
    for (const m of METRICS) result.failures[m] = failureOf(error);
    return result;
  }
  const lsp = server.lsp;
  const uri = scenario.uri;
  let current: Metric = 'open';
  try {
    const since = lsp.lastSeq;
    const opened = performance.now();
    await lsp.open(uri, scenario.text);
    const first = await lsp.waitForPublication(uri, { after: since, timeoutMs: t });
    result.openMs = first.at - opened;
    result.openDiagnostics = first.diagnostics.length;
    const afterOpen = server.peakRssKiB();
    if (afterOpen !== undefined) result.rssAfterOpenKiB = afterOpen;

    current = 'complete';
    const complete = await server.waitForQuiet(uri, since, QUIET_MS, t);
    result.completeMs = complete.at - opened;
    result.completeDiagnostics = complete.diagnostics.length;
    result.openPublishes = lsp.publications(uri).filter((p) => p.seq > since && p.seq <= complete.seq).length;

    current = 'completion';
    for (let i = 0; scenario.completionAt.length && i < options.requests; i++) {
      const position = scenario.completionAt[i % scenario.completionAt.length] ?? { line: 0, character: 0 };
      const started = performance.now();
      const items = await server.completion(uri, position, t);
      result.completionMs.push(performance.now() - started);
      result.completionItems.push(items.length);
    }
    current = 'hover';
    for (let i = 0; scenario.hoverAt.length && i < options.requests; i++) {
      const position = scenario.hoverAt[i % scenario.hoverAt.length] ?? { line: 0, character: 0 };
      const started = performance.now();
      const hover = await server.hover(uri, position, t);
      result.hoverMs.push(performance.now() - started);
      if (hover) result.hoverAnswered++;
    }

    current = 'edit';
    const { line, character, from, to, code } = scenario.edit;
    let value = from;
    let consistent = true;
    for (let i = 0; i < options.edits; i++) {
      const next = value === to ? from : to;
      const range = { start: { line, character }, end: { line, character: character + value.length } };
      const editSince = lsp.lastSeq;
      const started = performance.now();
      const version = await lsp.edit(uri, range, next);
      // Our server publishes with the version; yaml-language-server publishes without one: its next publish counts.
      const published = await lsp.waitForPublication(uri, { after: editSince, timeoutMs: t, accept: (p) => p.version === undefined || p.version === version });
      result.editMs.push(published.at - started);
      if (published.version !== undefined) consistent &&= hasCodeAt(published.diagnostics, code, line) === (next === to);
      value = next;
    }
    if (spec.name === OURS) result.editsConsistent = consistent;

    current = 'rss';
    const rss = server.peakRssKiB();
    if (rss !== undefined) result.rssKiB = rss;
    else result.failures.rss = 'no /proc';
    await server.stop();
  } catch (error) {
    result.failures[current] = failureOf(error);
    for (const m of METRICS.slice(METRICS.indexOf(current) + 1)) result.failures[m] ??= 'skipped';
    server.kill();
  }
  return result;
}

function describeRun(r: ServerRun): string {
  const parts = [
    r.indexMs !== undefined ? `indexed ${r.indexedFiles ?? '?'} files in ${formatMs(r.indexMs)}` : '',
    `open→diag ${formatMs(r.openMs ?? Number.NaN)} (${r.openDiagnostics ?? '?'} diagnostics)`,
    `open→complete ${formatMs(r.completeMs ?? Number.NaN)} (${r.completeDiagnostics ?? '?'} diagnostics, publish ${r.openPublishes ?? '?'})`,
    r.completionMs.length ? `completion p50 ${formatMs(median(r.completionMs))} p95 ${formatMs(percentile(r.completionMs, 95))}` : '',
    r.hoverMs.length ? `hover p50 ${formatMs(median(r.hoverMs))} p95 ${formatMs(percentile(r.hoverMs, 95))}` : '',
    `edit→diag median ${formatMs(median(r.editMs))}`,
    `peak RSS ${formatMiB(r.rssKiB ?? Number.NaN)}`,
  ].filter(Boolean);
  const failures = Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`);
  return `${parts.join(', ')}${failures.length ? ` [${failures.join('; ')}]` : ''}`;
}
