import { holdsPlaceholder } from '../documents/templates';
import { expandHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type Subset, type TrafficPolicy } from '../model/resources';
import { istioAtLeast } from '../options';
import type { PlacedResource } from '../workspace/placed';
import { appliedTogether, nearest, sameObject } from '../workspace/together';
import { ask } from '../workspace/relation';
import { RULE_HOST } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

type PlacedRule = PlacedResource<DestinationRuleResource>;

/** Istio 1.24 and later keep rules for one host apart when their `exportTo` differ (ENABLE_ENHANCED_DESTINATIONRULE_MERGE). */
const APART_BY_EXPORT_SINCE = '1.24';

/** The namespaces whose clients see a rule: every one, or those named (docs/istio-behaviour.md#visibility-exportto). */
type Seen = 'all' | ReadonlySet<string>;

/** Who sees a rule: a rule with a workloadSelector only its own namespace, else its `exportTo` (`~`: nobody). */
function seenBy(rule: DestinationRuleResource): Seen {
  const own = namespaceOf(rule);
  if (rule.workloadSelector) return new Set([own]);
  const values = rule.exportTo.map((e) => e.value);
  // A value still to be filled in could name any namespace.
  if (values.length === 0 || values.some((v) => v === '*' || holdsPlaceholder(v))) return 'all';
  return new Set(values.flatMap((v) => (v === '.' ? [own] : v === '~' ? [] : [v])));
}

/** The namespaces that see both rules (`all`, or a possibly empty list). */
function seenByBoth(a: DestinationRuleResource, b: DestinationRuleResource): 'all' | string[] {
  const one = seenBy(a);
  const two = seenBy(b);
  if (one === 'all' && two === 'all') return 'all';
  if (one === 'all') return [...two].sort();
  if (two === 'all') return [...one].sort();
  return [...one].filter((n) => two.has(n)).sort();
}

/** The `exportTo` Istio compares when it merges (as written; `.` for a rule with a workloadSelector). */
function exportKey(rule: DestinationRuleResource): string {
  const values = rule.workloadSelector ? ['.'] : rule.exportTo.map((e) => e.value);
  return JSON.stringify([...new Set(values)].sort());
}

