import { expandHost } from '../model/hosts';
import { namespaceOf, type GatewayResource } from '../model/resources';
import { hostMatches } from '../workspace/drPrecedence';
import { boundGateways, MESH, qualifiedName, ROUTE_GATEWAYS } from '../workspace/gateways';
import { apartFrom } from '../workspace/together';
import type { WorkspaceRule } from './rule';

/** Whether two hosts overlap as Istio compares them: equal, or one a `*` / `*.suffix` wildcard covering the other. */
function overlap(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

/**
 * The hosts a Gateway's servers take for routes of `routeNamespace`: `ns/host` only when `ns` is that namespace (`.`:
 * the Gateway's own) or `*`; a host without a namespace for every namespace.
 */
function serverHostsFor(gateway: GatewayResource, routeNamespace: string): string[] {
  const own = namespaceOf(gateway);
  return gateway.servers.flatMap((server) =>
    server.hosts.flatMap((written) => {
      const value = written.value.toLowerCase();
      const slash = value.indexOf('/');
      if (slash < 0) return [value];
      const ns = value.slice(0, slash);
      return ns === '*' || ns === routeNamespace || (ns === '.' && own === routeNamespace) ? [value.slice(slash + 1)] : [];
    }),
  );
}

/**
 * docs/rules/EGR426.md: a VirtualService bound to a Gateway applies there only to hosts that a server of the Gateway
 * takes (for the VirtualService's namespace); with none in common, the gateway never uses its routes. Judged when the
 * files define the Gateway, against every version of it beside the route.
 */
export const routeHostNotOnGateway: WorkspaceRule = {
  code: 'EGR426',
  name: 'route-host-not-on-gateway',
  title: 'A VirtualService bound to a Gateway whose servers take none of its hosts',
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_GATEWAYS],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const namespace = namespaceOf(vs.resource);
      const hosts = vs.resource.hosts.map((h) => h.value.toLowerCase());
      // A host still to be filled in may be any.
      if (hosts.length === 0 || hosts.some((h) => h.includes('{{') || h.includes('$'))) continue;
      const candidates = hosts.flatMap((h) => (h.includes('.') || h === '*' ? [h] : [h, expandHost(h, namespace, options.clusterDomain)]));
      const bound = boundGateways(vs, index);
      for (const written of vs.resource.gateways) {
        const versions = written.value === MESH ? undefined : bound.get(written.value);
        const [gateway] = versions ?? [];
        if (!versions || !gateway) continue;
        const served = versions.map((v) => serverHostsFor(v.resource, namespace));
        // Every version must take none of the hosts, and list some (a Gateway without servers is another matter).
        if (served.some((list) => list.length === 0 || list.some((g) => candidates.some((h) => overlap(g, h))))) continue;
        const listed = [...new Set(served.flat())];
        report({
          at: vs,
          range: written.range,
          ...apartFrom(vs, gateway),
          message: `Gateway '${qualifiedName(gateway)}' takes none of this VirtualService's hosts (${hosts.join(', ')}) for namespace '${namespace}': its servers list ${listed.slice(0, 5).join(', ')}${listed.length > 5 ? ', …' : ''}. The gateway ignores these routes. Add the host to a server of the Gateway (as '${namespace}/${hosts[0] ?? ''}' or '*/${hosts[0] ?? ''}'), or bind the routes to the Gateway that serves it.`,
          related: [{ at: gateway, range: gateway.resource.kind.range, message: `Gateway '${qualifiedName(gateway)}'` }],
        });
      }
    }
  },
};
