import { holdsPlaceholder } from '../documents/templates';
import { expandHost, installedWithCluster, partialServiceKey, serviceOfHost } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import { destinationOfHost } from '../workspace/destinations';
import { ask, hostKey, serviceName, type Ask, type Relation } from '../workspace/relation';
import { ROUTE_DESTINATION } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { boundGateways, GATEWAY_SELECTION, misnamedGatewayService, ROUTE_GATEWAYS } from '../workspace/gateways';
import { hiddenEntryNote } from '../workspace/hiddenEntries';
import type { WorkspaceRule } from './rule';

/**
 * Besides what a destination names (ROUTE_DESTINATION): the wildcard entries that may register an external host, an
 * entry's dot-less host for a cluster name, and the Services of that name in other namespaces (the evidence a cluster
 * name resolves in the wrong one).
 */
const ROUTE_HOST_REGISTRY: Relation = {
  name: "where a route destination's host may be registered",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    for (const destination of resource.destinations) {
      const written = destination.host?.value;
      if (!written) continue;
      const host = expandHost(written, namespaceOf(resource), clusterDomain);
      const service = serviceOfHost(host, clusterDomain);
      if (service) {
        sink.key(hostKey(service.name.toLowerCase()));
        sink.key(serviceName(service.name));
      }
      sink.host(host.toLowerCase());
    }
  },
};

/**
 * A ServiceEntry in the namespace a cluster name names whose host is that name's dot-less short form (`shop-web-vms`):
 * Istio's analyzer reads entry hosts in the entry's namespace, so such a route counts as defined.
 */
function entryOfShortName(name: string, namespace: string, index: WorkspaceIndex, through: Ask): boolean {
  return index.entriesWithHost(name, through).some((entry) => namespaceOf(entry.resource) === namespace);
}

/**
 * docs/rules/EGR413.md: a route's destination host must be in Istio's registry (a Service, or a ServiceEntry host),
 * else Istio drops the traffic. The files may not hold it (a Service of another chart, an entry applied elsewhere), so
 * this is a hint: for a host outside the cluster that no entry registers, and for a cluster name only when the files
 * define a Service of that name in another namespace (a route that resolves in the wrong namespace).
 */
export const routeHostUndefined: WorkspaceRule = {
  code: 'EGR413',
  name: 'route-host-undefined',
  title: 'A route sends traffic to a host that no Service or ServiceEntry defines',
  severity: 'hint',
  scope: 'workspace',
  reads: [ROUTE_DESTINATION, ROUTE_HOST_REGISTRY, ROUTE_GATEWAYS, GATEWAY_SELECTION],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const namespace = namespaceOf(vs.resource);
      const named = ask(ROUTE_DESTINATION, vs);
      const through = ask(ROUTE_HOST_REGISTRY, vs);
      for (const destination of vs.resource.destinations) {
        const written = destination.host;
        // Wildcards are refused by Istio's webhook; `name.ns` hosts are EGR306's kind of mistake, not judged here.
        if (!written?.value || written.value.includes('*') || partialServiceKey(written.value)) continue;
        const host = expandHost(written.value, namespace, options.clusterDomain);
        if (installedWithCluster(host, options.clusterDomain)) continue;
        if (destinationOfHost(written.value, namespace, index, options, named) || index.hostRegistered(host, through)) continue;
        const service = serviceOfHost(host, options.clusterDomain);
        if (service && entryOfShortName(service.name, service.namespace, index, through)) continue;
        if (service) {
          // The Service may well be in the cluster only; the files show a mistake when they define it elsewhere. A
          // route written without a namespace is applied with `-n` and lands wherever its Service is: no evidence.
          if (!vs.resource.namespace?.value && !written.value.includes('.')) continue;
          if (holdsPlaceholder(service.namespace)) continue;
          // A Service written without a namespace (or with one still to fill in) may land in the route's: no evidence.
          const namesakes = index.servicesNamed(service.name, through).map((s) => s.resource.namespace?.value);
          if (namesakes.some((ns) => !ns || holdsPlaceholder(ns))) continue;
          const elsewhere = namesakes.filter((ns): ns is string => ns !== undefined && ns !== service.namespace);
          const [other] = elsewhere;
          // A gateway's Service under another name is EGR421's finding, with the name to use.
          if (other === undefined || misnamedGatewayService(written.value, vs, boundGateways(vs, index), index, options)) continue;
          report({
            at: vs,
            range: written.range,
            message: `No Service '${service.name}' in namespace '${service.namespace}' is defined in the workspace, but one is in namespace ${[...new Set(elsewhere)].map((ns) => `'${ns}'`).join(', ')}${written.value.includes('.') ? '' : ": a short name resolves in the route's own namespace"}. Unless the Service exists in '${service.namespace}' in the cluster, write '${service.name}.${other}.svc.${options.clusterDomain}'.`,
          });
          continue;
        }
        report({
          at: vs,
          range: written.range,
          message: `No ServiceEntry in the workspace registers '${written.value}' for this namespace: Istio drops what a route sends to a host outside its registry (whatever outboundTrafficPolicy says), so unless an entry exists in the cluster, register the host with a ServiceEntry.${hiddenEntryNote(index, host, through)}`,
        });
      }
    }
  },
};
