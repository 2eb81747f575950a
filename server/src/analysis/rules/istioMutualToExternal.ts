import { serviceFqdn } from '../model/hosts';
import { namespaceOf, type Located, type Resource } from '../model/resources';
import { describePlacement, tlsPlacements } from '../model/tls';
import { entryServingService, isMeshExternalEntry, serviceRoutedElsewhere } from '../workspace/destinations';
import { ask, type Ask } from '../workspace/relation';
import { ENTRY_HOSTS, SERVICE_CLUSTER_NAME, SERVICE_ENDPOINTS } from '../workspace/relations';
import { appliedRule, clientNamespacesWithOwnRule } from '../workspace/drPrecedence';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { AnalysisOptions } from '../options';
import type { Destination } from '../workspace/destinations';
import { recommendedMode } from '../workspace/recommendedMode';
import { guardRulesFix } from './fixes/guardRule';
import { setTlsMode } from './fixes/tlsMode';
import type { WorkspaceFinding, WorkspaceRule } from './rule';
import type { RelativeFix } from '../edits';
import { externalNameIsAlias } from '../model/istioReleases';

/** A destination outside the mesh: its host as Istio matches it, and what to point at. */
interface ExternalDestination {
  /** Whether the files show where it leads (hand-written Endpoints, an entry's addresses): then a break is proven. */
  readonly proven: boolean;
  readonly host: string;
  readonly namespace: string;
  readonly description: string;
  readonly at: PlacedResource;
  readonly anchor: Located<unknown>;
  /** How the rules for `host` are read from `at`. */
  readonly rulesVia: Ask;
}

function externalDestinations(index: WorkspaceIndex, options: AnalysisOptions): ExternalDestination[] {
  const out: ExternalDestination[] = [];
  const oldExternalName = !externalNameIsAlias(options.istioVersion);
  for (const list of index.services.values()) {
    for (const placed of list) {
      const service = placed.resource;
      const name = service.name?.value ?? '';
      const namespace = namespaceOf(service);
      const host = serviceFqdn(name, namespace, options.clusterDomain);
      const anchor = service.type ?? service.name ?? service.kind;
      if (service.type?.value === 'ExternalName') {
        // From 1.21 a rule on the alias is dead (EGR401); the target is covered through its ServiceEntry, if any.
        if (oldExternalName)
          out.push({
            proven: true,
            host,
            namespace,
            at: placed,
            anchor,
            rulesVia: ask(SERVICE_CLUSTER_NAME, placed),
            description: `the ExternalName Service '${name}' (${service.externalName?.value ?? 'no target'})`,
          });
      } else if (service.selector === undefined) {
        // Workloads with sidecars (a MESH_INTERNAL entry selecting VMs) behind the Service's name take mesh mTLS.
        const entry = entryServingService(placed, index);
        if (entry && !isMeshExternalEntry(entry.resource)) continue;
        // A VirtualService that sends the Service's traffic to other hosts: its rule never meets that traffic.
        if (serviceRoutedElsewhere(placed, index)) continue;
        const through = ask(SERVICE_ENDPOINTS, placed);
        const endpoints = index.endpointsOf(namespace, name, through).length > 0 || index.endpointSlicesOf(namespace, name, through).length > 0;
        out.push({
          proven: endpoints || entry !== undefined,
          host,
          namespace,
          at: placed,
          anchor,
          rulesVia: ask(SERVICE_CLUSTER_NAME, placed),
          description:
            endpoints || entry
              ? `the Service '${name}', whose hand-written Endpoints have no sidecar`
              : `the Service '${name}', which has no selector (its Endpoints are not in these files)`,
        });
      }
    }
  }
  for (const placed of index.serviceEntries) {
    if (!isMeshExternalEntry(placed.resource)) continue;
    for (const host of placed.resource.hosts) {
      if (host.value.startsWith('*')) continue;
      out.push({
        proven: true,
        host: host.value.toLowerCase(),
        namespace: namespaceOf(placed.resource),
        at: placed,
        anchor: host,
        rulesVia: ask(ENTRY_HOSTS, placed),
        description: `'${host.value}', a MESH_EXTERNAL ServiceEntry host`,
      });
    }
  }
  return out;
}

function asDestination(hit: ExternalDestination): Destination | undefined {
  const r = hit.at.resource;
  if (r.kindName === 'Service') return { kind: 'service', host: hit.host, service: { ...hit.at, resource: r } };
  if (r.kindName === 'ServiceEntry') return { kind: 'serviceEntry', host: hit.host, entry: { ...hit.at, resource: r } };
  return undefined;
}

