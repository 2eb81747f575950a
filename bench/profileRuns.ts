/** The CPU profiles: our server on the largest single file, and one CLI run on the workspace folder. */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchServer } from './benchServer';
import { runCliCheck } from './cli';
import type { Options } from './options';
import { OUT, ROOT } from './paths';
import { summariseProfile } from './profile';
import { profileText } from './report';
import { singleFileScenario, type Inputs, type Scenario } from './scenarios';
import { failureOf, QUIET_MS } from './serverRuns';
import { oursSpec, startVerified, type Build } from './servers';
import { formatMs } from './stats';

/** A profile's summary for the terminal and for docs/performance.md. */
export interface ProfileReport {
  readonly text: string;
  readonly markdown: string;
}

const PROFILE_PHASES = ['start-up + preflight', 'open → diagnostics', 'edit → diagnostics', 'shutdown'];

/** Both profiles, each skipped (with a line in the log) when it fails; undefined when neither was taken. */
export async function profileAll(build: Build, inputs: Inputs, options: Options, log: (line: string) => void): Promise<ProfileReport | undefined> {
  let profile: ProfileReport | undefined;
  const file = inputs.files.get(Math.max(...options.sizes));
  if (file) {
    log(`profiling our server on ${file.documents} documents…`);
    const profiled = await profileOurServer(build, singleFileScenario(file), options);
    if (typeof profiled === 'string') log(`profile failed: ${profiled}`);
    else profile = profiled;
  }
  if (inputs.workspace && !options.skipCli) {
    log('profiling the CLI on the workspace folder…');
    const cliProfile = await profileCli(build, inputs.workspaceDir, options);
    if (typeof cliProfile === 'string') log(`CLI profile failed: ${cliProfile}`);
    else if (profile) profile = { text: `${profile.text}\n\n${cliProfile.text}`, markdown: `${profile.markdown}\n\n${cliProfile.markdown}` };
    else profile = cliProfile;
  }
  return profile;
}

async function profileOurServer(build: Build, scenario: Scenario, options: Options): Promise<ProfileReport | string> {
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
  const lsp = server.lsp;
  let openMs: number;
  let editMs: number;
  try {
    const since = lsp.lastSeq;
    const opened = performance.now();
    await lsp.open(scenario.uri, scenario.text);
    // The complete diagnostics: a staged first analysis publishes partial ones before them.
    openMs = (await server.waitForQuiet(scenario.uri, since, QUIET_MS, options.timeoutMs)).at - opened;
    // Pauses between the steps show up as idle time, which is how the summary tells the phases apart.
    await sleep(1000);
    const { line, character, from, to } = scenario.edit;
    const editSince = lsp.lastSeq;
    const started = performance.now();
    const version = await lsp.edit(scenario.uri, { start: { line, character }, end: { line, character: character + from.length } }, to);
    editMs = (await lsp.waitForPublication(scenario.uri, { after: editSince, timeoutMs: options.timeoutMs, accept: (p) => p.version === version })).at - started;
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
async function profileCli(build: Build, folder: string, options: Options): Promise<ProfileReport | string> {
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
