import { parseArgs, USAGE } from './args';
import { formatJson, formatText, runCheck } from './check';

declare const ISTIO_EGRESS_VERSION: string;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI and returns its exit status: 0 clean, 1 errors found, 2 bad usage or unreadable input. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${ISTIO_EGRESS_VERSION}\n`);
      return 0;
    case 'error':
      process.stderr.write(`istio-egress: ${args.message}\n\n${USAGE}\n`);
      return 2;
    case 'check': {
      const result = await runCheck(args, { readStdin });
      for (const problem of result.unreadable) process.stderr.write(`istio-egress: cannot read ${problem}\n`);
      const cwd = process.cwd();
      const output = args.format === 'json' ? formatJson(result.findings, cwd) : formatText(result.findings, cwd);
      if (output) process.stdout.write(`${output}\n`);
      if (result.unreadable.length) return 2;
      return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
    }
  }
}
