import { expandHost, ROOT_NAMESPACE } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { PlacedResource } from './placed';
import type { Ask } from './relation';
import { nearest } from './together';
import type { WorkspaceIndex } from './workspaceIndex';

export { ROOT_NAMESPACE };

export interface AppliedRule {
  readonly rule: PlacedResource<DestinationRuleResource>;
  /** The host as Istio matches it (short names expanded). */
  readonly host: string;
  readonly exact: boolean;
}

/** Whether a DR host (expanded) matches a destination host: exactly, or as a `*.suffix` / `*` wildcard. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (ruleHost === host || ruleHost === '*') return true;
  return ruleHost.startsWith('*.') && host.endsWith(ruleHost.slice(1));
}

/** Whether a DR in `ruleNamespace` is visible to clients in `clientNamespace` (exportTo; `.` = own namespace). */
function visibleTo(rule: DestinationRuleResource, ruleNamespace: string, clientNamespace: string | undefined): boolean {
  if (clientNamespace === ruleNamespace) return true;
  // A DR that selects workloads only applies inside its own namespace.
  if (rule.workloadSelector) return false;
  const exportTo = rule.exportTo.map((e) => e.value);
  if (exportTo.length === 0 || exportTo.includes('*')) return true;
  return clientNamespace !== undefined && exportTo.includes(clientNamespace);
}

/**
 * The DestinationRule that applies to traffic toward `host`: the client's namespace first, then the destination's,
 * then the root namespace; in each, an exact host beats the longest wildcard; the first namespace with any match wins.
 * With no client namespace given, the client is assumed to be in a namespace with no rules of its own.
 * See docs/istio-behaviour.md#which-destinationrule-applies.
 * Reads the rules for `host` through `from` when given.
 */
export function appliedRule(
  host: string,
  destinationNamespace: string,
  index: WorkspaceIndex,
  options: AnalysisOptions,
  clientNamespace?: string,
  exclude?: PlacedResource<DestinationRuleResource>,
  near?: PlacedResource,
  from?: Ask,
): AppliedRule | undefined {
  const byNamespace = rulesByNamespace(host, index, options.clusterDomain, from);
  const order = [clientNamespace, destinationNamespace, ROOT_NAMESPACE].filter((ns): ns is string => ns !== undefined);
  for (const namespace of [...new Set(order)]) {
    const rules = byNamespace.get(namespace);
    if (!rules) continue;
    let best: AppliedRule | undefined;
    // Exact hosts first (an exact match beats any wildcard), then the longest matching wildcard.
    const exact = rules.exact.filter((c) => c.rule !== exclude && visibleTo(c.rule.resource, namespace, clientNamespace));
    // Several rules for one host: versions of one rule in sibling files, or rules Istio merges. The one nearest the
    // destination is the one applied with it; without a destination, the first.
    const chosen =
      near && exact.length > 1
        ? nearest(
            near,
            exact.map((c) => c.rule),
          )
        : exact[0]?.rule;
    const found = exact.find((c) => c.rule === chosen);
    if (found) best = { ...found, exact: true };
    if (!best) {
      for (const candidate of rules.wildcards) {
        if (candidate.rule === exclude || !hostMatches(candidate.host, host) || !visibleTo(candidate.rule.resource, namespace, clientNamespace)) continue;
        const applied = { ...candidate, exact: false };
        if (!best || specificity(applied) > specificity(best)) best = applied;
      }
    }
    if (best) return best;
  }
  return undefined;
}

interface IndexedRule {
  readonly rule: PlacedResource<DestinationRuleResource>;
  readonly host: string;
}

interface NamespaceRules {
  /** Rules whose expanded host is `host` exactly, in workspace order (the first one wins, as Istio's merge keeps the first). */
  readonly exact: IndexedRule[];
  /** Rules with a wildcard host, in workspace order. */
  readonly wildcards: IndexedRule[];
}

/** The rules that may apply to `host`, by namespace. */
function rulesByNamespace(host: string, index: WorkspaceIndex, clusterDomain: string, from: Ask | undefined): Map<string, NamespaceRules> {
  const rules = new Map<string, NamespaceRules>();
  const candidates = index.rulesForHost(host, from);
  for (const rule of index.inOrder([...candidates.exact, ...candidates.wildcards])) {
    const written = rule.resource.host?.value;
    if (!written) continue;
    const namespace = namespaceOf(rule.resource);
    let group = rules.get(namespace);
    if (!group) {
      group = { exact: [], wildcards: [] };
      rules.set(namespace, group);
    }
    const ruleHost = expandHost(written, namespace, clusterDomain);
    if (ruleHost.startsWith('*')) group.wildcards.push({ rule, host: ruleHost });
    else if (ruleHost === host) group.exact.push({ rule, host: ruleHost });
  }
  return rules;
}

function specificity(applied: AppliedRule): number {
  return applied.exact ? Number.MAX_SAFE_INTEGER : applied.host.length;
}

/**
 * Namespaces, other than the destination's and the root, holding a DestinationRule for `host`: clients there apply
 * their own namespace's rule first (docs/istio-behaviour.md#which-destinationrule-applies), so the answer for them may differ.
 */
export function clientNamespacesWithOwnRule(host: string, destinationNamespace: string, index: WorkspaceIndex, options: AnalysisOptions, from?: Ask): string[] {
  const out: string[] = [];
  for (const [namespace, rules] of rulesByNamespace(host, index, options.clusterDomain, from)) {
    if (namespace === destinationNamespace || namespace === ROOT_NAMESPACE) continue;
    if (rules.exact.length > 0 || rules.wildcards.some((r) => hostMatches(r.host, host))) out.push(namespace);
  }
  return out.sort();
}
