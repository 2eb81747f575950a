import type { LocalFinding } from './rule';
import type { DeprecatedConsecutiveErrors, DestinationRuleResource, SidecarResource, TrafficPolicy } from '../model/resources';
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
 * `outboundTrafficPolicy.egressProxy` of a Sidecar: hidden from Istio's reference and reported by `istioctl analyze`
 * as deprecated, though the proxies still send unknown traffic to it. No fix: the replacement (ServiceEntries, an
 * egress gateway and its routes) is a set of new resources, not an edit of this one.
 */
function egressProxyFinding(sidecar: SidecarResource): LocalFinding | undefined {
  if (!sidecar.egressProxyKey) return undefined;
  return {
    message:
      "outboundTrafficPolicy.egressProxy is hidden from Istio's reference and istioctl analyze reports it as deprecated (IST0002): the sidecars still send unknown traffic to it, but Istio neither documents nor supports it. Register the external hosts with ServiceEntries and route them through an egress gateway with VirtualServices, or set mode: REGISTRY_ONLY.",
    range: sidecar.egressProxyKey,
  };
}

/**
 * docs/rules/EGR415.md: fields Istio still accepts but has replaced, with what replaces them: `consecutiveErrors` of a
 * DestinationRule's outlier detection, `fault.delay.percent` of a VirtualService route and
 * `outboundTrafficPolicy.egressProxy` of a Sidecar.
 */
export const deprecatedField = resourceRule({
  code: 'EGR415',
  name: 'deprecated-field',
  title: 'A field Istio has replaced',
  severity: 'hint',
  kinds: ['DestinationRule', 'VirtualService', 'Sidecar'],
  checkResource(resource, _doc, _options, report) {
    if (resource.kindName === 'Sidecar') {
      const finding = egressProxyFinding(resource);
      if (finding) report(finding);
      return;
    }
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
