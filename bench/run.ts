/**
 * The performance benchmark: our language server against Red Hat's yaml-language-server on the same generated
 * files, side by side in the same run, a fresh process per run; a 2 000-file workspace (our server's background
 * indexing, then an edit in one of its files); the CLI on that folder; optionally a CPU profile of our server on the
 * largest file. Prints a table and writes it into docs/performance.md.
 *
 *   npm run build && node --import tsx bench/run.ts [--runs 3] [--sizes 10,100,1000,10000] [--quick] [--profile]
 *
 * `--help` lists every flag. A benchmark only: nothing here runs in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Diagnostic, Position } from 'vscode-languageserver-protocol/node';
import { measureActivation } from './activation';
import { runCliCheck, type CliRun } from './cli';
import { writeSingleFile, writeWorkspace, type Anchor, type GeneratedFile, type GeneratedWorkspace } from './generate';
import { summariseProfile } from './profile';
import { markdownTable, profileText, textTable, writeMarkdown } from './report';
import { BenchServer, killAllStarted, ServerGone, StepTimeout, type ServerSpec } from './server';
import { formatBytes, formatMiB, formatMs, median, percentile } from './stats';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const DIST = path.join(ROOT, 'dist');
/** The build under test is copied here first, so a rebuild of dist/ during the run cannot mix two builds. */
const SNAPSHOT = path.join(OUT, 'dist');
const YAML_LS = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const SCHEMA = path.join(ROOT, 'schemas', 'egress.schema.json');
const VSIX = path.join(ROOT, 'istio-egress.vsix');
const DOC = path.join(ROOT, 'docs', 'performance.md');
const OURS = 'ours';
const YLS = 'yaml-language-server';
const WORKSPACE_PER_FILE = 5;

// ---------------------------------------------------------------------------------------------------------------
// Options

const HELP = `node --import tsx bench/run.ts [flags]

  --runs N              fresh server processes per size and server, and CLI runs (default 3; --quick: 1)
  --sizes A,B,…         documents per single file (default 10,100,1000,10000; --quick: 10,100,1000)
  --quick               the small sizes, one run, a 200-file workspace; writes bench/out/performance-quick.md
  --profile             also CPU-profile our server on the largest size (open → diagnostics → one edit → diagnostics)
  --profile-only        only the CPU profile (with --sizes to pick its file)
  --requests N          completion and hover requests per run (default 30)
  --edits N             one-line edits per run (default 6)
  --workspace-files N   files of 5 documents in the workspace folder (default 2000; --quick: 200)
  --stream-mb N         the CLI on one N MB stream against the same documents in files (default 20; --quick: 2)
  --servers LIST        ours,yaml-language-server (default both)
  --skip-workspace      no workspace (indexing, edit in a workspace file) runs
  --skip-cli            no CLI runs
  --timeout S           limit for each step (a request, a wait for diagnostics), in seconds (default 60)
  --out FILE            markdown to write the results into (default docs/performance.md)
  --no-write            print only
`;

interface Options {
  readonly runs: number;
  readonly sizes: readonly number[];
  readonly quick: boolean;
  readonly profile: boolean;
  readonly profileOnly: boolean;
  readonly requests: number;
  readonly edits: number;
  readonly workspaceFiles: number;
  readonly streamMb: number;
  readonly servers: readonly string[];
  readonly skipWorkspace: boolean;
  readonly skipCli: boolean;
  readonly timeoutMs: number;
  readonly out: string | undefined;
}

