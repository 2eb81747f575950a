import type { LocalFinding } from './rule';
import type { DeprecatedConsecutiveErrors, DestinationRuleResource, TrafficPolicy } from '../model/resources';
import { resourceRule } from './resourceRule';

/** Every `trafficPolicy` of a DestinationRule: top level and per subset, each with its port-level settings. */
function policies(rule: DestinationRuleResource): TrafficPolicy[] {
  return [rule.trafficPolicy, ...rule.subsets.map((s) => s.trafficPolicy)].filter((p): p is TrafficPolicy => p !== undefined);
}

function consecutiveErrorsFinding({ field, withGatewayErrors }: DeprecatedConsecutiveErrors): LocalFinding {
  const keyRange = field.keyRange ?? field.range;
  return {
    message: `consecutiveErrors is deprecated (Istio's webhook warns about it), and Istio counts only gateway errors (502, 503, 504) with it: write consecutiveGatewayErrors for the same behaviour, or consecutive5xxErrors to count every 5xx.`,
    range: keyRange,
    // Renaming keeps the behaviour; not when the gateway key is there already (it would be written twice).
    ...(withGatewayErrors
      ? {}
      : { fixes: [{ title: 'Rename to consecutiveGatewayErrors (same behaviour)', edits: [{ range: keyRange, newText: 'consecutiveGatewayErrors' }], preferred: true }] }),
  };
}

/**
 * docs/rules/EGR415.md: fields Istio still accepts but has replaced, with what replaces them: `consecutiveErrors` of a
 * DestinationRule's outlier detection and `fault.delay.percent` of a VirtualService route.
 */
export const deprecatedField = resourceRule({
  code: 'EGR415',
  name: 'deprecated-field',
  title: 'A field Istio has replaced',
  severity: 'hint',
  kinds: ['DestinationRule', 'VirtualService'],
  checkResource(resource, _doc, _options, report) {
    if (resource.kindName === 'DestinationRule') {
      for (const policy of policies(resource)) {
        for (const deprecated of [policy.consecutiveErrors, ...policy.portLevelSettings.map((p) => p.consecutiveErrors)]) {
          if (deprecated) report(consecutiveErrorsFinding(deprecated));
        }
      }
      return;
    }
    for (const percent of resource.delayPercents) {
      const keyRange = percent.keyRange ?? percent.range;
      report({
        message: `fault.delay.percent is deprecated: write percentage: {value: ${percent.value}}.`,
        range: keyRange,
        fixes: [
          {
            title: `Write percentage: {value: ${percent.value}}`,
            edits: [{ range: { start: keyRange.start, end: percent.range.end }, newText: `percentage: {value: ${percent.value}}` }],
            preferred: true,
          },
        ],
      });
    }
  },
});
