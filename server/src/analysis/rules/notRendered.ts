import type { RuleInfo } from './rule';

/**
 * A Helm chart or kustomize overlay that the editor or the CLI meant to render did not render: `helm template` or
 * `kubectl kustomize` failed (an error in a template, a value that `required` wants, a missing resource file), or the
 * tool cannot run here (not installed, dependencies not downloaded, the workspace not trusted). The finding goes where
 * the tool puts the blame, so a broken chart never reads as a clean one. Raised by the adapters that run the tools,
 * not by a check of its own.
 */
export const notRendered: RuleInfo = {
  code: 'EGR008',
  name: 'not-rendered',
  title: 'A Helm chart or kustomize overlay could not be rendered',
  severity: 'error',
};
