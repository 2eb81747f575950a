/**
 * The kube context a probe talks to and its default namespace, read the way runProbe reads them first: `kubectl
 * config view --minify` with the probe's connection flags. The client's status bar and probe confirmation read them
 * here too, so they name the context the probe will use.
 */
import { delimiter } from 'node:path';
import type { KubectlResult, RunKubectl } from '../shared/kubectlRunner';
import { DEFAULT_PROBE_SETTINGS } from '../shared/probeSettings';
import { kubeconfigPaths, kubeconfigSource } from './clusterErrors';
import { parseJson } from './json';
import { globalFlags, readCommands, type ClusterConnection } from './kubectlCommands';
import { readKubeconfigContext } from './kubeObjects';
import { readTimeoutMs } from './timeLimits';

export interface KubeContext {
  readonly context?: string;
  readonly namespace?: string;
  /** The context's API server. */
  readonly server?: string;
}

/** The context in the output of `config view --minify`: a pinned `--context` wins over the kubeconfig's current one. */
export function kubeContextFromView(result: KubectlResult, pinnedContext: string | undefined): KubeContext {
  const found = result.exitCode === 0 ? readKubeconfigContext(parseJson(result.stdout)) : {};
  const context = pinnedContext ?? found.context;
  return { ...found, ...(context ? { context } : {}) };
}

export interface KubeContextRequest extends ClusterConnection {
  readonly kubectlPath: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Which context and namespace a probe would use now; nothing when kubectl cannot tell (no kubeconfig, no kubectl). */
export async function readKubeContext(run: RunKubectl, request: KubeContextRequest): Promise<KubeContext> {
  const result = await run({
    kubectlPath: request.kubectlPath,
    args: [...globalFlags(request, DEFAULT_PROBE_SETTINGS.requestTimeoutSeconds), ...readCommands.currentContext().args],
    timeoutMs: readTimeoutMs(DEFAULT_PROBE_SETTINGS),
    maxOutputBytes: DEFAULT_PROBE_SETTINGS.maxOutputBytes,
    ...(request.env ? { env: request.env } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return kubeContextFromView(result, request.context);
}

/** The kubeconfig files kubectl reads (`--kubeconfig`, else KUBECONFIG's list, else ~/.kube/config): where a new context shows. */
export function kubeconfigFiles(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  return kubeconfigPaths(kubeconfigSource(kubeconfig, env, delimiter));
}
