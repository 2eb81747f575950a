/** The benchmark's command line. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DOC, OUT } from './paths';
import { OURS, YLS } from './servers';

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
  --skip-chart          no chart runs (saving a chart file → its findings, with the pinned helm)
  --skip-typing         no typing runs (a key typed into large files: completion and diagnostics per keystroke)
  --timeout S           limit for each step (a request, a wait for diagnostics), in seconds (default 60)
  --out FILE            markdown to write the results into (default docs/performance.md)
  --no-write            print only
`;

export interface Options {
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
  readonly skipChart: boolean;
  readonly skipTyping: boolean;
  readonly timeoutMs: number;
  readonly out: string | undefined;
}

function positiveInt(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, not '${value}'`);
  return n;
}

/** The options, or undefined after printing the help. */
export function parseOptions(argv: readonly string[]): Options | undefined {
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
      'skip-chart': { type: 'boolean', default: false },
      'skip-typing': { type: 'boolean', default: false },
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
    skipChart: values['skip-chart'] === true,
    skipTyping: values['skip-typing'] === true,
    timeoutMs: positiveInt(values.timeout, 60, '--timeout') * 1000,
    out,
  };
}
