/**
 * The only module that starts kubectl or helm (or looks at the machine at all) for the probe, the CLI, the chart
 * rendering and the client's status bar. The program is spawned without a shell, with an argument array, in its own process group, so a timeout or an abort
 * kills kubectl and everything it started (auth plugins, a hung exec stream) at once.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';

export interface KubectlRequest {
  /** The kubectl executable (the `istioEgress.kubectlPath` setting): a name looked up on PATH, or a path. */
  readonly kubectlPath: string;
  /** Every argument, global flags included; never parsed by a shell. */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** stdout and stderr together; beyond this the process is killed and the output marked truncated. */
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
  /** For messages when it cannot start: the program's name and the setting that names it (kubectl's by default). */
  readonly program?: { readonly name: string; readonly setting: string };
}

export interface KubectlResult {
  /** null when the process was killed or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly truncated: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
  /** Why the process could not be started, worded for the user (kubectl missing, not executable). */
  readonly spawnError?: string;
}

export type RunKubectl = (request: KubectlRequest) => Promise<KubectlResult>;

/** After the process exits, how long to wait for its pipes to close (a grandchild outside the group may hold them). */
const PIPE_GRACE_MS = 500;

const KUBECTL = { name: 'kubectl', setting: 'istioEgress.kubectlPath (or --kubectl)' };

function spawnErrorMessage(error: NodeJS.ErrnoException, path: string, program = KUBECTL): string {
  if (error.code === 'ENOENT') return `${program.name} not found at ${path}; set ${program.setting} to the ${program.name} to use`;
  if (error.code === 'EACCES') return `${program.name} at ${path} is not executable; set ${program.setting} to the ${program.name} to use`;
  return `could not start ${program.name} at ${path}: ${error.message}`;
}

/** Kills the whole process group; falls back to the process alone where groups do not exist (Windows). */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function runKubectl(request: KubectlRequest): Promise<KubectlResult> {
  const started = Date.now();
  const base = { timedOut: false, truncated: false, stdout: '', stderr: '', signal: null, exitCode: null };
  if (request.signal?.aborted) return Promise.resolve({ ...base, cancelled: true, durationMs: 0 });

  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let collected = 0;
    let timedOut = false;
    let truncated = false;
    let cancelled = false;
    let spawnError: string | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;

    const child = spawn(request.kubectlPath, [...request.args], {
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: request.env ?? process.env,
      windowsHide: true,
    });

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      request.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        truncated,
        cancelled,
        durationMs: Date.now() - started,
        ...(spawnError ? { spawnError } : {}),
      });
    };

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (truncated) return;
      const room = request.maxOutputBytes - collected;
      if (chunk.length > room) {
        into.push(chunk.subarray(0, Math.max(0, room)));
        collected = request.maxOutputBytes;
        truncated = true;
        killTree(child.pid);
        return;
      }
      into.push(chunk);
      collected += chunk.length;
    };
    child.stdout?.on('data', collect(stdout));
    child.stderr?.on('data', collect(stderr));

    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, request.timeoutMs);

    const onAbort = (): void => {
      cancelled = true;
      killTree(child.pid);
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = spawnErrorMessage(error, request.kubectlPath, request.program);
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Pipes still open after the exit mean a child of kubectl holds them: it must not outlive the probe.
      grace = setTimeout(() => {
        killTree(child.pid);
        finish();
      }, PIPE_GRACE_MS);
    });
    child.on('close', finish);
  });
}

/**
 * Whether a kubeconfig path exists: kubectl's `config view` treats a missing file like an empty one, so the probe
 * asks this to tell the two apart. Only called after kubectl found no current context.
 */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    // Anything but "not there" (a permission problem): kubectl will say what is wrong with it.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}