function positiveInt(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, not '${value}'`);
  return n;
}

function parseOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string' },
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'profile-only': { type: 'boolean', default: false },
      requests: { type: 'string' },
      edits: { type: 'string' },
      'workspace-files': { type: 'string' },
      'stream-mb': { type: 'string' },
      servers: { type: 'string' },
      'skip-workspace': { type: 'boolean', default: false },
      'skip-cli': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return undefined;
  }
  const quick = values.quick === true;
  const sizes = (values.sizes ?? (quick ? '10,100,1000' : '10,100,1000,10000')).split(',').map((s) => positiveInt(s.trim(), 0, '--sizes'));
  if (sizes.some((s) => s < 6)) throw new Error('--sizes: each file needs at least 6 documents');
  const servers = (values.servers ?? `${OURS},${YLS}`).split(',').map((s) => s.trim());
  for (const s of servers) if (s !== OURS && s !== YLS) throw new Error(`--servers: unknown server '${s}' (${OURS}, ${YLS})`);
  const out = values['no-write'] ? undefined : path.resolve(values.out ?? (quick ? path.join(OUT, 'performance-quick.md') : DOC));
  return {
    runs: positiveInt(values.runs, quick ? 1 : 3, '--runs'),
    sizes,
    quick,
    profile: values.profile === true || values['profile-only'] === true,
    profileOnly: values['profile-only'] === true,
    requests: positiveInt(values.requests, 30, '--requests'),
    edits: positiveInt(values.edits, 6, '--edits'),
    workspaceFiles: positiveInt(values['workspace-files'], quick ? 200 : 2000, '--workspace-files'),
    streamMb: positiveInt(values['stream-mb'], quick ? 2 : 20, '--stream-mb'),
    servers,
    skipWorkspace: values['skip-workspace'] === true,
    skipCli: values['skip-cli'] === true,
    timeoutMs: positiveInt(values.timeout, 60, '--timeout') * 1000,
    out,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The build under test and the servers

interface Build {
  readonly server: string;
  readonly cli: string;
  /** dist/server.js's modification time when it was copied. */
  readonly builtAt: Date;
}

function snapshotBuild(): Build | string {
  mkdirSync(SNAPSHOT, { recursive: true });
  for (const name of ['server.js', 'cli.js']) {
    const source = path.join(DIST, name);
    if (!existsSync(source)) return `dist/${name} is missing: run \`npm run build\` first`;
  }
  const builtAt = statSync(path.join(DIST, 'server.js')).mtime;
  // The source maps come along so that the profile can name original files.
  for (const name of ['server.js', 'server.js.map', 'cli.js', 'cli.js.map', 'client.js']) {
    if (existsSync(path.join(DIST, name))) copyFileSync(path.join(DIST, name), path.join(SNAPSHOT, name));
  }
  return { server: path.join(SNAPSHOT, 'server.js'), cli: path.join(SNAPSHOT, 'cli.js'), builtAt };
}

const YAML_SETTINGS = {
  schemas: { [pathToFileURL(SCHEMA).toString()]: '*.yaml' },
  validate: true,
  completion: true,
  hover: true,
  // Offline and like for like: no schema store catalogue or CRD catalogue from the network, only our schema.
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
};

function oursSpec(serverJs: string, nodeFlags: readonly string[] = []): ServerSpec {
  return {
    name: OURS,
    args: [...nodeFlags, serverJs, '--stdio'],
    pushedSettings: { istioEgress: {} },
    configuration: (section) => (section === 'istioEgress' ? {} : null),
  };
}

const YLS_SPEC: ServerSpec = {
  name: YLS,
  args: [YAML_LS, '--stdio'],
  pushedSettings: { yaml: YAML_SETTINGS },
  configuration: (section) => {
    switch (section) {
      case 'yaml':
        return YAML_SETTINGS;
      case 'http':
        return { proxy: '', proxyStrictSSL: false };
      case '[yaml]':
      case 'editor':
      case 'istioEgress':
        return {};
      default:
        return null;
    }
  },
};

/** A DestinationRule whose `mode: DISABLED` (line 8) only a server validating against our schema reports. */
const PREFLIGHT_TEXT = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: preflight
spec:
  host: preflight.example.com
  trafficPolicy:
    tls:
      mode: DISABLED
