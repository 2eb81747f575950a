import type { RuleInfo } from './rule';

/**
 * A Helm chart the editor or `check --helm` meant to render did not render: `helm template` failed (an error in a
 * template, a value that `required` wants, missing dependencies), or helm cannot run here (not installed, or the
 * workspace is not trusted). The finding goes where helm puts the blame, so a broken chart never reads as a clean one.
 * Raised by the adapters that run helm, not by a check of its own.
 */
export const chartNotRendered: RuleInfo = {
  code: 'EGR008',
  name: 'chart-not-rendered',
  title: 'A Helm chart could not be rendered',
  severity: 'error',
};
