import { SEVERITY_ORDER } from '../analysis/findings';
import { CATALOGUE } from '../analysis/rules';
import { parseArgs, USAGE } from './args';
import { runCheck } from './check';
import { runProbeCommand } from './probe';
import { parseProbeArgs, PROBE_USAGE } from './probeArgs';
import { formatGithub } from './formats/github';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText, summaryLine } from './formats/text';

declare const ISTIO_EGRESS_VERSION: string;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function listRules(format: 'text' | 'json'): string {
  if (format === 'json')
    return JSON.stringify(
      CATALOGUE.map((r) => ({ code: r.code, name: r.name, severity: r.severity, title: r.title, ...(r.istio ? { istio: r.istio } : {}) })),
      null,
      2,
    );
  return CATALOGUE.map((r) => `${r.code}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n');
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'probe') {
    const parsed = parseProbeArgs(argv.slice(1));
    if (parsed.command === 'probe-help') {
      process.stdout.write(`${PROBE_USAGE}\n`);
      return 0;
    }
    if (parsed.command === 'error') {
      process.stderr.write(`istio-egress probe: ${parsed.message}\n\n${PROBE_USAGE}\n`);
      return 2;
    }
    const abort = new AbortController();
    const interrupt = (): void => abort.abort();
    process.once('SIGINT', interrupt);
    try {
      return await runProbeCommand(parsed, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), signal: abort.signal });
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  }
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${ISTIO_EGRESS_VERSION}\n`);
      return 0;
    case 'list-rules':
      process.stdout.write(`${listRules(args.format)}\n`);
      return 0;
    case 'error':
      process.stderr.write(`istio-egress: ${args.message}\n\n${USAGE}\n`);
      return 2;
    case 'check': {
      const cwd = process.cwd();
      const result = await runCheck(args, { readStdin, cwd });
      for (const problem of result.unreadable) process.stderr.write(`istio-egress: cannot read ${problem}\n`);
      for (const problem of result.configProblems) process.stderr.write(`istio-egress: ${problem}\n`);
      const output =
        args.format === 'json'
          ? formatJson(result.findings)
          : args.format === 'sarif'
            ? formatSarif(result.findings, cwd, ISTIO_EGRESS_VERSION, args.docsUrl)
            : args.format === 'github'
              ? formatGithub(result.findings)
              : [formatText(result.findings), summaryLine(result.files, result.documents, result.findings)].filter(Boolean).join('\n');
      if (output) process.stdout.write(`${output}\n`);
      if (result.unreadable.length) return 2;
      const threshold = SEVERITY_ORDER[args.failOn];
      return result.findings.some((f) => SEVERITY_ORDER[f.severity] <= threshold) ? 1 : 0;
    }
  }
}