`;
const PREFLIGHT_LINE = 8;

/** What our server logs when its background walk of the workspace folders is done. */
const INDEXED_LOG = /indexed (\d+) workspace files/;

// ---------------------------------------------------------------------------------------------------------------
// Scenarios and runs

/** One way of exercising a server: which folder it gets, which file is opened, where requests and edits go. */
interface Scenario {
  readonly kind: 'single' | 'workspace';
  /** Size column of the table. */
  readonly label: string;
  readonly workspaceUri: string | null;
  readonly uri: string;
  readonly text: string;
  readonly completionAt: readonly Position[];
  readonly hoverAt: readonly Position[];
  /** The value toggled `from` ⇄ `to`; our server must report `code` on that line exactly when the value is `to`. */
  readonly edit: { readonly line: number; readonly character: number; readonly from: string; readonly to: string; readonly code: string };
}

type Metric = 'index' | 'open' | 'complete' | 'completion' | 'hover' | 'edit' | 'rss';
const METRICS: readonly Metric[] = ['index', 'open', 'complete', 'completion', 'hover', 'edit', 'rss'];

/**
 * How long no new publish must come for the last one to count as the complete diagnostics. Ours publishes a large
 * file's local findings in stages (every ~0.5 s of parsing) before the complete set; the gaps stay well below this.
 */
const QUIET_MS = 2500;

interface ServerRun {
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

function failureOf(error: unknown): string {
  if (error instanceof StepTimeout) return 'timeout';
  if (error instanceof ServerGone) return 'crashed';
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function anchor(file: GeneratedFile, type: Anchor['type'], role: NonNullable<Anchor['role']>): Anchor {
  const found = file.anchors.find((a) => a.type === type && a.role === role);
  if (!found) throw new Error(`generated file has no ${role} ${type} anchor`);
  return found;
}

function singleFileScenario(file: GeneratedFile & { path: string }): Scenario {
  const at = (type: Anchor['type'], role: 'middle' | 'end', shift = 0): Position => {
    const a = anchor(file, type, role);
    return { line: a.line, character: a.character + shift };
  };
  const target = anchor(file, 'modeValue', 'middle');
  return {
    kind: 'single',
    label: file.documents.toLocaleString('en-US'),
    workspaceUri: null,
    uri: pathToFileURL(file.path).toString(),
    text: file.text,
    // Completion at a `mode:` value and at a key of the middle and the last DestinationRule; hover inside those keys.
    completionAt: [at('modeValue', 'middle'), at('hostKey', 'middle'), at('modeValue', 'end'), at('hostKey', 'end')],
    hoverAt: [at('modeKey', 'middle', 1), at('hostKey', 'middle', 1), at('modeKey', 'end', 1), at('hostKey', 'end', 1)],
    // DISABLE ⇄ ISTIO_MUTUAL on a DestinationRule for a selector-less Service: EGR402 comes and goes.
    edit: { line: target.line, character: target.character, from: target.value ?? 'DISABLE', to: 'ISTIO_MUTUAL', code: 'EGR402' },
  };
}

function workspaceScenario(dir: string, ws: GeneratedWorkspace): Scenario | undefined {
  const probe = ws.probe;
  if (!probe) return undefined;
  return {
    kind: 'workspace',
    label: `${ws.files.toLocaleString('en-US')} files × ${WORKSPACE_PER_FILE}`,
    workspaceUri: pathToFileURL(dir).toString(),
    uri: pathToFileURL(probe.path).toString(),
    text: probe.text,
    completionAt: [],
    hoverAt: [],
    // DISABLE ⇄ DISABLED: a schema error (EGR002) comes and goes, so every edit changes the diagnostics.
    edit: { line: probe.anchor.line, character: probe.anchor.character, from: 'DISABLE', to: 'DISABLED', code: 'EGR002' },
  };
}

/** Starts a server, lets `beforePreflight` run, checks it validates with our schema, and leaves it idle. */
async function startVerified(spec: ServerSpec, workspaceUri: string | null, timeoutMs: number, beforePreflight?: (server: BenchServer) => Promise<void>): Promise<BenchServer> {
  const server = new BenchServer(spec, ROOT);
  try {
    await server.initialize(workspaceUri, timeoutMs);
    if (beforePreflight) await beforePreflight(server);
    const uri = pathToFileURL(path.join(OUT, 'manifests', 'preflight.yaml')).toString();
    const since = server.lastSeq;
    await server.open(uri, PREFLIGHT_TEXT);
    // Both report the schema error through our schema; the first publish may come before settings are applied.
    await server.waitForPublish(uri, since, Math.min(timeoutMs, 30_000), (p) => p.diagnostics.some((d) => d.range.start.line === PREFLIGHT_LINE));
    const closing = server.lastSeq;
    await server.close(uri);
    await server.waitForPublish(uri, closing, 5000, (p) => p.diagnostics.length === 0).catch(() => undefined);
    // Let anything pending (yaml-language-server debounces validation by 200 ms) drain before the clock starts.
    await sleep(300);
    return server;
  } catch (error) {
    server.kill();
    if (error instanceof StepTimeout) throw new Error(`${spec.name} did not validate the preflight document against schemas/egress.schema.json`);
    throw error;
  }
}

function hasCodeAt(diagnostics: readonly Diagnostic[], code: string, line: number): boolean {
  return diagnostics.some((d) => d.code === code && d.range.start.line === line);
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
    scenario.workspaceUri && spec.name === OURS
      ? async (server: BenchServer): Promise<void> => {
          try {
            const log = await server.waitForLog(INDEXED_LOG, t);
            result.indexMs = log.at - server.initializedAt;
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
  const uri = scenario.uri;
  let current: Metric = 'open';
  try {
    const since = server.lastSeq;
    const opened = performance.now();
    await server.open(uri, scenario.text);
    const first = await server.waitForPublish(uri, since, t);
    result.openMs = first.at - opened;
    result.openDiagnostics = first.diagnostics.length;
    const afterOpen = server.peakRssKiB();
    if (afterOpen !== undefined) result.rssAfterOpenKiB = afterOpen;

    current = 'complete';
    const complete = await server.waitForQuiet(uri, since, QUIET_MS, t);
    result.completeMs = complete.at - opened;
    result.completeDiagnostics = complete.diagnostics.length;
    result.openPublishes = server.publishes.filter((p) => p.uri === uri && p.seq > since && p.seq <= complete.seq).length;

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
      const editSince = server.lastSeq;
      const started = performance.now();
      const version = await server.edit(uri, range, next);
      // Our server publishes with the version; yaml-language-server publishes without one: its next publish counts.
      const published = await server.waitForPublish(uri, editSince, t, (p) => p.version === undefined || p.version === version);
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

// ---------------------------------------------------------------------------------------------------------------
// The CPU profile

const PROFILE_PHASES = ['start-up + preflight', 'open → diagnostics', 'edit → diagnostics', 'shutdown'];

async function profileOurServer(build: Build, scenario: Scenario, options: Options): Promise<{ text: string; markdown: string } | string> {
  const dir = path.join(OUT, 'profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spec = oursSpec(build.server, ['--cpu-prof', '--cpu-prof-dir', dir]);
  let server: BenchServer;
  try {
    server = await startVerified(spec, null, options.timeoutMs);
  } catch (error) {
    return failureOf(error);
  }
  let openMs: number;
  let editMs: number;
  try {
    const since = server.lastSeq;
    const opened = performance.now();
    await server.open(scenario.uri, scenario.text);
    // The complete diagnostics: a staged first analysis publishes partial ones before them.
    openMs = (await server.waitForQuiet(scenario.uri, since, QUIET_MS, options.timeoutMs)).at - opened;
    // Pauses between the steps show up as idle time, which is how the summary tells the phases apart.
    await sleep(1000);
    const { line, character, from, to } = scenario.edit;
    const editSince = server.lastSeq;
    const started = performance.now();
    const version = await server.edit(scenario.uri, { start: { line, character }, end: { line, character: character + from.length } }, to);
    editMs = (await server.waitForPublish(scenario.uri, editSince, options.timeoutMs, (p) => p.version === version)).at - started;
    await sleep(1000);
    // The profile is written when the process exits normally: give it time.
    await server.stop(30_000);
  } catch (error) {
    server.kill();
    return failureOf(error);
  }
  const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const newest = written.map((f) => path.join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return 'no .cpuprofile written';
  const summary = summariseProfile(newest);
  const head =
    `CPU profile of our server on the ${scenario.label}-document file, opened on its own (open → diagnostics → one edit → diagnostics; ` +
    `in the profiled run open→complete diagnostics took ${formatMs(openMs)} and edit→diag ${formatMs(editMs)}). ` +
    'Self time is time in the function itself; inclusive time adds its synchronous callees (work resumed after an `await` is charged to the microtask, not to the caller). ' +
    'Positions are mapped back to the original sources through the bundle’s source map.';
  return { text: `${head}\n${profileText(summary, PROFILE_PHASES, false, ROOT)}`, markdown: `### The language server\n\n${head}\n\n${profileText(summary, PROFILE_PHASES, true, ROOT)}` };
}

