import { expandHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type TrafficPolicy } from '../model/resources';
import type { PlacedResource } from '../workspace/placed';
import { appliedTogether, nearest, sameObject } from '../workspace/together';
import { ask } from '../workspace/relation';
import { RULE_HOST } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

type PlacedRule = PlacedResource<DestinationRuleResource>;

/** What one rule loses when merged with another (pilot's mergeDestinationRule, docs/rules/EGR305.md). */
interface Conflict {
  readonly other: PlacedRule;
  readonly bothPolicies: boolean;
  readonly sharedSubsets: readonly string[];
}

function conflictOf(rule: PlacedRule, other: PlacedRule): Conflict | undefined {
  const bothPolicies = rule.resource.trafficPolicy !== undefined && other.resource.trafficPolicy !== undefined;
  const theirs = new Set(other.resource.subsets.flatMap((s) => (s.name ? [s.name.value] : [])));
  const sharedSubsets = [...new Set(rule.resource.subsets.flatMap((s) => (s.name && theirs.has(s.name.value) ? [s.name.value] : [])))];
  return bothPolicies || sharedSubsets.length > 0 ? { other, bothPolicies, sharedSubsets } : undefined;
}

function policySummary(policy: TrafficPolicy | undefined): string {
  const mode = policy?.tls?.mode?.value;
  return mode ? `tls.mode ${mode}` : 'its settings';
}

function nameOf(rule: PlacedRule): string {
  return rule.resource.name?.value ?? '(unnamed)';
}

/** The file a rule is in, for a message: its last two path segments. */
function shortPath(rule: PlacedRule): string {
  return decodeURIComponent(rule.uri.split('/').slice(-2).join('/'));
}

function describe(rule: PlacedRule, conflict: Conflict, host: string): string {
  const other = `DestinationRule '${nameOf(conflict.other)}'`;
  const parts: string[] = [];
  if (conflict.bothPolicies) {
    parts.push(
      `${other} also sets a top-level trafficPolicy for '${host}': Istio merges rules for one host and keeps the policy of the rule created first, so either this rule's (${policySummary(rule.resource.trafficPolicy)}) or ${nameOf(conflict.other)}'s (${policySummary(conflict.other.resource.trafficPolicy)}) is ignored`,
    );
  }
  if (conflict.sharedSubsets.length > 0) {
    const names = conflict.sharedSubsets.map((s) => `'${s}'`).join(', ');
    parts.push(`${conflict.bothPolicies ? 'it' : other} also defines subset ${names}: Istio keeps the first rule's and drops the other's`);
  }
  return parts.join('; and ');
}

/** Istio merges only rules that also share their workloadSelector and exportTo. */
function mergeScope(rule: DestinationRuleResource): string {
  return JSON.stringify([rule.workloadSelector?.value ?? null, rule.exportTo.map((e) => e.value).sort()]);
}

/** The rules Istio merges `rule` with (itself included, in workspace order): same namespace, host and scope. */
function mergedWith(rule: PlacedRule, index: WorkspaceIndex, clusterDomain: string): PlacedRule[] {
  const written = rule.resource.host?.value;
  if (!written) return [];
  const namespace = namespaceOf(rule.resource);
  const scope = mergeScope(rule.resource);
  return index
    .rulesForHost(expandHost(written, namespace, clusterDomain), ask(RULE_HOST, rule))
    .exact.filter((other) => other.resource.host?.value && namespaceOf(other.resource) === namespace && mergeScope(other.resource) === scope);
}

/**
 * Istio merges DestinationRules for one host in one namespace (same workloadSelector and exportTo): subsets are
 * appended and the top-level traffic policy is the first rule's that has one. Only what the merge drops is reported,
 * and as a warning only when the files show both rules applied together (same file or folder).
 */
export const destinationRuleMergeConflict: WorkspaceRule = {
  code: 'EGR305',
  name: 'dr-merge-conflict',
  title: 'Two DestinationRules for one host whose merge drops a setting',
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_HOST],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const rules = mergedWith(rule, index, options.clusterDomain);
      if (rules.length < 2) continue;
      const host = rule.resource.host;
      if (!host) continue;
      // Other objects only (a same-named rule is a version of this one), each by its version nearest this rule.
      const objects = new Map<string, PlacedRule[]>();
      for (const other of rules) {
        if (other === rule || sameObject(other.resource, rule.resource)) continue;
        const name = other.resource.name?.value ?? `#${rules.indexOf(other)}`;
        objects.set(name, [...(objects.get(name) ?? []), other]);
      }
      const conflicts: Conflict[] = [];
      for (const versions of objects.values()) {
        const other = nearest(rule, versions);
        const conflict = other && conflictOf(rule, other);
        if (conflict) conflicts.push(conflict);
      }
      const first = conflicts[0];
      if (!first) continue;
      const expanded = expandHost(host.value, namespaceOf(rule.resource), options.clusterDomain);
      const together = conflicts.some((c) => appliedTogether(rule, c.other));
      const shown = conflicts.find((c) => appliedTogether(rule, c.other)) ?? first;
      const message = together
        ? `${describe(rule, shown, expanded)}. Keep one rule per host, or move the settings into one.`
        : `If applied together with ${shortPath(shown.other)} (another folder): ${describe(rule, shown, expanded)}.`;
      report({
        at: rule,
        range: host.range,
        message,
        ...(together ? {} : { severity: 'hint' as const }),
        related: conflicts.flatMap((c) => (c.other.resource.host ? [{ at: c.other, range: c.other.resource.host.range, message: `DestinationRule '${nameOf(c.other)}'` }] : [])),
      });
    }
  },
};
