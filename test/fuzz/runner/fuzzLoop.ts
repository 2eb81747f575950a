/** The fuzz loop shared by the fixed-seed test and the long run: open, edit, check, shrink what fails, report. */
import * as path from 'node:path';
import { DEFAULT_GEN, EditGenerator, generateDocument, Random, type CorpusFile, type GenOptions } from '../generate';
import { oneLine, type Failure } from './failures';
import { FULL_CHECK, FuzzClient, type CheckPlan } from './fuzzClient';
import type { Rss } from './processes';
import { REGRESSIONS_DIR, writeRegression } from './regressionFiles';
import { Shrinker, type ShrinkBudget } from './shrinker';
import { HANG_GRACE_MS } from './timeLimits';
import type { Counters } from './trackingClient';

export interface FuzzOptions {
  readonly seed: number;
  /** Edit steps (a step is one `didChange`, which may carry several changes). */
  readonly edits: number;
  /** Documents over the whole run (more only to replace ones that grew too big, or after a restart). */
  readonly documents: number;
  /** Mean edit steps a document lives before it is closed and another opened (independent of `edits`, so that a seed replays the same prefix whatever the length of the run). */
  readonly lifetime: number;
  /** Documents open at once. */
  readonly maxOpen: number;
  /** Steps between checks (requests, publications, log). */
  readonly checkEvery: number;
  readonly plan: CheckPlan;
  /** Most content changes in one `didChange`. */
  readonly batchMax: number;
  /** A document that grows past this is closed and replaced. */
  readonly maxDocChars: number;
  readonly gen: GenOptions;
  readonly corpus: readonly CorpusFile[];
  readonly regressionsDir: string;
  readonly shrink: ShrinkBudget;
  readonly stopOnFirstFailure: boolean;
  readonly progressEvery?: number;
  readonly log: (line: string) => void;
}

export interface FoundFailure {
  readonly failure: Failure;
  readonly step: number;
  readonly occurrences: number;
  readonly regressionFile?: string;
  readonly reproduced: boolean;
  readonly shrunkFrom: number;
  readonly shrunkTo: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly steps: number;
  readonly changes: number;
  readonly documentsOpened: number;
  readonly checks: number;
  readonly requests: number;
  readonly publications: number;
  readonly diagnostics: number;
  readonly restarts: number;
  readonly ms: number;
  readonly rss: Rss | undefined;
  readonly failures: readonly FoundFailure[];
}

export const DEFAULT_FUZZ: Omit<FuzzOptions, 'seed' | 'corpus' | 'log'> = {
  edits: 300,
  documents: 20,
  lifetime: 15,
  maxOpen: 4,
  checkEvery: 1,
  plan: FULL_CHECK,
  batchMax: 1,
  maxDocChars: 1_500_000,
  gen: DEFAULT_GEN,
  regressionsDir: REGRESSIONS_DIR,
  shrink: { ms: 60_000, trials: 400 },
  stopOnFirstFailure: true,
};

interface OpenDoc {
  readonly uri: string;
  readonly edits: EditGenerator;
  remaining: number;
  readonly recipe: string;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const root = new Random(options.seed);
  const genRng = root.fork();
  const checkRng = root.fork();
  const log = options.log;
  const lifetime = Math.max(1, options.lifetime);
  const found = new Map<string, { found: FoundFailure; count: number }>();
  const shrinker = new Shrinker();
  let client = await FuzzClient.start();
  const counters: Counters = { requests: 0, diagnostics: 0, publications: 0 };
  const addCounters = (c: FuzzClient): void => {
    counters.requests += c.counters.requests;
    counters.diagnostics += c.counters.diagnostics;
    counters.publications += c.counters.publications;
  };
  let open: OpenDoc[] = [];
  let opened = 0;
  let changes = 0;
  let checks = 0;
  let restarts = 0;
  let active = 0;
  let step = 0;
  let lastRss: Rss | undefined;

