/**
 * The one place the CLI starts helm: `helm template` with an argument array (never a shell), a time limit and a bound
 * on its output. Only when the user asks for it (`--helm`), never for a workspace on its own.
 */
import { execFile } from 'node:child_process';

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** Why it failed, in a sentence: helm's own first error line, or why it could not run. */
  readonly problem?: string;
}

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function helmTemplate(helmPath: string, args: readonly string[]): Promise<HelmResult> {
  return new Promise((resolve) => {
    execFile(helmPath, ['template', ...args], { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, stdout: '', problem: `helm not found at ${helmPath}` });
      if (error.killed)
        return resolve({ ok: false, stdout: '', problem: `helm template did not finish within ${TIMEOUT_MS / 1000} s, or wrote more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB` });
      const first = stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? error.message;
      const missingDependencies = /missing in charts\/ directory|dependencies? .*(?:not|are) (?:satisfied|downloaded)/i.test(stderr);
      resolve({
        ok: false,
        stdout: '',
        problem: missingDependencies ? `the chart's dependencies are not downloaded (${first.trim()}); run \`helm dependency build\` on it first: nothing is fetched here` : first.trim(),
      });
    });
  });
}
