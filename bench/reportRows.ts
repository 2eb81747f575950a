/** The rows of the results table: each metric per input for both servers, the CLI, activation and package size. */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { measureActivation } from './activation';
import type { CliRun } from './cli';
import type { StreamRuns } from './cliRuns';
import type { Options } from './options';
import { SNAPSHOT, VSIX } from './paths';
import { WORKSPACE_PER_FILE, type Scenario } from './scenarios';
import { METRICS, type Metric, type ServerRun } from './serverRuns';
import { OURS, YLS } from './servers';
import { formatBytes, formatMiB, formatMs, median, percentile } from './stats';
import { ACTIVATION_TARGET_MS, CLI_TARGET, STREAM_RATIO_TARGET, TARGETS, verdict } from './targets';

interface Row {
  readonly metric: string;
  readonly size: string;
  readonly ours: string;
  readonly yls: string;
  readonly ratio: string;
  readonly target: string;
  readonly ok: string;
}

export const HEADER = ['metric', 'size', 'ours (median · p95)', `${YLS} (median · p95)`, 'ratio ours/yls', 'target', '✓/✗'];

const SINGLE_LABELS: Partial<Record<Metric, string>> = {
  open: 'open → first diagnostics',
  complete: 'open → complete diagnostics',
  completion: 'completion latency',
  hover: 'hover latency',
  edit: 'one-line edit → diagnostics',
  rss: 'peak RSS (VmHWM)',
};

const WORKSPACE_LABELS: Partial<Record<Metric, string>> = {
  index: 'workspace indexing, `initialized` → "indexed" log',
  open: 'workspace: open one of its files → diagnostics',
  edit: 'workspace: one-line edit in that file → diagnostics',
  rss: 'workspace: peak RSS (VmHWM)',
};

/**
 * The table's cells, row by row, in the order of the table. Measures extension activation on the way (fresh
 * processes), so it runs after everything else.
 */
export function resultCells(results: readonly ServerRun[], scenarios: readonly Scenario[], cli: readonly CliRun[], stream: StreamRuns | undefined, options: Options): string[][] {
  const labels = (kind: Scenario['kind']): string[] => scenarios.filter((s) => s.kind === kind).map((s) => s.label);
  const workspace = labels('workspace');
  const rows = [
    ...rowsFor(results, SINGLE_LABELS, labels('single'), true),
    ...(workspace.length ? rowsFor(results, WORKSPACE_LABELS, workspace, false) : []),
    ...(options.skipCli ? [] : cliRows(cli, options.workspaceFiles)),
    ...(stream ? streamRows(stream) : []),
    activationRow(),
    vsixRow(),
  ];
  return rows.map((r) => [r.metric, r.size, r.ours, r.yls, r.ratio, r.target, r.ok]);
}

/** The samples of one metric over a server's runs, and the failures of the runs that have none. */
function samplesOf(runs: readonly ServerRun[], metric: Metric): { values: number[]; failed: string[] } {
  const values: number[] = [];
  const failed: string[] = [];
  for (const r of runs) {
    const failure = r.failures[metric];
    if (failure) {
      failed.push(failure);
      continue;
    }
    const add: Record<Metric, () => void> = {
      index: () => (r.indexMs === undefined ? undefined : values.push(r.indexMs)),
      open: () => (r.openMs === undefined ? undefined : values.push(r.openMs)),
      complete: () => (r.completeMs === undefined ? undefined : values.push(r.completeMs)),
      completion: () => values.push(...r.completionMs),
      hover: () => values.push(...r.hoverMs),
      edit: () => values.push(...r.editMs),
      rss: () => (r.rssKiB === undefined ? undefined : values.push(r.rssKiB)),
    };
    add[metric]();
  }
  return { values, failed };
}

function cellOf(runs: readonly ServerRun[], metric: Metric, format: (n: number) => string, none = 'not run'): { text: string; median: number; p95: number } {
  if (runs.length === 0) return { text: none, median: Number.NaN, p95: Number.NaN };
  const { values, failed } = samplesOf(runs, metric);
  if (values.length === 0) return { text: [...new Set(failed)].join(', ') || none, median: Number.NaN, p95: Number.NaN };
  const m = median(values);
  const p = percentile(values, 95);
  const note = failed.length ? ` (${failed.length}/${runs.length} runs: ${[...new Set(failed)].join(', ')})` : '';
  return { text: `${format(m)} · p95 ${format(p)}${note}`, median: m, p95: p };
}

function ratioOf(ours: number, theirs: number): string {
  return Number.isFinite(ours) && Number.isFinite(theirs) && theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : '—';
}