/** Whether both rules select the same workloads: both none, or the same labels. */
function sameSelector(a: DestinationRuleResource, b: DestinationRuleResource): boolean {
  const labels = (r: DestinationRuleResource): string => JSON.stringify(Object.entries(r.workloadSelector?.value ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return (a.workloadSelector === undefined) === (b.workloadSelector === undefined) && labels(a) === labels(b);
}

/** What one rule loses beside another for clients that see both (docs/rules/EGR305.md). */
interface Conflict {
  readonly other: PlacedRule;
  /** Merged (first policy and first subset of a name win), or kept apart (the rule created last wins, whole). */
  readonly merged: boolean;
  readonly bothPolicies: boolean;
  readonly sharedSubsets: readonly string[];
  readonly seenIn: 'all' | readonly string[];
}

function conflictOf(rule: PlacedRule, other: PlacedRule, istioVersion: string): Conflict | undefined {
  if (!sameSelector(rule.resource, other.resource)) return undefined;
  const seenIn = seenByBoth(rule.resource, other.resource);
  if (seenIn !== 'all' && seenIn.length === 0) return undefined;
  const merged = exportKey(rule.resource) === exportKey(other.resource) || !istioAtLeast(istioVersion, APART_BY_EXPORT_SINCE);
  const bothPolicies = rule.resource.trafficPolicy !== undefined && other.resource.trafficPolicy !== undefined;
  // A subset defined the same way in both (same labels, no policy of its own) loses nothing when one is dropped.
  const theirs = new Map(other.resource.subsets.flatMap((s) => (s.name ? [[s.name.value, s] as const] : [])));
  const sharedSubsets = [
    ...new Set(
      rule.resource.subsets.flatMap((s) => {
        const twin = s.name ? theirs.get(s.name.value) : undefined;
        return s.name && twin && !sameSubset(s, twin) ? [s.name.value] : [];
      }),
    ),
  ];
  const conflict = { other, merged, bothPolicies, sharedSubsets, seenIn };
  if (merged) return bothPolicies || sharedSubsets.length > 0 ? conflict : undefined;
  // Apart: whichever is created last hides the other whole, so anything either sets is at stake.
  const sets = (r: DestinationRuleResource): boolean => r.trafficPolicy !== undefined || r.subsets.length > 0;
  return sets(rule.resource) || sets(other.resource) ? conflict : undefined;
}

/** Two subsets of one name that select the same labels and set no policy: either serves as the other. */
function sameSubset(a: Subset, b: Subset): boolean {
  const labels = (s: Subset): string => JSON.stringify(Object.entries(s.labels?.value ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return !a.trafficPolicy && !b.trafficPolicy && labels(a) === labels(b);
}

/**
 * Whether two rules stand among alternatives: one of them has another version (same namespace and name) in its file
 * or folder, so the files hold several variants of the set-up (test inputs, tutorial steps) and nothing shows which
 * of them are applied together.
 */
function amongAlternatives(rule: PlacedRule, other: PlacedRule, all: readonly PlacedRule[]): boolean {
  const hasVersion = (x: PlacedRule): boolean => all.some((y) => y !== x && sameObject(x.resource, y.resource) && appliedTogether(x, y));
  return hasVersion(rule) || hasVersion(other);
}

function exportSummary(rule: DestinationRuleResource): string {
  if (rule.workloadSelector) return 'a workloadSelector';
  const values = rule.exportTo.map((e) => e.value);
  return values.length ? `exportTo [${values.join(', ')}]` : 'no exportTo';
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

function clientsOf(seenIn: 'all' | readonly string[]): string {
  if (seenIn === 'all') return 'clients in every namespace';
  return `clients in namespace${seenIn.length > 1 ? 's' : ''} ${seenIn.join(', ')}`;
}

function describe(rule: PlacedRule, conflict: Conflict, host: string): string {
  const other = `DestinationRule '${nameOf(conflict.other)}'`;
  if (!conflict.merged) {
    return `${other} is also for '${host}' in this namespace, with ${exportSummary(conflict.other.resource)} where this rule has ${exportSummary(rule.resource)}: Istio 1.24+ keeps the two apart, and ${clientsOf(conflict.seenIn)}, which see both, get only the rule created last, so either this rule's settings or ${nameOf(conflict.other)}'s are ignored there`;
  }
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
  const seen = conflict.seenIn === 'all' ? '' : ` (for ${clientsOf(conflict.seenIn)}, which see both)`;
  return parts.join('; and ') + seen;
}

/** The other rules for the same host in the same namespace (workspace order), which some client may see with `rule`. */
function sameHost(rule: PlacedRule, index: WorkspaceIndex, clusterDomain: string): PlacedRule[] {
  const written = rule.resource.host?.value;
  if (!written) return [];
  const namespace = namespaceOf(rule.resource);
  return index
    .rulesForHost(expandHost(written, namespace, clusterDomain), ask(RULE_HOST, rule))
    .exact.filter((other) => other !== rule && other.resource.host?.value && namespaceOf(other.resource) === namespace);
}

/**
 * Istio merges DestinationRules for one host in one namespace (same workloadSelector and exportTo): subsets are
 * appended and the top-level traffic policy is the first rule's that has one. From 1.24 rules whose exportTo differ
 * are kept apart, and a client that sees both gets the one created last. Two rules are compared only when some
 * namespace's clients see both; only what is lost is reported, and as a warning only when the files show both rules
 * applied together (same file or folder).
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
      const rules = sameHost(rule, index, options.clusterDomain);
      const host = rule.resource.host;
      if (rules.length === 0 || !host) continue;
      // Other objects only (a same-named rule is a version of this one), each by its version nearest this rule.
      const objects = new Map<string, PlacedRule[]>();
      for (const other of rules) {
        if (sameObject(other.resource, rule.resource)) continue;
        const name = other.resource.name?.value ?? `#${rules.indexOf(other)}`;
        objects.set(name, [...(objects.get(name) ?? []), other]);
      }
      const conflicts: Conflict[] = [];
      for (const versions of objects.values()) {
        const other = nearest(rule, versions);
        const conflict = other && conflictOf(rule, other, options.istioVersion);
        if (conflict) conflicts.push(conflict);
      }
      const first = conflicts[0];
      if (!first) continue;
      const expanded = expandHost(host.value, namespaceOf(rule.resource), options.clusterDomain);
      const all = [rule, ...rules];
      const meets = (c: Conflict): boolean => appliedTogether(rule, c.other) && !amongAlternatives(rule, c.other, all);
      const together = conflicts.some(meets);
      const shown = conflicts.find(meets) ?? first;
      const message = together
        ? `${describe(rule, shown, expanded)}. Keep one rule per host, or move the settings into one.`
        : `If applied together with ${shortPath(shown.other)} (${appliedTogether(rule, shown.other) ? 'among several versions of these rules' : 'another folder'}): ${describe(rule, shown, expanded)}.`;
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
