import { expandHost, plainHost, serviceFqdn, serviceOfHost } from '../model/hosts';
import { namespaceOf, type Resource } from '../model/resources';
import { anyNamespace, hostKey, serviceId, type KeySink, type Relation } from './relation';

/**
 * The relations several rules read through (`relation.ts`). A relation used by one rule only lives in that rule's
 * file. Each `asks` mirrors the reads of the helpers named beside it: change them together.
 */

/** What a host names (`destinationOfHost`): the Service of the cluster name, else the ServiceEntry of the host. */
function hostDestinationAsks(written: string, namespace: string, clusterDomain: string, sink: KeySink): void {
  const host = expandHost(written, namespace, clusterDomain);
  const service = serviceOfHost(host, clusterDomain);
  if (service) {
    sink.key(serviceId(service.namespace, service.name));
    // serviceNamedBy: a host naming its namespace may mean a Service written without one.
    if (written.includes('.')) sink.key(anyNamespace(service.name));
  }
  sink.key(hostKey(host.toLowerCase()));
}

/** A DestinationRule's destination: `destinationOf`. */
export const RULE_DESTINATION: Relation = {
  name: "a DestinationRule's destination",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'DestinationRule' || !resource.host?.value) return;
    hostDestinationAsks(resource.host.value, namespaceOf(resource), clusterDomain, sink);
  },
};

/** What each route destination's host names (`destinationOfHost` from a VirtualService). */
export const ROUTE_DESTINATION: Relation = {
  name: "what a route destination's host names",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    for (const destination of resource.destinations) {
      if (destination.host?.value) hostDestinationAsks(destination.host.value, namespaceOf(resource), clusterDomain, sink);
    }
  },
};

/**
 * Everything a DestinationRule's own host (expanded in its namespace) is asked about: whether an entry registers it,
 * which rules are for it (precedence, merges), which VirtualServices list it.
 */
export const RULE_HOST: Relation = {
  name: "a DestinationRule's host",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'DestinationRule' || resource.host === undefined) return;
    sink.host(expandHost(resource.host.value, namespaceOf(resource), clusterDomain).toLowerCase());
  },
};

/** The Service a `name.ns` or `name.ns.svc` DestinationRule host spells out (Istio does not expand such hosts). */
export const RULE_PARTIAL_NAME: Relation = {
  name: "the Service a DestinationRule's 'name.ns' host spells out",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'DestinationRule' || !resource.host) return;
    const parts = resource.host.value.replace(/\.$/, '').split('.');
    if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) sink.key(serviceId(parts[1] ?? '', parts[0] ?? ''));
  },
};

/** A Service's Endpoints and EndpointSlices. */
export const SERVICE_ENDPOINTS: Relation = {
  name: "a Service's Endpoints",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName === 'Service' && resource.name) sink.key(serviceId(namespaceOf(resource), resource.name.value));
  },
};

/** The Service an Endpoints serves (same namespace and name). */
export const ENDPOINTS_SERVICE: Relation = {
  name: 'the Service of an Endpoints',
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName === 'Endpoints' && resource.name) sink.key(serviceId(namespaceOf(resource), resource.name.value));
  },
};

/** The cluster name of a Service (lower case): the entries, routes and DestinationRules for it. */
export function serviceClusterName(resource: Resource, clusterDomain: string): string | undefined {
  return resource.kindName === 'Service' && resource.name ? serviceFqdn(resource.name.value, namespaceOf(resource), clusterDomain).toLowerCase() : undefined;
}

export const SERVICE_CLUSTER_NAME: Relation = {
  name: "a Service's cluster name",
  asks(resource, clusterDomain, sink) {
    const host = serviceClusterName(resource, clusterDomain);
    if (host) sink.host(host);
  },
};

/** The host an ExternalName Service aliases: whether an entry registers it. */
export const ALIAS_TARGET: Relation = {
  name: "an ExternalName Service's target",
  asks(resource, _clusterDomain, sink) {
    const target = resource.kindName === 'Service' && resource.externalName ? plainHost(resource.externalName.value) : undefined;
    if (target) sink.host(target);
  },
};

/** The DestinationRules for each exact host of a ServiceEntry. */
export const ENTRY_HOSTS: Relation = {
  name: "a ServiceEntry's hosts",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'ServiceEntry') return;
    for (const written of resource.hosts) {
      const host = written.value.toLowerCase();
      if (!host.startsWith('*')) sink.host(host);
    }
  },
};

/** The DestinationRules for each route destination that names a subset (`rulesForDestination`). */
export const ROUTE_SUBSET_RULES: Relation = {
  name: "the DestinationRules of a route's subset",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    for (const destination of resource.destinations) {
      if (!destination.subset || destination.host === undefined) continue;
      const host = expandHost(destination.host.value, namespaceOf(resource), clusterDomain).toLowerCase();
      sink.host(host);
      const service = serviceOfHost(host, clusterDomain);
      if (service) sink.key(anyNamespace(service.name));
    }
  },
};
