/** Kubeconfig files for the fake cluster, as JSON (kubectl reads JSON as YAML), readable by their owner only. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { KubeconfigOptions, SplitKubeconfig } from './types';

/** What a kubeconfig names of the cluster: where it is, the CA that vouches for it, and the token it accepts. */
export interface ClusterAccess {
  readonly url: string;
  readonly caPem: string;
  readonly token: string;
}

function kubeconfigParts(cluster: ClusterAccess, opts: KubeconfigOptions): { clustersUsers: Record<string, unknown>; contexts: Record<string, unknown> } {
  const { url, caPem, token } = cluster;
  const context = opts.context ?? 'fake';
  const all = [{ name: context, namespace: opts.namespace, token: opts.token ?? token }, ...(opts.extraContexts ?? [])];
  return {
    clustersUsers: {
      clusters: [{ name: 'fake-cluster', cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: all.map((c) => ({ name: `${c.name}-user`, user: { token: c.token ?? token } })),
    },
    contexts: {
      contexts: all.map((c) => ({ name: c.name, context: { cluster: 'fake-cluster', user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
      ...(opts.currentContext === null ? {} : { 'current-context': opts.currentContext ?? context }),
    },
  };
}

async function writeJson(file: string, body: Record<string, unknown>): Promise<string> {
  await writeFile(file, `${JSON.stringify({ apiVersion: 'v1', kind: 'Config', preferences: {}, ...body }, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export async function writeKubeconfig(cluster: ClusterAccess, dir: string, opts: KubeconfigOptions = {}): Promise<string> {
  const parts = kubeconfigParts(cluster, opts);
  return writeJson(path.resolve(dir, opts.fileName ?? 'kubeconfig'), { ...parts.clustersUsers, ...parts.contexts });
}

/** Clusters and users in one file, contexts in another: kubectl merges the files KUBECONFIG lists. */
export async function writeSplitKubeconfig(cluster: ClusterAccess, dir: string, opts: KubeconfigOptions & { readonly secondFileName?: string } = {}): Promise<SplitKubeconfig> {
  const parts = kubeconfigParts(cluster, opts);
  const first = await writeJson(path.resolve(dir, opts.fileName ?? 'kubeconfig-cluster'), parts.clustersUsers);
  const second = await writeJson(path.resolve(dir, opts.secondFileName ?? 'kubeconfig-context'), parts.contexts);
  return { first, second, kubeconfig: `${first}:${second}` };
}