  const openNext = async (): Promise<void> => {
    const doc = generateDocument(genRng, options.corpus, options.gen);
    const uri = `file:///fuzz/seed-${options.seed}/doc-${opened++}.yaml`;
    const docRng = genRng.fork();
    open.push({ uri, edits: new EditGenerator(docRng, options.corpus, options.gen), remaining: genRng.between(Math.ceil(lifetime / 2), lifetime * 2), recipe: doc.recipe });
    await client.open(uri, doc.text);
  };

  /** Records new failures (shrinking each into a regression file); true when the run should stop. */
  const handle = async (failures: Failure[], lastUri?: string): Promise<boolean> => {
    let stop = false;
    for (const observed of failures) {
      let failure = observed;
      // Everything that follows the text library's divergence has one cause: recorded (and shrunk) once.
      const key = failure.signature.endsWith(':lib-diverged') ? 'lib-diverged' : failure.signature;
      const known = found.get(key);
      if (known) {
        known.count++;
        continue;
      }
      const uri = failure.uri ?? lastUri;
      const doc = open.find((d) => d.uri === uri);
      log(`FAILURE seed=${options.seed} step=${step}: ${failure.signature}`);
      log(`  ${failure.detail}`);
      if (doc) log(`  document ${doc.uri} (made from: ${oneLine(doc.recipe, 200)})`);
      if (failure.kind === 'timeout' && client.alive) {
        const seconds = await client.recovers(HANG_GRACE_MS);
        failure = {
          ...failure,
          detail: `${failure.detail}; ${seconds === undefined ? `still no answer ${HANG_GRACE_MS / 1000} s later (hung)` : `the server answered again ${seconds.toFixed(1)} s later`}`,
        };
        log(`  ${failure.detail}`);
      }
      const text = failure.text ?? (uri ? client.text(uri) : undefined);
      const fullHistory = uri ? client.history(uri) : undefined;
      // A publication's failure belongs to the version it named: replay up to that one.
      const history = fullHistory && failure.version !== undefined ? { initial: fullHistory.initial, batches: fullHistory.batches.slice(0, failure.version - 1) } : fullHistory;
      const context = open
        .filter((d) => d.uri !== uri)
        .map((d) => client.text(d.uri))
        .filter((t): t is string => t !== undefined);
      let entry: FoundFailure = { failure, step, occurrences: 1, reproduced: false, shrunkFrom: text?.length ?? 0, shrunkTo: text?.length ?? 0 };
      if (text !== undefined) {
        log(`  shrinking ${text.length} characters (budget ${options.shrink.ms} ms, ${options.shrink.trials} trials)…`);
        const shrunk = await shrinker.shrink(failure, text, history, context, options.shrink);
        const note = shrunk.reproduced ? '' : `did not reproduce on a fresh server: the text at seed ${options.seed} step ${step}, unshrunk`;
        const file = writeRegression(options.regressionsDir, shrunk, failure, note);
        const how = shrunk.history ? ` (+ ${shrunk.history.batches.length} didChanges to replay)` : '';
        log(
          `  ${shrunk.reproduced ? `shrunk to ${shrunk.text.length} characters${how}` : 'NOT reproduced on a fresh server'} in ${shrunk.trials} trials, ${shrunk.ms} ms → ${path.relative(process.cwd(), file)}`,
        );
        entry = { ...entry, regressionFile: file, reproduced: shrunk.reproduced, shrunkTo: shrunk.text.length };
      }
      found.set(key, { found: entry, count: 1 });
      if (options.stopOnFirstFailure) stop = true;
    }
    return stop;
  };

  const restart = async (): Promise<void> => {
    addCounters(client);
    client.kill();
    client = await FuzzClient.start();
    restarts++;
    open = [];
    for (let i = 0; i < options.maxOpen; i++) await openNext();
  };

