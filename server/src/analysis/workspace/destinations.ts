import { expandHost, serviceOfHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type ServiceEntryResource, type ServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { PlacedResource } from './placed';
import { ask, type Ask } from './relation';
import { RULE_DESTINATION, SERVICE_CLUSTER_NAME, serviceClusterName } from './relations';
import type { WorkspaceIndex } from './workspaceIndex';

export type Destination =
  | { readonly kind: 'service'; readonly host: string; readonly service: PlacedResource<ServiceResource> }
  | { readonly kind: 'serviceEntry'; readonly host: string; readonly entry: PlacedResource<ServiceEntryResource> };

/** What a DestinationRule's host names among the resources known, if anything (reads through RULE_DESTINATION). */
export function destinationOf(rule: PlacedResource<DestinationRuleResource>, index: WorkspaceIndex, options: AnalysisOptions): Destination | undefined {
  const written = rule.resource.host?.value;
  return written ? destinationOfHost(written, namespaceOf(rule.resource), index, options, ask(RULE_DESTINATION, rule)) : undefined;
}

/**
 * What a host written in `namespace` (a DR's host, a route's destination) names among the resources known; among
 * versions, the one nearest the asker.
 */
export function destinationOfHost(written: string, namespace: string, index: WorkspaceIndex, options: AnalysisOptions, from?: Ask): Destination | undefined {
  const host = expandHost(written, namespace, options.clusterDomain);
  const key = serviceOfHost(host, options.clusterDomain);
  const near = from?.from;
  // A host that names the namespace may mean a Service written without one.
  const namesNamespace = written.includes('.');
  const service = key && (namesNamespace ? index.serviceNamedBy(key.namespace, key.name, from, near) : index.service(key.namespace, key.name, from, near));
  if (service) return { kind: 'service', host, service };
  const entry = index.entryWithHost(host, from, near);
  return entry ? { kind: 'serviceEntry', host, entry } : undefined;
}

/** A Service whose traffic leaves the mesh: ExternalName, or no selector (hand-written Endpoints). */
export function isExternalService(service: ServiceResource): boolean {
  return service.type?.value === 'ExternalName' || service.selector === undefined;
}

export function isMeshExternalEntry(entry: ServiceEntryResource): boolean {
  // MESH_EXTERNAL is the default location.
  return (entry.location?.value ?? 'MESH_EXTERNAL') === 'MESH_EXTERNAL';
}

/**
 * A ServiceEntry that gives a selector-less Service's cluster name endpoints of its own (addresses, or workloads by
 * selector): Istio joins the endpoints of one host in one namespace, so mesh clients reach those. Reads through
 * SERVICE_CLUSTER_NAME.
 */
export function entryServingService(placed: PlacedResource<ServiceResource>, index: WorkspaceIndex): PlacedResource<ServiceEntryResource> | undefined {
  const host = serviceClusterName(placed.resource, index.clusterDomain);
  if (!host) return undefined;
  const entry = index.entryWithHost(host, ask(SERVICE_CLUSTER_NAME, placed), placed);
  return entry && (entry.resource.endpoints.length > 0 || entry.resource.workloadSelectorKey) ? entry : undefined;
}

/**
 * Whether a VirtualService for `host` (a cluster name, lower case) routes all of its traffic to other hosts: mesh
 * clients then never use the Service's own endpoints, nor a DestinationRule on its name.
 */
export function routedElsewhere(host: string, index: WorkspaceIndex, from: Ask): boolean {
  return index.routesForHost(host, from).some((vs) => {
    const ns = namespaceOf(vs.resource);
    const expand = (h: string): string => expandHost(h, ns, index.clusterDomain).toLowerCase();
    const destinations = vs.resource.destinations.flatMap((d) => (d.host ? [expand(d.host.value)] : []));
    return vs.resource.hosts.some((h) => expand(h.value) === host) && destinations.length > 0 && destinations.every((d) => d !== host);
  });
}

/** `routedElsewhere` for a Service's own cluster name. */
export function serviceRoutedElsewhere(placed: PlacedResource<ServiceResource>, index: WorkspaceIndex): boolean {
  const host = serviceClusterName(placed.resource, index.clusterDomain);
  return host !== undefined && routedElsewhere(host, index, ask(SERVICE_CLUSTER_NAME, placed));
}
