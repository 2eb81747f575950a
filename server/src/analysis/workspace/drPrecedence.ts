import { expandHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { PlacedResource } from './placed';
import { nearest } from './together';
import type { WorkspaceIndex } from './workspaceIndex';

/** Istio's root namespace, whose DestinationRules apply mesh-wide as the last resort. */
export const ROOT_NAMESPACE = 'istio-system';

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
): AppliedRule | undefined {
  const byNamespace = rulesByNamespace(index, options.clusterDomain);
  const order = [clientNamespace, destinationNamespace, ROOT_NAMESPACE].filter((ns): ns is string => ns !== undefined);
  for (const namespace of [...new Set(order)]) {
    const rules = byNamespace.get(namespace);
    if (!rules) continue;
    let best: AppliedRule | undefined;
    // Exact hosts first (an exact match beats any wildcard), then the longest matching wildcard.
    const exact = (rules.exact.get(host) ?? []).filter((c) => c.rule !== exclude && visibleTo(c.rule.resource, namespace, clientNamespace));
    // Several rules for one host: versions of one rule in sibling files, or rules Istio merges. The one nearest the
    // destination is the one applied with it; without a destination, the first.
    const chosen = near && exact.length > 1 ? nearest(near, exact.map((c) => c.rule)) : exact[0]?.rule;
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
  /** By expanded host, in workspace order (the first one wins, as Istio's merge keeps the first). */
  readonly exact: Map<string, IndexedRule[]>;
  readonly wildcards: IndexedRule[];
}

/** DRs grouped by namespace with their expanded hosts, computed once per index (and cluster domain). */
const grouped = new WeakMap<WorkspaceIndex, { domain: string; rules: Map<string, NamespaceRules> }>();

function rulesByNamespace(index: WorkspaceIndex, clusterDomain: string): Map<string, NamespaceRules> {
  const cached = grouped.get(index);
  if (cached?.domain === clusterDomain) return cached.rules;
  const rules = new Map<string, NamespaceRules>();
  for (const rule of index.destinationRules) {
    const written = rule.resource.host?.value;
    if (!written) continue;
    const namespace = namespaceOf(rule.resource);
    let group = rules.get(namespace);
    if (!group) {
      group = { exact: new Map(), wildcards: [] };
      rules.set(namespace, group);
    }
    const host = expandHost(written, namespace, clusterDomain);
    if (host.startsWith('*')) group.wildcards.push({ rule, host });
    else group.exact.set(host, [...(group.exact.get(host) ?? []), { rule, host }]);
  }
  grouped.set(index, { domain: clusterDomain, rules });
  return rules;
}

function specificity(applied: AppliedRule): number {
  return applied.exact ? Number.MAX_SAFE_INTEGER : applied.host.length;
}

/**
 * Namespaces, other than the destination's and the root, holding a DestinationRule for `host`: clients there apply
 * their own namespace's rule first (docs/istio-behaviour.md#which-destinationrule-applies), so the answer for them may differ.
 */
export function clientNamespacesWithOwnRule(host: string, destinationNamespace: string, index: WorkspaceIndex, options: AnalysisOptions): string[] {
  const out: string[] = [];
  for (const [namespace, rules] of rulesByNamespace(index, options.clusterDomain)) {
    if (namespace === destinationNamespace || namespace === ROOT_NAMESPACE) continue;
    if (rules.exact.has(host) || rules.wildcards.some((r) => hostMatches(r.host, host))) out.push(namespace);
  }
  return out.sort();
}