function modeFor(hit: ExternalDestination, port: number | undefined): string {
  return recommendedMode(asDestination(hit), port)?.mode ?? 'DISABLE';
}

/**
 * The quick fix. On the destination's own rule: the mode that fits it in place of ISTIO_MUTUAL. Through a wildcard:
 * exact-host rules for the external destinations, since changing the shared wildcard would take Istio mutual TLS
 * away from every in-mesh service it covers.
 */
function fixesFor(
  finding: Omit<WorkspaceFinding, 'message' | 'related'>,
  hits: readonly ExternalDestination[],
  port: number | undefined,
  wildcard: string | undefined,
  index: WorkspaceIndex,
): RelativeFix[] {
  const [first] = hits;
  if (!first) return [];
  if (!wildcard) return [setTlsMode(finding.at, finding.range, modeFor(first, port))];
  const guard = guardRulesFix(
    hits.map((hit) => ({ host: hit.host, at: hit.at, mode: modeFor(hit, undefined) })),
    index,
  );
  return guard ? [guard] : [];
}

function describe(resource: Resource): string {
  return `${resource.kind.value} '${resource.name?.value ?? ''}'`;
}

/**
 * docs/rules/EGR402.md: a server outside the mesh cannot terminate Istio's mutual TLS. For every external destination,
 * the DestinationRule that Istio would apply (exact host or winning wildcard, by namespace precedence:
 * docs/istio-behaviour.md#which-destinationrule-applies) is checked.
 */
export const istioMutualToExternal: WorkspaceRule = {
  code: 'EGR402',
  name: 'istio-mutual-to-external',
  title: 'ISTIO_MUTUAL toward a destination outside the mesh',
  severity: 'error',
  scope: 'workspace',
  reads: [SERVICE_ENDPOINTS, SERVICE_CLUSTER_NAME, ENTRY_HOSTS],
  check(index, options, report) {
    const findings = new Map<
      string,
      { finding: Omit<WorkspaceFinding, 'message' | 'related'>; placement: string; port: number | undefined; wildcard?: string; hits: ExternalDestination[] }
    >();
    for (const destination of externalDestinations(index, options)) {
      const applied = appliedRule(destination.host, destination.namespace, index, options, undefined, undefined, destination.at, destination.rulesVia);
      if (!applied) continue;
      // Versions of one object (a tutorial's alternatives): the rule meets the version applied with it, the nearest.
      if (!index.isNearestVersion(destination.at, applied.rule)) continue;
      for (const placement of tlsPlacements(applied.rule.resource)) {
        const mode = placement.mode;
        if (mode?.value !== 'ISTIO_MUTUAL') continue;
        const key = `${applied.rule.uri}:${applied.rule.startLine}:${mode.range.start.line}:${mode.range.start.character}`;
        const entry = findings.get(key) ?? {
          finding: { at: applied.rule, range: mode.range },
          placement: describePlacement(placement),
          port: placement.port,
          ...(applied.exact ? {} : { wildcard: applied.host }),
          hits: [],
        };
        entry.hits.push(destination);
        findings.set(key, entry);
      }
    }
    for (const { finding, placement, port, wildcard, hits } of findings.values()) {
      const [first] = hits;
      if (!first) continue;
      const more = hits.length > 1 ? ` and ${hits.length - 1} more external destination${hits.length > 2 ? 's' : ''}` : '';
      const via = wildcard ? ` through the wildcard host '${wildcard}', the most specific rule that applies there` : '';
      // The client's namespace is unknown: say where a rule of the client's own namespace would decide instead.
      const local = clientNamespacesWithOwnRule(first.host, first.namespace, index, options, first.rulesVia);
      const except = local.length ? ` (clients in namespace${local.length > 1 ? 's' : ''} ${local.join(', ')} apply their own namespace's rule instead)` : '';
      report({
        ...finding,
        // Error only when the files show the destination outside the mesh; a Service whose addresses are not in
        // them (other files, a route elsewhere) may still be served by workloads with sidecars.
        ...(hits.some((h) => h.proven) ? {} : { severity: 'warning' as const }),
        message: `ISTIO_MUTUAL${placement} applies to ${first.description}${more}${via}${except}: an external server cannot terminate Istio mutual TLS, so connections fail. Use DISABLE, or SIMPLE to originate TLS.`,
        related: hits.slice(0, 10).map((h) => ({ at: h.at, range: h.anchor.range, message: `${describe(h.at.resource)}: ${h.host}` })),
        fixes: fixesFor(finding, hits, port, wildcard, index),
      });
    }
  },
};
