/**
 * Reading `kubectl kustomize`'s complaint (pure): kustomize nests its errors ("accumulating resources from
 * '../../base': … recursed accumulation of path '/repo/base': … accumulating resources from 'missing.yaml': …"), and
 * the innermost frame names the kustomization and the entry at fault.
 */

export interface KustomizeProblem {
  /** The folder of the kustomization to blame (as kustomize printed it, absolute); undefined: the one that was built. */
  readonly folder?: string;
  /** The entry of that kustomization at fault (`missing.yaml`), to find its line. */
  readonly entry?: string;
  /** The reason, in one sentence. */
  readonly message: string;
}

const RECURSED = /recursed accumulation of path '([^']+)'/g;
const ACCUMULATING = /accumulating resources from '([^']+)'/g;
const MISSING = /lstat ([^:]+): no such file or directory/;
const GENERATOR_SOURCE = /(?:file|env) sources?: \[([^\]]+)\]/;

export function kustomizeProblem(stderr: string): KustomizeProblem {
  const text = stderr.trim().replace(/^Error:\s*|^error:\s*/i, '');
  if (text === '') return { message: 'kubectl kustomize failed' };
  const folder = [...text.matchAll(RECURSED)].pop()?.[1];
  const missing = MISSING.exec(text)?.[1];
  // A generator's file (`configMapGenerator: files: [policy.rego]`) is named in its own words, else by the path.
  const entry = [...text.matchAll(ACCUMULATING)].pop()?.[1] ?? GENERATOR_SOURCE.exec(text)?.[1]?.split(/[\s,]+/)[0] ?? (missing ? missing.slice(missing.lastIndexOf('/') + 1) : undefined);
  const message = missing ? `${entry ? `'${entry}'` : missing} does not exist (${missing})` : (text.split(/\r?\n/)[0] ?? text);
  return { ...(folder ? { folder } : {}), ...(entry ? { entry } : {}), message };
}
