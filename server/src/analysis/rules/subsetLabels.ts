import { serviceOfHost } from '../model/hosts';
import { classifyIp, parseIp } from '../model/ip';
import type { Range } from '../text';
import { destinationOf, type Destination } from '../workspace/destinations';
import type { PlacedResource } from '../workspace/placed';
import { ask, type Ask } from '../workspace/relation';
import { RULE_DESTINATION } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

type Labels = Readonly<Record<string, string>>;

/**
 * Labels Istio adds to every endpoint from its locality, network, cluster and node (`AugmentLabels`): a subset that
 * selects by one of them may match endpoints whatever the files say.
 */
function isTopologyKey(key: string): boolean {
  return key.startsWith('topology.istio.io/') || key.startsWith('topology.kubernetes.io/') || key === 'kubernetes.io/hostname';
}

/** The endpoints a destination's subsets choose among, when the files tell all their labels. */
interface KnownEndpoints {
  /** Each endpoint's labels ({} for none). */
  readonly labels: readonly Labels[];
  /** How to name the destination in a message. */
  readonly what: string;
  /** Why its endpoints carry these labels, for the message. */
  readonly why: string;
  readonly at: PlacedResource;
  readonly range: Range;
}

/**
 * The endpoints of a destination whose labels the files fully know: those of the ServiceEntries for the host (with
 * `endpoints`, DNS or STATIC resolution, no `workloadSelector`), or a selector-less Service's hand-written Endpoints at
 * addresses no pod can have (Istio gives an endpoint without a pod no labels of its own). Undefined when unknown.
 */
function knownEndpoints(target: Destination, index: WorkspaceIndex, from: Ask): KnownEndpoints | undefined {
  // Istio joins the endpoints of every entry for one host (of one namespace; all namespaces here, which only adds).
  const entries = index.entriesWithHost(target.host, from);
  if (entries.some((e) => e.resource.workloadSelectorKey)) return undefined;
  const entryLabels = entries.flatMap((e) => e.resource.endpoints.map((ep) => ep.labels?.value ?? {}));
  if (target.kind === 'serviceEntry') {
    const entry = target.entry.resource;
    // Resolution NONE (the default) makes an ORIGINAL_DST cluster: a subset chooses no endpoint there.
    const resolution = entry.resolution?.value ?? 'NONE';
    if (resolution === 'NONE' || entry.endpoints.length === 0) return undefined;
    return {
      labels: entryLabels,
      what: `ServiceEntry '${entry.name?.value ?? ''}'`,
      why: entryLabels.some((l) => Object.keys(l).length > 0) ? 'its endpoints carry other labels' : 'none of its endpoints carries labels',
      at: target.entry,
      range: entry.endpointsKey ?? entry.kind.range,
    };
  }
  const service = target.service.resource;
  if (service.selector || service.type?.value === 'ExternalName') return undefined;
  const key = serviceOfHost(target.host, index.clusterDomain);
  if (!key) return undefined;
  if (index.endpointSlicesOf(key.namespace, key.name, from).length > 0) return undefined;
  const addresses = index.endpointsOf(key.namespace, key.name, from).flatMap((e) => e.resource.subsets.flatMap((s) => [...s.addresses, ...s.notReadyAddresses]));
  // Istio looks a hand-written address up among the pods; only an address no pod can have is sure to have no labels.
  const podless = (text: string): boolean => {
    const ip = parseIp(text);
    const kind = ip && classifyIp(ip);
    return kind === 'public' || kind === 'documentation';
  };
  if (addresses.length === 0 || !addresses.every((a) => podless(a.value))) return undefined;
  return {
    labels: [...addresses.map(() => ({})), ...entryLabels],
    what: `Service '${service.name?.value ?? ''}'`,
    why: 'its hand-written Endpoints have no pod and so no labels',
    at: target.service,
    range: service.kind.range,
  };
}

function selects(subset: Labels, endpoint: Labels): boolean {
  return Object.entries(subset).every(([k, v]) => endpoint[k] === v);
}

function labelText(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;
}

/**
 * docs/rules/EGR423.md: a DestinationRule subset picks the endpoints whose labels include its `labels`. When the files
 * define every endpoint of the destination and none matches, the subset's cluster is empty and routes to it get 503.
 */
export const subsetLabelsUnmatched: WorkspaceRule = {
  code: 'EGR423',
  name: 'subset-labels-unmatched',
  title: "A DestinationRule subset's labels select no endpoint of its host",
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_DESTINATION],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const subsets = rule.resource.subsets.filter((s) => s.labels && !Object.keys(s.labels.value).some(isTopologyKey));
      if (subsets.length === 0) continue;
      const target = destinationOf(rule, index, options);
      const known = target && knownEndpoints(target, index, ask(RULE_DESTINATION, rule));
      if (!known || known.labels.length === 0) continue;
      for (const subset of subsets) {
        const labels = subset.labels;
        if (!labels || known.labels.some((l) => selects(labels.value, l))) continue;
        report({
          at: rule,
          range: labels.keyRange ?? labels.range,
          message: `Subset '${subset.name?.value ?? ''}' selects ${labelText(labels.value)}, but no endpoint of ${known.what} has these labels (${known.why}): its cluster is empty, and traffic routed to the subset gets 503 (no healthy upstream). Give the endpoints these labels, or fix the subset's.`,
          related: [{ at: known.at, range: known.range, message: `the endpoints of ${known.what}` }],
        });
      }
    }
  },
};
