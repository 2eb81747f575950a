import { isDns1123Label } from '../model/names';
import { resourceRule } from './resourceRule';

/** Why a DR host is not what Istio's webhook accepts (docs/rules/EGR201.md), or undefined when it is. */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return 'is empty';
  if (host.length > 255) return 'is longer than 255 characters';
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host) || host.includes('/')) return 'must be a host name, without scheme or path';
  if (/:\d+$/.test(host)) return 'must not carry a port; use portLevelSettings';
  const [first = '', ...rest] = host.split('.');
  const wildcardFirst = first === '*' || (first.startsWith('*') && isDns1123Label(first.replace(/^\*-?/, '')));
  if (!wildcardFirst && !isDns1123Label(first.toLowerCase())) return `has an invalid label '${first}' (a '*' may only start the first label)`;
  for (const [i, label] of rest.entries()) {
    if (i === rest.length - 1 && label === '') break; // one trailing dot is allowed
    if (!isDns1123Label(label.toLowerCase())) return `has an invalid label '${label}'`;
  }
  const top = rest.length ? (rest[rest.length - 1] === '' ? rest[rest.length - 2] : rest[rest.length - 1]) : undefined;
  if (top !== undefined && /^\d+$/.test(top)) return 'is an IP address or ends in a numeric label; DestinationRule hosts are names';
  return undefined;
}

export const destinationRuleHost = resourceRule({
  code: 'EGR201',
  name: 'dr-host',
  title: 'A DestinationRule needs a valid host',
  severity: 'error',
  kinds: ['DestinationRule'],
  checkResource(rule, _doc, _options, report) {
    // A missing host is the schema's finding (EGR002).
    if (!rule.host) return;
    const problem = hostProblem(rule.host.value);
    if (problem) report({ message: `host '${rule.host.value}' ${problem}.`, range: rule.host.range });
    else if (/[A-Z]/.test(rule.host.value)) {
      // Istio's webhook accepts upper case, but service hosts are lower case, so such a rule matches nothing.
      report({
        message: `host '${rule.host.value}' has upper-case letters: Istio accepts it, but service host names are lower case, so the rule matches nothing.`,
        range: rule.host.range,
        severity: 'warning',
      });
    }
  },
});
