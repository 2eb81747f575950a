import { expandHost, serviceOfHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type VirtualServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import { hostMatches } from '../workspace/drPrecedence';
import type { PlacedResource } from '../workspace/placed';
import { ask, type Ask } from '../workspace/relation';
import { ROUTE_SUBSET_RULES } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

type PlacedRule = PlacedResource<DestinationRuleResource>;

/**
 * A route destination's host as Istio reads it (expanded in the route's namespace, lower case), and the rules for it,
 * in workspace order (read through ROUTE_SUBSET_RULES when `from` is given).
 */
export function rulesForDestination(
  route: VirtualServiceResource,
  written: string,
  index: WorkspaceIndex,
  options: AnalysisOptions,
  from?: Ask,
): { readonly host: string; readonly rules: PlacedRule[] } {
  const host = expandHost(written, namespaceOf(route), options.clusterDomain).toLowerCase();
  const anyNamespace = !route.namespace?.value && !written.includes('.');
  const serviceName = serviceOfHost(host, options.clusterDomain)?.name;
  const candidates = index.rulesForHost(host, from);
  const byName = serviceName === undefined ? [] : index.rulesForServiceName(serviceName, from);
  const rules = index.inOrder([...candidates.exact, ...candidates.wildcards, ...byName]);
  return { host, rules: rulesCovering(host, serviceName, anyNamespace, rules, options.clusterDomain) };
}

/**
 * The DestinationRules whose host (expanded in their namespace) covers `host`, exactly or by wildcard. Resources
 * written without a namespace are applied with `-n` and may well land where the other is (a lookup that only removes a
 * finding may assume so): a rule without one on the destination's short name counts, and so does, for a route without
 * one to a short name, a rule on that name in any namespace.
 */
function rulesCovering(host: string, serviceName: string | undefined, anyNamespace: boolean, rules: readonly PlacedRule[], clusterDomain: string): PlacedRule[] {
  return rules.filter((r) => {
    const written = r.resource.host?.value;
    if (written === undefined) return false;
    if (!r.resource.namespace?.value && !written.includes('.') && written.toLowerCase() === serviceName) return true;
    const ruleHost = expandHost(written, namespaceOf(r.resource), clusterDomain).toLowerCase();
    // A route written without a namespace to a short name: the Service of that name in whatever namespace it lands.
    if (anyNamespace && serviceName !== undefined && serviceOfHost(ruleHost, clusterDomain)?.name === serviceName) return true;
    return hostMatches(ruleHost, host);
  });
}

/**
 * docs/rules/EGR412.md (Istio's and Kiali's checks): a route to `subset: v1` needs a DestinationRule for the destination host that
 * defines `v1`; without one, Envoy has no cluster for the subset and the route answers 503 (the classic of every
 * egress-gateway recipe, which routes with `subset:`). Any DestinationRule in the workspace counts (a lookup that only
 * removes the finding may search everywhere). A warning when rules for the host exist and none defines the subset; a
 * hint when no rule for the host is in the files at all, since it may live in the cluster.
 */
export const routeSubsetUndefined: WorkspaceRule = {
  code: 'EGR412',
  name: 'route-subset-undefined',
  title: 'A route names a subset that no DestinationRule for its host defines',
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_SUBSET_RULES],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      for (const destination of vs.resource.destinations) {
        const subset = destination.subset;
        const written = destination.host?.value;
        if (!subset || !written) continue;
        const { host, rules } = rulesForDestination(vs.resource, written, index, options, ask(ROUTE_SUBSET_RULES, vs));
        if (rules.some((r) => r.resource.subsets.some((s) => s.name?.value === subset.value))) continue;
        const [first] = rules;
        report({
          at: vs,
          range: subset.range,
          ...(first ? {} : { severity: 'hint' as const }),
          message: first
            ? `No DestinationRule for '${host}' defines subset '${subset.value}' (${rules.map((r) => `'${r.resource.name?.value ?? ''}'`).join(', ')} ${rules.length === 1 ? 'has' : 'have'} ${rules.flatMap((r) => r.resource.subsets.flatMap((s) => (s.name ? [`'${s.name.value}'`] : []))).join(', ') || 'no subsets'}): the route has no cluster to go to and answers 503.`
            : `No DestinationRule in the workspace defines subset '${subset.value}' for '${host}'; unless one exists in the cluster, the route answers 503.`,
          related: rules.slice(0, 5).flatMap((r) => (r.resource.host ? [{ at: r, range: r.resource.host.range, message: `DestinationRule '${r.resource.name?.value ?? ''}'` }] : [])),
        });
      }
    }
  },
};
