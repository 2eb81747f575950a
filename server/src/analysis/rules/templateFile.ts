import type { RuleInfo } from './rule';

/**
 * A file with Go/Helm template actions is not YAML until rendered: it gets this one note instead of syntax, schema
 * or egress findings (guessing at unrendered text floods charts with false errors). Its resources still count as
 * partners for other files' lookups. Raised by the project, not by a check of its own.
 */
export const templateFile: RuleInfo = {
  code: 'EGR005',
  name: 'template-not-rendered',
  title: 'A Helm or Go template is checked once rendered, not as written',
  severity: 'info',
};

export function templateNote(): string {
  return 'This file holds template actions ({{ … }} or %NAME% placeholders), so it is not YAML until rendered: it gets no syntax, schema or egress findings here. Check what it renders to, e.g. `helm template <release> <chart> -n <namespace> | istio-egress check -`.';
}
