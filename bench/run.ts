/**
 * The performance benchmark: our language server against Red Hat's yaml-language-server on the same generated
 * files, side by side in the same run, a fresh process per run; a 2 000-file workspace (our server's background
 * indexing, then an edit in one of its files); the CLI on that folder; optionally a CPU profile of our server on the
 * largest file; typing a key into large files (completion and diagnostics per keystroke, typingRuns.ts). Prints a
 * table and writes it into docs/performance.md.
 *
 *   npm run build && node --import tsx bench/run.ts [--runs 3] [--sizes 10,100,1000,10000] [--quick] [--profile]
 *
 * `--help` lists every flag. A benchmark only: nothing here runs in `npm test`.
 *
 * The steps live beside this file: options.ts (flags), servers.ts and benchServer.ts (the servers and the client
 * driving them), scenarios.ts and serverRuns.ts (what is measured), cliRuns.ts, profileRuns.ts, targets.ts, and the
 * report*.ts files (tables and docs/performance.md).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureChartSave } from './chartRuns';
import { runCliOnWorkspace, measureStream } from './cliRuns';
import { parseOptions } from './options';
import { OUT, YAML_LS } from './paths';
import { killAllStarted } from './processes';
import { profileAll } from './profileRuns';
import { writeMarkdown } from './report';
import { machineLines, resultsSection, type RunContext } from './reportResults';
import { scenariosFor, writeInputs } from './scenarios';
import { runScenarios } from './serverRuns';
import { serverSpecs, snapshotBuild } from './servers';
import { measureTyping, typingWanted } from './typingRuns';

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
  const loadSamples: number[] = [];
  const context: RunContext = { options, build, loadAtStart: os.loadavg(), loadSamples };
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  mkdirSync(OUT, { recursive: true });
  log(machineLines(context).join('\n'));

  const inputs = writeInputs(options, log);
  const scenarios = scenariosFor(inputs, options);
  const results = await runScenarios(scenarios, serverSpecs(build), options, log, loadSamples);
  const withCli = inputs.workspace !== undefined && !options.skipCli;
  const cli = withCli ? await runCliOnWorkspace(build.cli, inputs.workspaceDir, options, log) : [];
  const stream = withCli && inputs.workspace ? await measureStream(build.cli, inputs.workspace, options, log) : undefined;
  const chart = options.skipChart || options.profileOnly ? undefined : await measureChartSave(build, options, log);
  const typing = typingWanted(options) ? await measureTyping(build, options, log) : undefined;
  const profile = options.profile ? await profileAll(build, inputs, options, log) : undefined;

  let resultsBody: string | undefined;
  if (!options.profileOnly) {
    resultsBody = resultsSection({ inputs, scenarios, results, cli, stream, chart, typing }, context, log);
    writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ options, build, results, cli, chart, typing }, null, 2));
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
