import type { RuleInfo } from './rule';

/**
 * A kustomization that no other includes (one `kubectl kustomize` build) and that reaches egress resources: they
 * are checked with its namespace and selector labels applied, while what its patches and renames change gets no
 * findings. The note says how to check the built result. Raised by the project, not by a check of its own.
 */
export const kustomizeBuild: RuleInfo = {
  code: 'EGR006',
  name: 'kustomize-build',
  title: 'A kustomize build is checked as far as its files tell; check the built output for the rest',
  severity: 'info',
};

export function kustomizeNote(uri: string): string {
  const folder = decodeURIComponent(uri.slice(0, uri.lastIndexOf('/'))).replace(/^file:\/\//, '');
  const name = folder.slice(folder.lastIndexOf('/') + 1) || '.';
  return `This kustomization's resources are checked with its namespace and selector labels applied; resources its patches or name prefixes change get no findings here. Check what it builds: \`kubectl kustomize ${name} | istio-egress check -\`.`;
}
