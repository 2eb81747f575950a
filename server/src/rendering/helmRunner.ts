/**
 * `helm template`, run through the one process runner (`shared/kubectlRunner.ts`: an argument array, never a shell,
 * its own process group, a time limit, bounded output, cancellable). Only for charts the user asked to render: the
 * CLI's `--helm`, or the editor in a trusted workspace.
 */
import { runKubectl } from '../shared/kubectlRunner';

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** helm's own complaint when it ran and failed: read by `render/helmErrors.ts`. */
  readonly stderr: string;
  /** Why helm did not run or did not finish (not installed, too slow, too much output, cancelled), in a sentence. */
  readonly notRun?: string;
  readonly cancelled: boolean;
  readonly durationMs: number;
}

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const HELM = { name: 'helm', setting: 'istioEgress.helmPath (or --helm)' };

export async function helmTemplate(helmPath: string, args: readonly string[], signal?: AbortSignal): Promise<HelmResult> {
  const result = await runKubectl({
    kubectlPath: helmPath,
    args: ['template', ...args],
    timeoutMs: TIMEOUT_MS,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    program: HELM,
    ...(signal ? { signal } : {}),
  });
  const base = { stdout: result.stdout, stderr: result.stderr, cancelled: result.cancelled, durationMs: result.durationMs };
  if (result.spawnError) return { ...base, ok: false, notRun: result.spawnError };
  if (result.cancelled) return { ...base, ok: false, notRun: 'cancelled' };
  if (result.timedOut) return { ...base, ok: false, notRun: `helm template did not finish within ${TIMEOUT_MS / 1000} s` };
  if (result.truncated) return { ...base, ok: false, notRun: `helm template wrote more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB` };
  return { ...base, ok: result.exitCode === 0 };
}