function rowsFor(results: readonly ServerRun[], labels: Partial<Record<Metric, string>>, scenarios: readonly string[], withTargets: boolean): Row[] {
  const rows: Row[] = [];
  for (const metric of METRICS) {
    const name = labels[metric];
    if (!name) continue;
    const format = metric === 'rss' ? formatMiB : formatMs;
    for (const label of scenarios) {
      const ours = cellOf(
        results.filter((r) => r.server === OURS && r.scenario === label),
        metric,
        format,
      );
      const yls =
        metric === 'index'
          ? { text: 'n/a (does not index)', median: Number.NaN }
          : cellOf(
              results.filter((r) => r.server === YLS && r.scenario === label),
              metric,
              format,
            );
      const target = withTargets ? TARGETS[metric]?.find((t) => t.label === label) : undefined;
      const ok = target ? verdict(target.stat === 'p95' ? ours.p95 : ours.median, target.limit) : '';
      rows.push({ metric: name, size: label, ours: ours.text, yls: yls.text, ratio: ratioOf(ours.median, yls.median), target: target?.text ?? '', ok });
    }
  }
  return rows;
}

function streamRows(stream: StreamRuns): Row[] {
  const size = `${formatBytes(stream.bytes)}: 1 file vs ${stream.files.toLocaleString('en-US')}`;
  const wall = (runs: readonly CliRun[]): number => median(runs.filter((r) => !r.failure).map((r) => r.wallMs));
  const rss = (runs: readonly CliRun[]): number => median(runs.flatMap((r) => (r.failure || r.maxRssKiB === undefined ? [] : [r.maxRssKiB])));
  const ratio = wall(stream.single) / wall(stream.split);
  return [
    {
      metric: 'CLI on one stream vs the same documents in files: wall time',
      size,
      ours: `${formatMs(wall(stream.single))} vs ${formatMs(wall(stream.split))}`,
      yls: 'n/a (no CLI)',
      ratio: Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '',
      target: `≤ ${STREAM_RATIO_TARGET}×`,
      ok: Number.isFinite(ratio) ? verdict(ratio, STREAM_RATIO_TARGET) : '',
    },
    {
      metric: 'CLI on one stream vs the same documents in files: peak RSS',
      size,
      ours: `${formatMiB(rss(stream.single))} vs ${formatMiB(rss(stream.split))}`,
      yls: 'n/a (no CLI)',
      ratio: '',
      target: '',
      ok: '',
    },
  ];
}

function cliRows(runs: readonly CliRun[], files: number): Row[] {
  const size = `${files.toLocaleString('en-US')} files × ${WORKSPACE_PER_FILE}`;
  const targeted = files === CLI_TARGET.files;
  const target = targeted ? CLI_TARGET.text : CLI_TARGET.elsewhere;
  if (runs.length === 0) return [{ metric: 'CLI `check --format json` wall time', size, ours: 'not run', yls: 'n/a (no CLI)', ratio: '', target, ok: '' }];
  const good = runs.filter((r) => !r.failure);
  const failed = runs.filter((r) => r.failure).map((r) => r.failure ?? '');
  const note = failed.length ? ` (${failed.length}/${runs.length} runs: ${[...new Set(failed)].join(', ')})` : '';
  const wall = good.map((r) => r.wallMs);
  const rss = good.flatMap((r) => (r.maxRssKiB === undefined ? [] : [r.maxRssKiB]));
  const wallMedian = median(wall);
  return [
    {
      metric: 'CLI `check --format json` wall time',
      size,
      ours: wall.length ? `${formatMs(wallMedian)} · p95 ${formatMs(percentile(wall, 95))}${note}` : [...new Set(failed)].join(', '),
      yls: 'n/a (no CLI)',
      ratio: '',
      target,
      ok: targeted ? verdict(wallMedian, CLI_TARGET.limitMs) : '',
    },
    {
      metric: 'CLI peak RSS (maxRSS)',
      size,
      ours: rss.length ? `${formatMiB(median(rss))} · p95 ${formatMiB(percentile(rss, 95))}` : 'no data',
      yls: 'n/a (no CLI)',
      ratio: '',
      target: '',
      ok: '',
    },
  ];
}

/** Extension activation (load `client.js` + `activate`), in fresh processes with a stand-in `vscode` module. */
function activationRow(): Row {
  const base = { metric: 'extension activation (load client.js + activate)', size: '', yls: 'n/a', ratio: '', target: `≤ ${ACTIVATION_TARGET_MS} ms` };
  if (!existsSync(path.join(SNAPSHOT, 'client.js'))) return { ...base, ours: 'client.js not built', ok: '' };
  const times = measureActivation(SNAPSHOT, 7);
  const mid = median(times);
  return { ...base, ours: `${formatMs(mid)} · p95 ${formatMs(percentile(times, 95))} (7 processes)`, ok: verdict(mid, ACTIVATION_TARGET_MS) };
}

function vsixRow(): Row {
  const vsix = existsSync(VSIX) ? `${(statSync(VSIX).size / 1024).toFixed(0)} KiB` : 'not built';
  return { metric: '`.vsix` size', size: '', ours: vsix, yls: '', ratio: '', target: '', ok: '' };
}
