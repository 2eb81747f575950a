import { serviceFqdn } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import { boundGateways, GATEWAY_SELECTION, MESH, misnamedGatewayService, qualifiedName, ROUTE_GATEWAYS, routeGateways } from '../workspace/gateways';
import { ROUTE_DESTINATION } from '../workspace/relations';
import { apartFrom, appliedTogether } from '../workspace/together';
import type { WorkspaceRule } from './rule';

/**
 * docs/rules/EGR421.md: the mesh side of an egress-gateway route must send the host's traffic to the Service of the
 * Gateway's proxies. A cluster name the files do not define, while they define that Service under another name or
 * namespace (a recipe's `istio-egressgateway.istio-system` kept for a gateway of one's own), sends the traffic to a
 * gateway that does not carry this Gateway's configuration, or nowhere.
 */
export const gatewayServiceMisnamed: WorkspaceRule = {
  code: 'EGR421',
  name: 'gateway-service-misnamed',
  title: "A mesh route to an egress gateway names a Service other than the gateway's own",
  severity: 'warning',
  scope: 'workspace',
  reads: [ROUTE_GATEWAYS, ROUTE_DESTINATION, GATEWAY_SELECTION],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const bound = boundGateways(vs, index);
      if (bound.size === 0) continue;
      for (const route of vs.resource.routes) {
        if (!routeGateways(vs.resource, route).includes(MESH)) continue;
        for (const destination of route.destinations) {
          const written = destination.host;
          if (!written?.value) continue;
          const misnamed = misnamedGatewayService(written.value, vs, bound, index, options);
          if (!misnamed) continue;
          // Versions of one Service name it once.
          const names = [...new Set(misnamed.services.map((s) => serviceFqdn(s.resource.name?.value ?? '', namespaceOf(s.resource), options.clusterDomain)))];
          const [only] = names;
          report({
            at: vs,
            range: written.range,
            // The Gateway and its Service must both sit with the route for the files to show the mistake.
            ...apartFrom(vs, misnamed.gateway, misnamed.services.find((s) => appliedTogether(vs, s)) ?? misnamed.services[0] ?? misnamed.gateway),
            message: `The files define no Service '${written.value}'; the proxies of Gateway '${qualifiedName(misnamed.gateway)}' are served by ${names.map((n) => `'${n}'`).join(', ')}. Mesh traffic sent here does not reach that gateway: send it to the gateway's Service.`,
            related: misnamed.services.slice(0, 3).map((s) => ({ at: s, range: s.resource.name?.range ?? s.resource.kind.range, message: `the Service of the gateway's proxies` })),
            ...(only !== undefined && names.length === 1
              ? { fixes: [{ title: `Change the host to '${only}'`, preferred: true, edits: [{ at: vs, range: written.range, newText: only }] }] }
              : {}),
          });
        }
      }
    }
  },
};
