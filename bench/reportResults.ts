/** The "Results" section of docs/performance.md: the machine, the inputs, the tables and how to read them. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chartSection, type ChartRuns } from './chartRuns';
import type { CliRun } from './cli';
import type { StreamRuns } from './cliRuns';
import type { Options } from './options';
import { ROOT } from './paths';
import { markdownTable, textTable } from './report';
import { HEADER, resultCells } from './reportRows';
import { SANITY_HEADER, sanityRows } from './reportSanity';
import { WORKSPACE_PER_FILE, type Inputs, type Scenario } from './scenarios';
import type { ServerRun } from './serverRuns';
import type { Build } from './servers';
import { formatBytes, median } from './stats';
import { typingSection, type TypingRuns } from './typingRuns';

/** Everything one benchmark run measured. */
export interface Measured {
  readonly inputs: Inputs;
  readonly scenarios: readonly Scenario[];
  readonly results: readonly ServerRun[];
  readonly cli: readonly CliRun[];
  readonly stream: StreamRuns | undefined;
  readonly chart?: ChartRuns | undefined;
  readonly typing?: TypingRuns | undefined;
}

/** The conditions of the run. */
export interface RunContext {
  readonly options: Options;
  readonly build: Build;
  readonly loadAtStart: readonly number[];
  /** 1-minute load averages sampled before each measured run: a rough sign of other work competing for the cores. */
  readonly loadSamples: readonly number[];
}

const METHOD = [
  'Latency cells pool every sample of every run (median · nearest-rank p95); open → diagnostics, indexing and RSS have one sample per run, so their p95 is the worst run. Ratio is ours ÷ yaml-language-server on the medians (below 1× means ours is faster or smaller). ✓/✗ compares our target statistic (median, or p95 where the target says so).',
  'Open → first diagnostics is timed to the first publish for the opened file; open → complete diagnostics to the last publish before 2.5 s without another (ours publishes a large file in stages: document-local findings of the documents parsed so far, then the complete set; yaml-language-server publishes once). Completion, hover and edits start after the complete set.',
  'Single files are opened with no workspace folder, so nothing but that file is analysed. Before the clock starts, both servers validate a small preflight document whose `mode: DISABLED` only our schema rejects: the servers are warm and verified to use `schemas/egress.schema.json`. yaml-language-server debounces validation by 200 ms, which is part of its numbers (it is what an editor sees).',
  'Single-file edits toggle `tls.mode` DISABLE ⇄ ISTIO_MUTUAL in the DestinationRule of the middle document group (EGR402 comes and goes); workspace edits toggle DISABLE ⇄ DISABLED (EGR002 comes and goes). Ours is timed to the publish carrying the new version, yaml-language-server (which sends no versions) to its next publish.',
  'Workspace runs give both servers the generated folder as their workspace folder; ours indexes it in the background (timed from `initialized` to its "indexed N workspace files" log), then one of its 5-document files is opened and edited. yaml-language-server does not index, so its workspace numbers are those of a small file.',
];

function gitDescription(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'not a git checkout';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'schemas', 'esbuild.js', 'package.json'], { cwd: ROOT, encoding: 'utf8' });
  return `commit ${head.stdout.trim()}${dirty.stdout.trim() ? ' (uncommitted changes in server/ at the time of the run)' : ''}`;
}

export function machineLines({ options, build, loadAtStart, loadSamples }: RunContext): string[] {
  const cpus = os.cpus();
  const ylsVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average ${load(loadAtStart)} at start` +
      (loadSamples.length
        ? `; 1-minute load before each run min ${Math.min(...loadSamples).toFixed(2)}, median ${median(loadSamples).toFixed(2)}, max ${Math.max(...loadSamples).toFixed(2)} (the benchmark itself keeps about 1 core busy)`
        : ''),
    `- Node ${process.version}; yaml-language-server ${ylsVersion}; our server: dist/ built ${build.builtAt.toISOString()} from ${gitDescription()}, copied to bench/out/dist/ for the run`,
    `- ${options.runs} fresh processes per server and input (the order alternates between runs), ${options.requests} completion and ${options.requests} hover requests and ${options.edits} edits per run; step timeout ${options.timeoutMs / 1000} s`,
  ];
}

/** Prints the results and sanity tables, and returns the markdown section with both. */
export function resultsSection(measured: Measured, context: RunContext, log: (line: string) => void): string {
  const { inputs, scenarios, results, cli, stream, chart, typing } = measured;
  const cells = resultCells(results, scenarios, cli, stream, context.options);
  const sanity = sanityRows(
    results,
    scenarios.map((s) => ({ label: s.label, bytes: Buffer.byteLength(s.text) })),
  );
  log('');
  log(textTable(HEADER, cells));
  log('');
  log(textTable(SANITY_HEADER, sanity));
  const chartLines = chart ? chartSection(chart) : [];
  if (chartLines.length) log(['', ...chartLines].join('\n'));
  const typingLines = typing ? typingSection(typing) : [];
  if (typingLines.length) log(['', ...typingLines].join('\n'));
  const files = [...inputs.files.values()];
  const workspace = inputs.workspace;
  const cliFindings = [...new Set(cli.map((r) => r.findings).filter((n): n is number => n !== undefined))];
  return [
    '## Results',
    '',
    ...machineLines(context),
    `- inputs (\`bench/generate.ts\`, seeded, written to \`bench/out/\`): single files of ${files.map((f) => `${f.documents.toLocaleString('en-US')} documents (${formatBytes(Buffer.byteLength(f.text))})`).join(', ')}` +
      (workspace ? `; a workspace folder of ${workspace.files.toLocaleString('en-US')} files × ${WORKSPACE_PER_FILE} documents (${formatBytes(workspace.bytes)})` : '') +
      (cliFindings.length ? `, on which the CLI reports ${cliFindings.join('/')} findings` : ''),
    '',
    markdownTable(HEADER, cells),
    '',
    ...METHOD.flatMap((m) => [m, '']),
    '### Sanity checks',
    '',
    markdownTable(SANITY_HEADER, sanity),
    '',
    'The servers report different diagnostics by design: ours adds its rules (EGR…) to the schema findings, yaml-language-server reports schema findings only (one per deliberate `mode: DISABLED` in the input).',
    ...(chartLines.length ? ['', ...chartLines] : []),
    ...(typingLines.length ? ['', ...typingLines] : []),
  ].join('\n');
}
