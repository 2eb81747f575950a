import { partialServiceKey } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import { destinationOfHost, type Destination } from '../workspace/destinations';
import { ask } from '../workspace/relation';
import { ROUTE_DESTINATION } from '../workspace/relations';
import type { WorkspaceRule } from './rule';

/** The port numbers a destination exposes, and how to name it in a message; undefined when the files do not say. */
function exposedPorts(destination: Destination): { readonly ports: readonly number[]; readonly what: string } | undefined {
  if (destination.kind === 'service') {
    const service = destination.service.resource;
    // An ExternalName Service is an alias of its target (Istio 1.21+): its own ports do not make clusters.
    if (service.type?.value === 'ExternalName') return undefined;
    const ports = service.ports.flatMap((p) => (p.port ? [p.port.value] : []));
    return { ports, what: `Service '${service.name?.value ?? ''}'` };
  }
  const ports = destination.entry.resource.ports.flatMap((p) => (p.number ? [p.number.value] : []));
  return { ports, what: `ServiceEntry '${destination.entry.resource.name?.value ?? ''}'` };
}

/**
 * docs/rules/EGR414.md: a route destination's `port` selects the Envoy cluster `outbound|<port>||<host>`, which exists
 * only for ports the destination's Service or ServiceEntry exposes; another number routes to no cluster.
 */
export const routePortUnknown: WorkspaceRule = {
  code: 'EGR414',
  name: 'route-port-unknown',
  title: 'A route sends traffic to a port its destination does not expose',
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_DESTINATION],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const namespace = namespaceOf(vs.resource);
      const through = ask(ROUTE_DESTINATION, vs);
      for (const destination of vs.resource.destinations) {
        const written = destination.host?.value;
        const port = destination.port;
        if (!written || !port || written.includes('*') || partialServiceKey(written)) continue;
        const target = destinationOfHost(written, namespace, index, options, through);
        const exposed = target && exposedPorts(target);
        if (!target || !exposed || exposed.ports.length === 0 || exposed.ports.includes(port.value)) continue;
        const at = target.kind === 'service' ? target.service : target.entry;
        report({
          at: vs,
          range: port.range,
          message: `Port ${port.value} is not a port of ${exposed.what} (${exposed.ports.join(', ')}): Istio has no cluster for '${written}' on it, so the route's traffic is dropped. Use one of its ports, or add this one to it.`,
          related: [{ at, range: at.resource.kind.range, message: `the ${exposed.what}` }],
        });
      }
    }
  },
};
