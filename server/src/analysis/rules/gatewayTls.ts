import { expandHost, serviceOfHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type GatewayServer, type Located, type RouteDestination } from '../model/resources';
import { tlsFor } from '../model/tls';
import { appliedRule } from '../workspace/drPrecedence';
import { boundGateways, meshHopsToGateways, type PlacedGateway, qualifiedName, ROUTE_GATEWAYS, serverFor } from '../workspace/gateways';
import type { PlacedResource } from '../workspace/placed';
import { ask, type Relation } from '../workspace/relation';
import { ROUTE_DESTINATION } from '../workspace/relations';
import { apartFrom } from '../workspace/together';
import type { WorkspaceRule } from './rule';

/** The DestinationRules for each route destination's host (expanded in the route's namespace). */
const ROUTE_DESTINATION_RULES: Relation = {
  name: "the DestinationRules of a route's destination",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    for (const d of resource.destinations) if (d.host?.value) sink.host(expandHost(d.host.value, namespaceOf(resource), clusterDomain));
  },
};

const ISTIO_MUTUAL = 'ISTIO_MUTUAL';

/** A Gateway version whose server on the route's port cannot take what the applied rule sends. */
interface Break {
  /** Whether the rule sends mutual TLS (else plain text toward an ISTIO_MUTUAL server). */
  readonly sends: boolean;
  readonly gateway: PlacedGateway;
  readonly server: GatewayServer;
  readonly rule: PlacedResource<DestinationRuleResource>;
  readonly mode: Located<string>;
}

/**
 * docs/rules/EGR420.md: between the sidecar and the egress gateway, the DestinationRule for the gateway's Service and
 * the Gateway server on that port must agree: the sidecar originates Istio mutual TLS exactly when the server
 * terminates it. Otherwise the gateway reads TLS on a plain-text listener, or plain text where it expects TLS, and
 * the connection fails. Judged when the files hold the route, the Gateway, its server on the port and the rule.
 */
export const gatewayTlsMismatch: WorkspaceRule = {
  code: 'EGR420',
  name: 'gateway-tls-mismatch',
  title: 'The TLS toward an egress gateway does not match its Gateway server',
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_GATEWAYS, ROUTE_DESTINATION, ROUTE_DESTINATION_RULES],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const bound = boundGateways(vs, index);
      if (bound.size === 0) continue;
      const namespace = namespaceOf(vs.resource);
      const reported = new Set<RouteDestination>();
      for (const {
        destination,
        port: { value: port },
        served,
      } of meshHopsToGateways(vs, bound, index, options)) {
        if (reported.has(destination)) continue;
        const verdicts = served.flatMap(({ gateway, target }): (Break | null)[] => {
          const server = serverFor(gateway.resource, port, target.service?.resource);
          if (!server) return [];
          const destinationNamespace = serviceOfHost(target.host, options.clusterDomain)?.namespace ?? namespace;
          const applied = appliedRule(target.host, destinationNamespace, index, options, namespace, undefined, vs, ask(ROUTE_DESTINATION_RULES, vs));
          const mode = applied && tlsFor(applied.rule.resource, port, destination.subset?.value)?.mode;
          if (!applied || !mode) return [null];
          // Proven breaks only: mutual TLS into a plain-text server, plain text into an ISTIO_MUTUAL one. A server
          // terminating TLS with certificate files (MUTUAL, SIMPLE) may hold the mesh's own, as older recipes did,
          // and SIMPLE or MUTUAL origination may trust the mesh's CA.
          const sends = mode.value === ISTIO_MUTUAL && server.tlsKey === undefined;
          const expects = server.tlsMode?.value === ISTIO_MUTUAL && mode.value === 'DISABLE';
          return [sends || expects ? { sends, gateway, server, rule: applied.rule, mode } : null];
        });
        // Every version of the Gateway that the route may meet must break for the finding to stand.
        const [found] = verdicts;
        if (!found || verdicts.some((v) => v === null)) continue;
        reported.add(destination);
        const { gateway, server, rule, mode, sends } = found;
        const name = `Gateway '${qualifiedName(gateway)}'`;
        report({
          at: rule,
          range: mode.range,
          ...apartFrom(vs, gateway),
          message: sends
            ? `This sends Istio mutual TLS to port ${port} of the egress gateway, but the server of ${name} on that port has no TLS and reads plain text: the gateway cannot read the connection. Give that server \`tls: {mode: ISTIO_MUTUAL}\` (protocol HTTPS or TLS), or stop originating mutual TLS here.`
            : `The server of ${name} on port ${port} accepts only Istio mutual TLS, but this sends plain text to the gateway: it refuses the connection. Use tls.mode ISTIO_MUTUAL toward the gateway, or drop the server's ISTIO_MUTUAL.`,
          related: [
            { at: gateway, range: server.tlsMode?.range ?? server.port?.range ?? server.range, message: `the server of ${name} on port ${server.port?.value ?? port}` },
            ...(destination.port ? [{ at: vs, range: destination.port.range, message: `the route to the gateway` }] : []),
          ],
        });
      }
    }
  },
};
