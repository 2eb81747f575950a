/**
 * Requests while a large file is opened in a busy workspace: the server is started on a folder, the file is opened
 * 300 ms after `initialized` (the folder still being indexed), and from then on a completion is sent every 100 ms at a
 * `mode:` value in the middle of the file, for a fixed time. Reported per run: open → first and → last publication
 * (the complete set, once the folder is indexed), the completion latencies (median, p95, max: the longest stall) and
 * the peak RSS. Several builds alternate run by run, so their figures come from the same stretch of machine time.
 *
 *   npm run build && node --import tsx bench/run.ts --sizes 10000 --runs 1 --servers ours --skip-cli --skip-chart --skip-typing --no-write
 *   node --import tsx bench/requestsWhileOpening.ts --folder bench/out/beside/manifests --file egress-10000.yaml \
 *     --server dist/server.js [--server /elsewhere/dist/server.js] [--rounds 2] [--seconds 14]
 *
 * (The first command writes the inputs: `bench/out/beside/` holds the file beside three more of its size.)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchServer } from './benchServer';
import { killAllStarted } from './processes';
import { oursSpec } from './servers';
import { formatMs, median, percentile } from './stats';

const COMPLETION_EVERY_MS = 100;
const OPEN_AFTER_MS = 300;

interface Run {
  readonly server: string;
  readonly firstMs: number | undefined;
  readonly lastMs: number | undefined;
  readonly completions: readonly number[];
  readonly rssMiB: number | undefined;
}

async function measure(serverJs: string, folder: string, file: string, seconds: number): Promise<Run> {
  const server = new BenchServer(oursSpec(serverJs), process.cwd());
  try {
    await server.initialize(pathToFileURL(folder).toString(), 60_000);
    await sleep(OPEN_AFTER_MS);
    const text = readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).toString();
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > lines.length / 2 && /^\s+mode: /.test(l));
    const character = (lines[line] ?? '').indexOf('mode: ') + 'mode: '.length;
    const opened = performance.now();
    await server.lsp.open(uri, text);
    const completions: number[] = [];
    while (performance.now() - opened < seconds * 1000) {
      const asked = performance.now();
      await server.completion(uri, { line, character }, 60_000);
      completions.push(performance.now() - asked);
      await sleep(COMPLETION_EVERY_MS);
    }
    const publications = server.lsp.publications(uri);
    const at = (i: number): number | undefined => {
      const p = publications.at(i);
      return p ? p.at - opened : undefined;
    };
    const rss = server.peakRssKiB();
    return { server: serverJs, firstMs: at(0), lastMs: at(-1), completions, rssMiB: rss === undefined ? undefined : rss / 1024 };
  } finally {
    server.kill();
  }
}

function describeRun(r: Run): string {
  const c = r.completions;
  return [
    `first ${formatMs(r.firstMs ?? Number.NaN)}`,
    `last ${formatMs(r.lastMs ?? Number.NaN)}`,
    `completion p50 ${formatMs(median(c))} p95 ${formatMs(percentile(c, 95))} max ${formatMs(Math.max(...c))} (${c.length})`,
    `peak RSS ${r.rssMiB?.toFixed(0) ?? '?'} MiB`,
  ].join(', ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      folder: { type: 'string' },
      file: { type: 'string' },
      server: { type: 'string', multiple: true },
      rounds: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '14' },
    },
  });
  if (!values.folder || !values.file) throw new Error('--folder and --file are required');
  const folder = path.resolve(values.folder);
  const file = path.resolve(folder, values.file);
  const servers = (values.server ?? ['dist/server.js']).map((s) => path.resolve(s));
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const serverJs of round % 2 === 1 ? servers : [...servers].reverse()) {
      const run = await measure(serverJs, folder, file, Number(values.seconds));
      console.log(`round ${round} ${serverJs}: ${describeRun(run)}`);
    }
  }
}

main().then(
  () => killAllStarted(),
  (error: unknown) => {
    killAllStarted();
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
