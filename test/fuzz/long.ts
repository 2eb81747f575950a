/**
 * The long fuzz run (`npm run fuzz`, i.e. `npm run build && node --import tsx test/fuzz/long.ts`):
 *
 *   node --import tsx test/fuzz/long.ts [--seed N] [--edits N] [--open N] [--check-every N] [--keep-going]
 *
 * A random seed is printed at the start (or `--seed N` replays one: the documents and edits are a function of the
 * seed alone). Progress every 5 000 edits with the server's RSS. On a failure the input is shrunk and written to
 * test/fuzz/regressions/; the run stops at the first failure unless `--keep-going` (then each distinct failure is
 * shrunk once, and the server restarted after a crash or a hang). Exit status 1 when anything failed.
 */
import { PROJECT_ROOT } from '../support/paths';
import { DEFAULT_GEN, loadCorpus, randomSeed } from './generate';
import { DEFAULT_FUZZ, formatReport, runFuzz } from './runner';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: long.ts [--seed N] [--edits N] [--open N] [--check-every N] [--keep-going]\n`);
  process.exit(2);
}

function parse(argv: readonly string[]): { seed: number; edits: number; open: number; checkEvery: number; keepGoing: boolean } {
  const out = { seed: randomSeed(), edits: 100_000, open: 5, checkEvery: 20, keepGoing: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.split('=', 2);
    const value = (): number => {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
      return n;
    };
    if (flag === '--seed') out.seed = value() >>> 0;
    else if (flag === '--edits') out.edits = value();
    else if (flag === '--open') out.open = Math.max(1, value());
    else if (flag === '--check-every') out.checkEvery = Math.max(1, value());
    else if (flag === '--keep-going') out.keepGoing = true;
    else usage(`unknown argument ${arg}`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const corpus = loadCorpus(PROJECT_ROOT);
  console.log(`fuzz: seed ${args.seed} (replay with --seed ${args.seed}), ${args.edits} edits, ${args.open} documents open, ${corpus.length} corpus files`);
  const report = await runFuzz({
    ...DEFAULT_FUZZ,
    seed: args.seed,
    corpus,
    edits: args.edits,
    documents: Number.POSITIVE_INFINITY,
    lifetime: 150,
    maxOpen: args.open,
    checkEvery: args.checkEvery,
    plan: { positions: 1, symbols: true, folding: true, codeActions: true, differential: true },
    batchMax: 5,
    gen: DEFAULT_GEN,
    stopOnFirstFailure: !args.keepGoing,
    shrink: { ms: 120_000, trials: 600 },
    progressEvery: 5000,
    log: (line) => console.log(line),
  });
  console.log(formatReport(report));
  return report.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