/** One CLI run on the workspace folder under `--cpu-prof`, summarised as a whole (it has no pauses). */
async function profileCli(build: Build, folder: string, options: Options): Promise<{ text: string; markdown: string } | string> {
  const dir = path.join(OUT, 'profiles', 'cli');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = await runCliCheck(build.cli, folder, ROOT, Math.max(options.timeoutMs, 120_000), ['--cpu-prof', '--cpu-prof-dir', dir]);
  if (run.failure) return run.failure;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return 'no .cpuprofile written';
  const summary = summariseProfile(path.join(dir, file), { gapMs: 60_000 });
  const head = `CPU profile of one CLI run, \`check --format json\` on the ${options.workspaceFiles.toLocaleString('en-US')}-file folder (${formatMs(run.wallMs)} wall time under the profiler).`;
  return { text: `${head}\n${profileText(summary, [], false, ROOT, { phases: false })}`, markdown: `### The CLI\n\n${head}\n\n${profileText(summary, [], true, ROOT, { phases: false })}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

interface Row {
  readonly metric: string;
  readonly size: string;
  readonly ours: string;
  readonly yls: string;
  readonly ratio: string;
  readonly target: string;
  readonly ok: string;
}

interface Target {
  readonly label: string;
  readonly stat: 'median' | 'p95';
  readonly limit: number;
  readonly text: string;
}

const TARGETS: Partial<Record<Metric, readonly Target[]>> = {
  open: [
    { label: '100', stat: 'median', limit: 30, text: '≤ 30 ms' },
    { label: '10,000', stat: 'median', limit: 600, text: '≤ 600 ms' },
  ],
  completion: [{ label: '10,000', stat: 'p95', limit: 5, text: 'p95 ≤ 5 ms' }],
  hover: [{ label: '10,000', stat: 'p95', limit: 5, text: 'p95 ≤ 5 ms' }],
  edit: [{ label: '10,000', stat: 'median', limit: 50, text: '≤ 50 ms' }],
  rss: [{ label: '10,000', stat: 'median', limit: 300 * 1024, text: '≤ 300 MiB' }],
};
const CLI_TARGET_MS = 3000;

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

function rowsFor(results: readonly ServerRun[], labels: Partial<Record<Metric, string>>, scenarios: readonly string[], withTargets: boolean): Row[] {
  const rows: Row[] = [];
  for (const metric of METRICS) {
    const name = labels[metric];
    if (!name) continue;
    const format = metric === 'rss' ? formatMiB : formatMs;
    for (const label of scenarios) {
      const ours = cellOf(results.filter((r) => r.server === OURS && r.scenario === label), metric, format);
      const yls = metric === 'index' ? { text: 'n/a (does not index)', median: Number.NaN } : cellOf(results.filter((r) => r.server === YLS && r.scenario === label), metric, format);
      const target = withTargets ? TARGETS[metric]?.find((t) => t.label === label) : undefined;
      let ok = '';
      if (target) {
        const value = target.stat === 'p95' ? ours.p95 : ours.median;
        ok = Number.isFinite(value) && value <= target.limit ? '✓' : '✗';
      }
      rows.push({ metric: name, size: label, ours: ours.text, yls: yls.text, ratio: ratioOf(ours.median, yls.median), target: target?.text ?? '', ok });
    }
  }
  return rows;
}

/** One stream against the same documents in files: the CLI must not slow down with the documents of one file. */
interface StreamRuns {
  readonly bytes: number;
  readonly files: number;
  readonly documents: number;
  readonly single: readonly CliRun[];
  readonly split: readonly CliRun[];
}

const STREAM_RATIO_TARGET = 1.5;

async function measureStream(cliPath: string, workspace: GeneratedWorkspace, options: Options, log: (line: string) => void): Promise<StreamRuns> {
  const perFile = workspace.bytes / workspace.files;
  const files = Math.max(1, Math.ceil((options.streamMb * 1024 * 1024) / perFile));
  const splitDir = path.join(OUT, 'stream-files');
  const generated = writeWorkspace(splitDir, files, WORKSPACE_PER_FILE);
  const streamFile = path.join(OUT, 'stream.yaml');
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else texts.push(readFileSync(full, 'utf8').replace(/\n?$/, '\n'));
    }
  };
  walk(splitDir);
  writeFileSync(streamFile, texts.join('---\n'));
  log(`input: ${path.relative(ROOT, streamFile)} — ${generated.documents} documents in one file (${formatBytes(statSync(streamFile).size)}), and the same in ${files} files`);
  const single: CliRun[] = [];
  const split: CliRun[] = [];
  const limit = Math.max(options.timeoutMs, 600_000);
  for (let run = 1; run <= options.runs; run++) {
    // Alternate which goes first, so a load change on the machine falls on both.
    const order = run % 2 === 1 ? (['single', 'split'] as const) : (['split', 'single'] as const);
    for (const which of order) {
      const r = await runCliCheck(cliPath, which === 'single' ? streamFile : splitDir, ROOT, limit);
      (which === 'single' ? single : split).push(r);
      log(`cli ${which} run ${run}/${options.runs}: ${formatMs(r.wallMs)}, maxRSS ${formatMiB(r.maxRssKiB ?? Number.NaN)}, ${r.findings ?? '?'} findings${r.failure ? ` [${r.failure}]` : ''}`);
    }
  }
  return { bytes: statSync(streamFile).size, files, documents: generated.documents, single, split };
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
      ok: Number.isFinite(ratio) ? (ratio <= STREAM_RATIO_TARGET ? '✓' : '✗') : '',
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
  const targeted = files === 2000;
  const target = targeted ? '≤ 3 s' : '(≤ 3 s at 2,000 files)';
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
      ok: targeted ? (Number.isFinite(wallMedian) && wallMedian <= CLI_TARGET_MS ? '✓' : '✗') : '',
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

const ACTIVATION_TARGET_MS = 50;

/** Extension activation (load `client.js` + `activate`), in fresh processes with a stand-in `vscode` module. */
function activationRow(): Row {
  const base = { metric: 'extension activation (load client.js + activate)', size: '', yls: 'n/a', ratio: '', target: `≤ ${ACTIVATION_TARGET_MS} ms` };
  if (!existsSync(path.join(SNAPSHOT, 'client.js'))) return { ...base, ours: 'client.js not built', ok: '' };
  const times = measureActivation(SNAPSHOT, 7);
  const mid = median(times);
  return { ...base, ours: `${formatMs(mid)} · p95 ${formatMs(percentile(times, 95))} (7 processes)`, ok: mid <= ACTIVATION_TARGET_MS ? '✓' : '✗' };
}

function vsixRow(): Row {
  const vsix = existsSync(VSIX) ? `${(statSync(VSIX).size / 1024).toFixed(0)} KiB` : 'not built';
  return { metric: '`.vsix` size', size: '', ours: vsix, yls: '', ratio: '', target: '', ok: '' };
}

const HEADER = ['metric', 'size', 'ours (median · p95)', `${YLS} (median · p95)`, 'ratio ours/yls', 'target', '✓/✗'];

function rowCells(r: Row): string[] {
  return [r.metric, r.size, r.ours, r.yls, r.ratio, r.target, r.ok];
}

const SANITY_HEADER = ['input', 'opened file', 'diagnostics at open: first → complete [publishes] (ours / yls)', 'peak RSS right after open, median (ours / yls)', 'completion items, median (ours / yls)', 'hovers answered (ours / yls)', 'edits show up in our diagnostics'];

function sanityRows(results: readonly ServerRun[], inputs: readonly { label: string; bytes: number }[]): string[][] {
  return inputs.map(({ label, bytes }) => {
    const of = (server: string): ServerRun[] => results.filter((r) => r.server === server && r.scenario === label);
    const diag = (server: string): string => {
      const distinct = (pick: (r: ServerRun) => number | undefined): string =>
        [...new Set(of(server).flatMap((r) => (pick(r) === undefined ? [] : [pick(r)])))].join('/') || '?';
      if (!of(server).some((r) => r.openDiagnostics !== undefined)) return '—';
      const first = distinct((r) => r.openDiagnostics);
      const complete = distinct((r) => r.completeDiagnostics);
      return first === complete ? first : `${first} → ${complete} [${distinct((r) => r.openPublishes)}]`;
    };
    const items = (server: string): string => {
      const all = of(server).flatMap((r) => r.completionItems);
      return all.length ? `${median(all)} (min ${Math.min(...all)})` : '—';
    };
    const hovers = (server: string): string => {
      const runs = of(server).filter((r) => r.hoverMs.length);
      return runs.length ? `${runs.reduce((n, r) => n + r.hoverAnswered, 0)}/${runs.reduce((n, r) => n + r.hoverMs.length, 0)}` : '—';
    };
    const rssAfterOpen = (server: string): string => {
      const values = of(server).flatMap((r) => (r.rssAfterOpenKiB === undefined ? [] : [r.rssAfterOpenKiB]));
      return values.length ? formatMiB(median(values)) : '—';
    };
    const consistent = of(OURS).map((r) => r.editsConsistent).filter((c): c is boolean => c !== undefined);
    return [
      label,
      formatBytes(bytes),
      `${diag(OURS)} / ${diag(YLS)}`,
      `${rssAfterOpen(OURS)} / ${rssAfterOpen(YLS)}`,
      `${items(OURS)} / ${items(YLS)}`,
      `${hovers(OURS)} / ${hovers(YLS)}`,
      consistent.length ? (consistent.every(Boolean) ? 'yes' : 'NO') : '—',
    ];
  });
}

function gitDescription(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'not a git checkout';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'schemas', 'esbuild.js', 'package.json'], { cwd: ROOT, encoding: 'utf8' });
  return `commit ${head.stdout.trim()}${dirty.stdout.trim() ? ' (uncommitted changes in server/ at the time of the run)' : ''}`;
}

/** 1-minute load averages sampled before each measured run: a rough sign of other work competing for the 2 cores. */
const LOAD_SAMPLES: number[] = [];

function machineLines(options: Options, build: Build, loadAtStart: readonly number[]): string[] {
  const cpus = os.cpus();
  const ylsVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; load average ${load(loadAtStart)} at start` +
      (LOAD_SAMPLES.length
        ? `; 1-minute load before each run min ${Math.min(...LOAD_SAMPLES).toFixed(2)}, median ${median(LOAD_SAMPLES).toFixed(2)}, max ${Math.max(...LOAD_SAMPLES).toFixed(2)} (the benchmark itself keeps about 1 core busy)`
        : ''),
    `- Node ${process.version}; yaml-language-server ${ylsVersion}; our server: dist/ built ${build.builtAt.toISOString()} from ${gitDescription()}, copied to bench/out/dist/ for the run`,
    `- ${options.runs} fresh processes per server and input (the order alternates between runs), ${options.requests} completion and ${options.requests} hover requests and ${options.edits} edits per run; step timeout ${options.timeoutMs / 1000} s`,
  ];
}