  try {
    for (let i = 0; i < options.maxOpen; i++) await openNext();
    let failures = client.collect();
    if (failures.length && (await handle(failures))) return report();
    for (step = 1; step <= options.edits; step++) {
      if (!genRng.chance(0.75) || active >= open.length) active = genRng.int(open.length);
      const doc = open[active];
      if (!doc) break;
      const count = options.batchMax > 1 && genRng.chance(0.3) ? genRng.between(2, options.batchMax) : 1;
      await client.change(doc.uri, count, (d) => doc.edits.next(d));
      changes += count;
      doc.remaining--;
      const size = client.text(doc.uri)?.length ?? 0;
      if (step % options.checkEvery === 0 || step === options.edits) {
        checks++;
        const others = open.length > 1 && checkRng.chance(0.2) ? [checkRng.pick(open).uri] : [];
        failures = await client.check(checkRng, [doc.uri, ...others.filter((u) => u !== doc.uri)], options.plan);
        if (failures.length) {
          if (await handle(failures, doc.uri)) break;
          if (!client.alive || failures.some((f) => f.kind === 'timeout' || f.kind === 'crash')) {
            log(`  restarting the server after ${failures[0]?.signature}`);
            await restart();
            continue;
          }
        }
        // A document whose server-side text diverged is reported once, then replaced.
        for (const d of [...open]) {
          if (!client.diverged(d.uri)) continue;
          await client.close(d.uri);
          open.splice(open.indexOf(d), 1);
          await openNext();
        }
      }
      if (open.includes(doc) && (doc.remaining <= 0 || size > options.maxDocChars)) {
        await client.close(doc.uri);
        open.splice(open.indexOf(doc), 1);
        if (opened < options.documents || open.length === 0 || size > options.maxDocChars) await openNext();
        else if (open.length < Math.min(2, options.maxOpen)) await openNext();
      }
      if (options.progressEvery && step % options.progressEvery === 0) {
        lastRss = client.rss();
        const seconds = (Date.now() - started) / 1000;
        log(
          `  ${step} edits, ${changes} changes, ${opened} documents, ${checks} checks, ${client.counters.requests + counters.requests} requests, ` +
            `${found.size} distinct failures, ${seconds.toFixed(0)} s (${(step / seconds).toFixed(0)}/s), server RSS ${lastRss ? `${(lastRss.rssKb / 1024).toFixed(0)} MB (peak ${(lastRss.peakKb / 1024).toFixed(0)} MB)` : '?'}`,
        );
      }
    }
    if (client.alive) {
      checks++;
      failures = await client.check(
        checkRng,
        open.map((d) => d.uri),
        { ...options.plan, positions: 1 },
      );
      if (failures.length) await handle(failures);
    }
    return report();
  } finally {
    lastRss = client.rss() ?? lastRss;
    addCounters(client);
    await client.stop();
    await shrinker.dispose();
  }

  function report(): FuzzReport {
    return {
      seed: options.seed,
      steps: Math.min(step, options.edits),
      changes,
      documentsOpened: opened,
      checks,
      requests: counters.requests + client.counters.requests,
      publications: counters.publications + client.counters.publications,
      diagnostics: counters.diagnostics + client.counters.diagnostics,
      restarts,
      ms: Date.now() - started,
      rss: client.rss() ?? lastRss,
      failures: [...found.values()].map(({ found: f, count }) => ({ ...f, occurrences: count })),
    };
  }
}

export function formatReport(r: FuzzReport): string {
  const lines = [
    `seed ${r.seed}: ${r.steps} edit steps (${r.changes} changes) over ${r.documentsOpened} documents, ${r.checks} checks, ${r.requests} requests, ` +
      `${r.publications} publications (${r.diagnostics} diagnostics), ${r.restarts} restarts, ${(r.ms / 1000).toFixed(1)} s` +
      (r.rss ? `, server RSS ${(r.rss.rssKb / 1024).toFixed(0)} MB (peak ${(r.rss.peakKb / 1024).toFixed(0)} MB)` : ''),
  ];
  for (const f of r.failures) {
    lines.push(
      `  FAILURE ${f.failure.signature} ×${f.occurrences} (first at step ${f.step}): ${f.failure.detail}` +
        (f.regressionFile
          ? `\n    → ${path.relative(process.cwd(), f.regressionFile)} (${f.reproduced ? `shrunk ${f.shrunkFrom} → ${f.shrunkTo} chars` : 'not reproduced standalone'})`
          : ''),
    );
  }
  return lines.join('\n');
}
