/** The CLI's scenarios: `check` on the workspace folder, and one stream against the same documents in files. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCliCheck, type CliRun } from './cli';
import { writeWorkspace, type GeneratedWorkspace } from './generate';
import type { Options } from './options';
import { OUT, ROOT } from './paths';
import { WORKSPACE_PER_FILE } from './scenarios';
import { formatBytes, formatMiB, formatMs } from './stats';

/** `options.runs` runs of `check --format json` on the workspace folder. */
export async function runCliOnWorkspace(cliPath: string, workspaceDir: string, options: Options, log: (line: string) => void): Promise<CliRun[]> {
  const runs: CliRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const r = await runCliCheck(cliPath, workspaceDir, ROOT, Math.max(options.timeoutMs, 120_000));
    runs.push(r);
    log(
      `cli run ${run}/${options.runs}: ${formatMs(r.wallMs)}, maxRSS ${formatMiB(r.maxRssKiB ?? Number.NaN)}, exit ${String(r.exitCode)}, ${r.findings ?? '?'} findings${r.failure ? ` [${r.failure}]` : ''}`,
    );
  }
  return runs;
}

/** One stream against the same documents in files: the CLI must not slow down with the documents of one file. */
export interface StreamRuns {
  readonly bytes: number;
  readonly files: number;
  readonly documents: number;
  readonly single: readonly CliRun[];
  readonly split: readonly CliRun[];
}

export async function measureStream(cliPath: string, workspace: GeneratedWorkspace, options: Options, log: (line: string) => void): Promise<StreamRuns> {
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
      log(
        `cli ${which} run ${run}/${options.runs}: ${formatMs(r.wallMs)}, maxRSS ${formatMiB(r.maxRssKiB ?? Number.NaN)}, ${r.findings ?? '?'} findings${r.failure ? ` [${r.failure}]` : ''}`,
      );
    }
  }
  return { bytes: statSync(streamFile).size, files, documents: generated.documents, single, split };
}
