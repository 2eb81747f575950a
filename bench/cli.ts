/** Times `node dist/cli.js check --format json <folder>` and reads its peak RSS. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { track } from './processes';

/**
 * Preloaded into the CLI's process: on exit it writes `process.resourceUsage().maxRSS` (KiB) to file descriptor 3,
 * which the benchmark reads. It costs a few milliseconds of start-up and leaves stdout and stderr alone.
 */
const MAXRSS_PRELOAD =
  'data:text/javascript,' + encodeURIComponent('import{writeSync}from"node:fs";process.on("exit",()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}});');

export interface CliRun {
  readonly wallMs: number;
  readonly maxRssKiB: number | undefined;
  readonly exitCode: number | null;
  readonly findings: number | undefined;
  readonly failure?: string;
}

/** Runs the CLI on `folder`; `nodeFlags` go before the script (the benchmark's profile passes `--cpu-prof`). */
export function runCliCheck(cliPath: string, folder: string, cwd: string, timeoutMs: number, nodeFlags: readonly string[] = []): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, '--import', MAXRSS_PRELOAD, cliPath, 'check', '--format', 'json', folder], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    track(child);
    const stdout: Buffer[] = [];
    let stderr = '';
    let rss = '';
    let timedOut = false;
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const fd3 = child.stdio[3];
    if (fd3 && 'on' in fd3) fd3.on('data', (c: Buffer) => (rss += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ wallMs: Number.NaN, maxRssKiB: undefined, exitCode: null, findings: undefined, failure: `error: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (timedOut) {
        resolve({ wallMs, maxRssKiB: undefined, exitCode: code, findings: undefined, failure: 'timeout' });
        return;
      }
      let findings: number | undefined;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(stdout).toString('utf8'));
        findings = Array.isArray(parsed) ? parsed.length : undefined;
      } catch {
        findings = undefined;
      }
      const maxRssKiB = /^\d+$/.test(rss.trim()) ? Number(rss.trim()) : undefined;
      // Exit 1 means "errors found", which the generated workspace has on purpose; 2 is bad usage or unreadable input.
      const failure = code === 0 || code === 1 ? (findings === undefined ? 'no JSON on stdout' : undefined) : `exit ${String(code)}: ${stderr.slice(0, 200)}`;
      resolve({ wallMs, maxRssKiB, exitCode: code, findings, ...(failure ? { failure } : {}) });
    });
  });
}