const METHOD = [
  'Latency cells pool every sample of every run (median · nearest-rank p95); open → diagnostics, indexing and RSS have one sample per run, so their p95 is the worst run. Ratio is ours ÷ yaml-language-server on the medians (below 1× means ours is faster or smaller). ✓/✗ compares our target statistic (median, or p95 where the target says so).',
  'Open → first diagnostics is timed to the first publish for the opened file; open → complete diagnostics to the last publish before 2.5 s without another (ours publishes a large file in stages: document-local findings of the documents parsed so far, then the complete set; yaml-language-server publishes once). Completion, hover and edits start after the complete set.',
  'Single files are opened with no workspace folder, so nothing but that file is analysed. Before the clock starts, both servers validate a small preflight document whose `mode: DISABLED` only our schema rejects: the servers are warm and verified to use `schemas/egress.schema.json`. yaml-language-server debounces validation by 200 ms, which is part of its numbers (it is what an editor sees).',
  'Single-file edits toggle `tls.mode` DISABLE ⇄ ISTIO_MUTUAL in the DestinationRule of the middle document group (EGR402 comes and goes); workspace edits toggle DISABLE ⇄ DISABLED (EGR002 comes and goes). Ours is timed to the publish carrying the new version, yaml-language-server (which sends no versions) to its next publish.',
  'Workspace runs give both servers the generated folder as their workspace folder; ours indexes it in the background (timed from `initialized` to its "indexed N workspace files" log), then one of its 5-document files is opened and edited. yaml-language-server does not index, so its workspace numbers are those of a small file.',
];

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  if (!existsSync(YAML_LS)) {
    console.error('node_modules/yaml-language-server is missing');
    return 2;
  }
  const build = snapshotBuild();
  if (typeof build === 'string') {
    console.error(build);
    return 2;
  }
  const loadAtStart = os.loadavg();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const specs: Record<string, ServerSpec> = { [OURS]: oursSpec(build.server), [YLS]: YLS_SPEC };
  mkdirSync(OUT, { recursive: true });
  log(machineLines(options, build, loadAtStart).join('\n'));

  const files = new Map<number, GeneratedFile & { path: string }>();
  for (const size of options.sizes) files.set(size, writeSingleFile(OUT, size));
  for (const f of files.values()) log(`input: ${path.relative(ROOT, f.path)} — ${f.documents} documents, ${formatBytes(Buffer.byteLength(f.text))}`);
  const inputs: { label: string; bytes: number }[] = [...files.values()].map((f) => ({ label: f.documents.toLocaleString('en-US'), bytes: Buffer.byteLength(f.text) }));

  const workspaceDir = path.join(OUT, 'workspace');
  let workspace: GeneratedWorkspace | undefined;
  if (!options.profileOnly && !(options.skipCli && options.skipWorkspace)) {
    workspace = writeWorkspace(workspaceDir, options.workspaceFiles, WORKSPACE_PER_FILE);
    log(`input: ${path.relative(ROOT, workspaceDir)}/ — ${workspace.files} files, ${workspace.documents} documents, ${formatBytes(workspace.bytes)}`);
  }

  const results: ServerRun[] = [];
  const scenarios: Scenario[] = options.profileOnly ? [] : [...files.values()].map(singleFileScenario);
  const wsScenario = workspace && !options.skipWorkspace && !options.profileOnly ? workspaceScenario(workspaceDir, workspace) : undefined;
  if (wsScenario && workspace) {
    scenarios.push(wsScenario);
    inputs.push({ label: wsScenario.label, bytes: Buffer.byteLength(wsScenario.text) });
  }
  for (const scenario of scenarios) {
    for (let run = 1; run <= options.runs; run++) {
      const order = run % 2 === 1 ? options.servers : [...options.servers].reverse();
      for (const name of order) {
        const spec = specs[name];
        if (!spec) continue;
        LOAD_SAMPLES.push(os.loadavg()[0] ?? Number.NaN);
        const r = await measureRun(spec, scenario, run, options);
        results.push(r);
        log(`${scenario.kind} ${scenario.label} run ${run}/${options.runs} ${name}: ${describeRun(r)}`);
      }
    }
  }

  const cli: CliRun[] = [];
  if (workspace && !options.skipCli) {
    for (let run = 1; run <= options.runs; run++) {
      const r = await runCliCheck(build.cli, workspaceDir, ROOT, Math.max(options.timeoutMs, 120_000));
      cli.push(r);
      log(`cli run ${run}/${options.runs}: ${formatMs(r.wallMs)}, maxRSS ${formatMiB(r.maxRssKiB ?? Number.NaN)}, exit ${String(r.exitCode)}, ${r.findings ?? '?'} findings${r.failure ? ` [${r.failure}]` : ''}`);
    }
  }

  const stream = workspace && !options.skipCli ? await measureStream(build.cli, workspace, options, log) : undefined;

  let profile: { text: string; markdown: string } | undefined;
  if (options.profile) {
    const file = files.get(Math.max(...options.sizes));
    if (file) {
      log(`profiling our server on ${file.documents} documents…`);
      const profiled = await profileOurServer(build, singleFileScenario(file), options);
      if (typeof profiled === 'string') log(`profile failed: ${profiled}`);
      else profile = profiled;
    }
  }

  if (options.profile && workspace && !options.skipCli) {
    log('profiling the CLI on the workspace folder…');
    const cliProfile = await profileCli(build, workspaceDir, options);
    if (typeof cliProfile === 'string') log(`CLI profile failed: ${cliProfile}`);
    else if (profile) profile = { text: `${profile.text}\n\n${cliProfile.text}`, markdown: `${profile.markdown}\n\n${cliProfile.markdown}` };
    else profile = cliProfile;
  }

  let resultsBody: string | undefined;
  if (!options.profileOnly) {
    const singleLabels = [...files.values()].map((f) => f.documents.toLocaleString('en-US'));
    const rows = [
      ...rowsFor(results, SINGLE_LABELS, singleLabels, true),
      ...(wsScenario ? rowsFor(results, WORKSPACE_LABELS, [wsScenario.label], false) : []),
      ...(options.skipCli ? [] : cliRows(cli, options.workspaceFiles)),
      ...(stream ? streamRows(stream) : []),
      activationRow(),
      vsixRow(),
    ];
    const sanity = sanityRows(results, inputs);
    log('');
    log(textTable(HEADER, rows.map(rowCells)));
    log('');
    log(textTable(SANITY_HEADER, sanity));
    const cliFindings = [...new Set(cli.map((r) => r.findings).filter((n): n is number => n !== undefined))];
    resultsBody = [
      '## Results',
      '',
      ...machineLines(options, build, loadAtStart),
      `- inputs (\`bench/generate.ts\`, seeded, written to \`bench/out/\`): single files of ${[...files.values()].map((f) => `${f.documents.toLocaleString('en-US')} documents (${formatBytes(Buffer.byteLength(f.text))})`).join(', ')}` +
        (workspace ? `; a workspace folder of ${workspace.files.toLocaleString('en-US')} files × ${WORKSPACE_PER_FILE} documents (${formatBytes(workspace.bytes)})` : '') +
        (cliFindings.length ? `, on which the CLI reports ${cliFindings.join('/')} findings` : ''),
      '',
      markdownTable(HEADER, rows.map(rowCells)),
      '',
      ...METHOD.flatMap((m) => [m, '']),
      '### Sanity checks',
      '',
      markdownTable(SANITY_HEADER, sanity),
      '',
      'The servers report different diagnostics by design: ours adds its rules (EGR…) to the schema findings, yaml-language-server reports schema findings only (one per deliberate `mode: DISABLED` in the input).',
    ].join('\n');
    writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ options, build, results, cli }, null, 2));
  }
  if (profile) {
    log('');
    log(profile.text);
  }
  if (options.out && (resultsBody !== undefined || profile !== undefined)) {
    writeMarkdown(options.out, resultsBody, profile?.markdown);
    log(`\nwritten: ${path.relative(process.cwd(), options.out)}`);
  }
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllStarted();
    process.exit(130);
  });
}
process.on('exit', killAllStarted);

main().then(
  (code) => {
    killAllStarted();
    process.exitCode = code;
  },
  (error: unknown) => {
    killAllStarted();
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
