import { plainHost } from '../model/hosts';
import { destinationOf } from '../workspace/destinations';
import type { DestinationRuleResource, ServiceResource } from '../model/resources';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { ALIAS_TARGET, RULE_DESTINATION } from '../workspace/relations';
import { externalNameProblem } from '../model/externalName';
import { targetRegistered } from './externalNameTarget';
import { moveRuleToTarget } from './fixes/serviceEntryForTarget';
import type { WorkspaceRule } from './rule';
import type { RelativeFix } from '../edits';
import { EXTERNAL_NAME_ALIAS_SINCE } from '../model/istioReleases';

function fixFor(rule: PlacedResource<DestinationRuleResource>, service: PlacedResource<ServiceResource>, target: string, index: WorkspaceIndex): RelativeFix[] {
  if (!target || externalNameProblem(target)) return [];
  const fix = moveRuleToTarget(rule, service.resource, target, targetRegistered(service, index));
  return fix ? [fix] : [];
}

/**
 * Since Istio 1.21 an ExternalName Service is an alias of its target, with no cluster of its own
 * (docs/istio-behaviour.md#externalname-is-an-alias-since-121).
 */
export const destinationRuleOnExternalName: WorkspaceRule = {
  code: 'EGR401',
  name: 'dr-on-externalname',
  title: 'A DestinationRule on an ExternalName Service has no effect',
  severity: 'warning',
  istio: { since: EXTERNAL_NAME_ALIAS_SINCE },
  scope: 'workspace',
  reads: [RULE_DESTINATION, ALIAS_TARGET],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const host = rule.resource.host;
      const target = destinationOf(rule, index, options);
      if (!host || target?.kind !== 'service') continue;
      const service = target.service.resource;
      if (service.type?.value !== 'ExternalName') continue;
      const externalName = service.externalName?.value ?? '';
      const where = service.externalName ?? service.type;
      report({
        at: rule,
        range: host.range,
        message:
          `'${host.value}' is the ExternalName Service '${service.name?.value ?? ''}', which Istio 1.21+ treats as an alias of ` +
          `'${externalName}': this DestinationRule has no effect. Register '${externalName}' with a ServiceEntry and put the rule on that host.`,
        related: where ? [{ at: target.service, range: where.range, message: `ExternalName target '${externalName}'` }] : [],
        fixes: fixFor(rule, target.service, plainHost(externalName), index),
      });
    }
  },
};
