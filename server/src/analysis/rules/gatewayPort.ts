import type { RouteDestination } from '../model/resources';
import { boundGateways, matchGateways, meshHopsToGateways, qualifiedName, ROUTE_GATEWAYS, serverFor, serverPorts } from '../workspace/gateways';
import { ROUTE_DESTINATION } from '../workspace/relations';
import { apartFrom } from '../workspace/together';
import type { WorkspaceRule } from './rule';

/**
 * docs/rules/EGR419.md: a gateway proxy listens only on its Gateway's server ports. A route's match bound to the
 * Gateway on another port never applies, and mesh traffic sent to another port of the gateway's Service finds no
 * listener there. Judged only when the files define the Gateway (and, for the mesh side, its Service or an installed one).
 */
export const gatewayPortUnserved: WorkspaceRule = {
  code: 'EGR419',
  name: 'gateway-port-unserved',
  title: 'A route uses a gateway port that no server of its Gateway listens on',
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_GATEWAYS, ROUTE_DESTINATION],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const bound = boundGateways(vs, index);
      if (bound.size === 0) continue;
      for (const route of vs.resource.routes) {
        // The gateway side: a match on a port the Gateway has no server for.
        for (const match of route.matches) {
          if (!match.port) continue;
          for (const name of matchGateways(vs.resource, match)) {
            const versions = bound.get(name) ?? [];
            const [gateway] = versions;
            const ports = [...new Set(versions.flatMap((v) => serverPorts(v.resource)))];
            if (!gateway || ports.length === 0 || ports.includes(match.port.value)) continue;
            report({
              at: vs,
              range: match.port.range,
              ...apartFrom(vs, gateway),
              message: `Gateway '${qualifiedName(gateway)}' has no server on port ${match.port.value} (it listens on ${ports.join(', ')}): traffic through it never arrives on that port, so this match never applies. Match one of its ports, or add a server for this one.`,
              related: [{ at: gateway, range: gateway.resource.kind.range, message: `Gateway '${qualifiedName(gateway)}'` }],
            });
          }
        }
      }
      // The mesh side: traffic sent to the gateway's Service on a port no server takes (one finding per destination).
      const reported = new Set<RouteDestination>();
      for (const { destination, written, port, served } of meshHopsToGateways(vs, bound, index, options)) {
        const ports = [...new Set(served.flatMap((s) => serverPorts(s.gateway.resource)))];
        const [first] = served;
        if (!first || reported.has(destination) || ports.length === 0 || served.some((s) => serverFor(s.gateway.resource, port.value, s.target.service?.resource))) continue;
        reported.add(destination);
        const gateway = first.gateway;
        report({
          at: vs,
          range: port.range,
          ...apartFrom(vs, gateway),
          message: `The gateway proxies of Gateway '${qualifiedName(gateway)}' listen on ${ports.join(', ')}, not on port ${port.value}: mesh traffic sent there through '${written}' finds no listener and fails. Send it to a port a server of the Gateway takes.`,
          related: [{ at: gateway, range: gateway.resource.kind.range, message: `Gateway '${qualifiedName(gateway)}'` }],
        });
      }
    }
  },
};
