import { expandHost, installedWithCluster, serviceFqdn, serviceOfHost } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { PlacedResource } from '../workspace/placed';
import { hiddenEntryNote } from '../workspace/hiddenEntries';
import { ask } from '../workspace/relation';
import { RULE_DESTINATION, RULE_HOST, RULE_PARTIAL_NAME } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { DestinationRuleResource } from '../model/resources';
import type { WorkspaceRule } from './rule';

/** `svc.ns` or `svc.ns.svc` naming a known Service: Istio does not expand such hosts (only dot-less ones). */
function partialServiceName(rule: PlacedResource<DestinationRuleResource>, host: string, index: WorkspaceIndex, options: AnalysisOptions): string | undefined {
  const parts = host.replace(/\.$/, '').split('.');
  if (parts.length !== 2 && !(parts.length === 3 && parts[2] === 'svc')) return undefined;
  const [name = '', namespace = ''] = parts;
  return index.service(namespace, name, ask(RULE_PARTIAL_NAME, rule)) ? serviceFqdn(name, namespace, options.clusterDomain) : undefined;
}

export const destinationRulePartialHost: WorkspaceRule = {
  code: 'EGR306',
  name: 'dr-host-partial-name',
  title: "A DestinationRule host like 'svc.ns' is taken literally and matches nothing",
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_PARTIAL_NAME],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const host = rule.resource.host;
      const full = host && partialServiceName(rule, host.value, index, options);
      if (!host || !full) continue;
      report({
        at: rule,
        range: host.range,
        message: `Istio expands only dot-less short names, so '${host.value}' matches no Service and this rule has no effect: write '${full}'.`,
      });
    }
  },
};

export const destinationRuleHostUnknown: WorkspaceRule = {
  code: 'EGR304',
  name: 'dr-host-unknown',
  title: 'A DestinationRule host that nothing in the workspace defines',
  severity: 'hint',
  scope: 'workspace',
  reads: [RULE_PARTIAL_NAME, RULE_HOST, RULE_DESTINATION],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const written = rule.resource.host;
      if (!written || written.value.includes('*') || partialServiceName(rule, written.value, index, options)) continue;
      const host = expandHost(written.value, namespaceOf(rule.resource), options.clusterDomain);
      // The egress gateway of Istio's recipes, `kubernetes.default`: installed with the cluster, not with these files.
      if (installedWithCluster(host, options.clusterDomain)) continue;
      const key = serviceOfHost(host, options.clusterDomain);
      if (index.hostRegistered(host, ask(RULE_HOST, rule))) continue;
      if (key) {
        const through = ask(RULE_DESTINATION, rule);
        const found = written.value.includes('.') ? index.serviceNamedBy(key.namespace, key.name, through, rule) : index.service(key.namespace, key.name, through);
        if (found) continue;
        const hidden = index.serviceHiddenFrom(key.namespace, key.name, through, written.value.includes('.'));
        report({
          at: rule,
          range: written.range,
          message: hidden
            ? `The Service '${key.name}' in namespace '${key.namespace}' is exported only to [${hidden.resource.exportTo.map((e) => e.value).join(', ')}] (annotation networking.istio.io/exportTo), so namespace '${namespaceOf(rule.resource)}' does not see it and this rule has no Service to apply to there.`
            : `No Service '${key.name}' in namespace '${key.namespace}' is defined in the workspace; if it exists only in the cluster, all is well.`,
          ...(hidden ? { related: [{ at: hidden, range: hidden.resource.exportTo[0]?.range ?? hidden.resource.kind.range, message: 'its exportTo' }] } : {}),
        });
      } else {
        report({
          at: rule,
          range: written.range,
          message: `No ServiceEntry in the workspace registers '${host}' for this namespace: without one, Istio has no cluster for this host and the rule does not apply${options.outboundTrafficPolicy === 'REGISTRY_ONLY' ? ' (and REGISTRY_ONLY blocks the traffic)' : ' (traffic passes through unmanaged)'}.${hiddenEntryNote(index, host, ask(RULE_HOST, rule))}`,
        });
      }
    }
  },
};
