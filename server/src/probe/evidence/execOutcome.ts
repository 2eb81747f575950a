/**
 * What happened to one `kubectl exec … curl`, read from kubectl's exit code and stderr: curl's own exit code
 * (kubectl passes it on and prints `command terminated with exit code N`), a missing curl, or kubectl failing
 * before curl ran.
 */
import { connectionFailure, kubectlStderrLines } from '../clusterErrors';
import type { KubectlResult } from '../../shared/kubectlRunner';

export type ClusterErrorReason = 'not-found' | 'unauthorized' | 'forbidden' | 'unreachable' | 'exec-failed' | 'other';

export type ExecOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'curl-error'; readonly curlExit: number; readonly message: string }
  | { readonly kind: 'no-curl'; readonly message: string }
  | { readonly kind: 'cluster-error'; readonly reason: ClusterErrorReason; readonly message: string }
  | { readonly kind: 'runner'; readonly reason: 'spawn' | 'timeout' | 'cancelled'; readonly message: string };

const CLUSTER_ERRORS: readonly { readonly pattern: { test(stderr: string): boolean }; readonly reason: ClusterErrorReason }[] = [
  { pattern: /Error from server \(NotFound\)/, reason: 'not-found' },
  { pattern: /\bUnauthorized\b|You must be logged in/, reason: 'unauthorized' },
  { pattern: /Error from server \(Forbidden\)|\bforbidden\b/i, reason: 'forbidden' },
  // Connection, DNS, timeout and TLS failures toward the API server (see clusterErrors.ts).
  { pattern: { test: (stderr: string) => connectionFailure(stderr) !== undefined }, reason: 'unreachable' },
  { pattern: /error: unable to upgrade connection|error dialing backend|container not found|cannot exec into a container/i, reason: 'exec-failed' },
];

const NO_CURL = /executable file not found|"curl": not found|\bcurl: not found|no such file or directory: unknown|exec: "curl"/i;
const CURL_ERROR = /^curl: \((\d+)\) ?(.*)$/m;
const TERMINATED = /command terminated with exit code (\d+)/;

/** The first meaningful stderr line, without kubectl's deprecation warnings and klog prefixes. */
export function firstErrorLine(stderr: string): string {
  return kubectlStderrLines(stderr).find((l) => l && !l.startsWith('Warning:') && !l.startsWith('* ') && !l.startsWith('> ') && !l.startsWith('< ') && !/^[{}]/.test(l)) ?? '';
}

export function classifyExec(result: KubectlResult): ExecOutcome {
  if (result.spawnError) return { kind: 'runner', reason: 'spawn', message: result.spawnError };
  if (result.cancelled) return { kind: 'runner', reason: 'cancelled', message: 'cancelled' };
  if (result.timedOut) return { kind: 'runner', reason: 'timeout', message: `kubectl did not finish in time and was stopped after ${Math.round(result.durationMs / 1000)} s` };
  const { stderr } = result;
  const terminated = TERMINATED.exec(stderr);
  const exitOfCurl = terminated ? Number(terminated[1]) : result.exitCode;
  if ((exitOfCurl === 126 || exitOfCurl === 127 || !terminated) && NO_CURL.test(stderr) && !CURL_ERROR.test(stderr)) {
    return { kind: 'no-curl', message: firstErrorLine(stderr) };
  }
  const curl = CURL_ERROR.exec(stderr);
  if (curl) return { kind: 'curl-error', curlExit: Number(curl[1]), message: (curl[2] ?? '').trim() };
  if (terminated) return { kind: 'curl-error', curlExit: Number(terminated[1]), message: firstErrorLine(stderr) };
  // Output cut at the bound: the runner killed kubectl, but what curl printed is there to read.
  if (result.exitCode === 0 || result.truncated) return { kind: 'completed' };
  const known = CLUSTER_ERRORS.find((e) => e.pattern.test(stderr));
  return { kind: 'cluster-error', reason: known?.reason ?? 'other', message: firstErrorLine(stderr) || `kubectl exited with ${result.exitCode ?? result.signal ?? 'no status'}` };
}

/** Classifies a failed read-only command the same way (for `get`/`config view`). */
export function classifyKubectlError(result: KubectlResult): { reason: ClusterErrorReason | 'spawn' | 'timeout' | 'cancelled'; message: string } {
  if (result.spawnError) return { reason: 'spawn', message: result.spawnError };
  if (result.cancelled) return { reason: 'cancelled', message: 'cancelled' };
  if (result.timedOut) return { reason: 'timeout', message: 'kubectl did not answer in time and was stopped' };
  const known = CLUSTER_ERRORS.find((e) => e.pattern.test(result.stderr));
  return { reason: known?.reason ?? 'other', message: firstErrorLine(result.stderr) || `kubectl exited with ${result.exitCode ?? result.signal ?? 'no status'}` };
}

/** What each curl exit code means for egress, in words. */
export function describeCurlExit(code: number): string {
  switch (code) {
    case 6:
      return 'DNS: the host name could not be resolved';
    case 7:
      return 'the connection was refused';
    case 28:
      return 'the request timed out';
    case 35:
      return 'the TLS handshake failed';
    case 52:
      return 'the server closed the connection without a reply';
    case 56:
      return 'the connection was reset while receiving data';
    case 60:
      return "the server's certificate is not trusted for this host name";
    default:
      return `curl failed with exit code ${code}`;
  }
}
