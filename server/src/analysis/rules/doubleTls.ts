import { carriesTls } from '../model/protocols';
import { tlsPlacements } from '../model/tls';
import { expandHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type ServiceEntryResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import { destinationOf, isExternalService, isMeshExternalEntry } from '../workspace/destinations';
import { meshRoutedAway, routedTo } from '../workspace/gateways';
import type { PlacedResource } from '../workspace/placed';
import { ask, routeTargetKey, type Relation } from '../workspace/relation';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { recommendedMode } from '../workspace/recommendedMode';
import { RULE_DESTINATION, RULE_HOST } from '../workspace/relations';
import { setTlsMode } from './fixes/tlsMode';
import type { WorkspaceFinding, WorkspaceRule } from './rule';
import { externalNameIsAlias } from '../model/istioReleases';

/** The VirtualServices routing to a DestinationRule's host (expanded in its namespace). */
const RULE_ROUTED_TO: Relation = {
  name: "the routes to a DestinationRule's host",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName === 'DestinationRule' && resource.host?.value) sink.key(routeTargetKey(expandHost(resource.host.value, namespaceOf(resource), clusterDomain).toLowerCase()));
  },
};

/** Protocols with which a ServiceEntry port says the application itself sends TLS. */
const ENTRY_TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/**
 * The same on a ServiceEntry port declared HTTPS or TLS, where the applications call the host themselves: not when a
 * route sends other traffic to that port (the egress-gateway recipe originates TLS there from the plain HTTP the
 * gateway took in; a forward-proxy tunnel from the traffic of other hosts), nor when the mesh route for the port sends
 * the applications' traffic elsewhere.
 */
function entryDoubleTls(
  rule: PlacedResource<DestinationRuleResource>,
  entry: PlacedResource<ServiceEntryResource>,
  host: string,
  index: WorkspaceIndex,
  options: AnalysisOptions,
  report: (finding: WorkspaceFinding) => void,
): void {
  if (!isMeshExternalEntry(entry.resource) || host.startsWith('*')) return;
  const via = ask(RULE_HOST, rule);
  for (const placement of tlsPlacements(rule.resource)) {
    const mode = placement.mode;
    if (mode?.value !== 'SIMPLE' && mode?.value !== 'MUTUAL') continue;
    for (const port of entry.resource.ports) {
      const number = port.number?.value;
      if (number === undefined || !ENTRY_TLS_PROTOCOLS.has(port.protocol?.value.toUpperCase() ?? '') || (placement.port !== undefined && placement.port !== number)) continue;
      if (routedTo(host, number, index, options, ask(RULE_ROUTED_TO, rule)) || meshRoutedAway(host, number, index, options, via)) continue;
      report({
        at: rule,
        range: mode.range,
        message: `${mode.value} makes the sidecar originate TLS on port ${number}, but ServiceEntry '${entry.resource.name?.value ?? ''}' declares that port ${port.protocol?.value ?? ''}: the application already speaks TLS there, so the server would get TLS inside TLS. Use DISABLE and let the application's TLS pass, or declare the port HTTP (with targetPort 443) and let the sidecar originate.`,
        related: [{ at: entry, range: port.protocol?.range ?? port.range, message: `port ${number} of ServiceEntry '${entry.resource.name?.value ?? ''}'` }],
        fixes: [setTlsMode(rule, mode.range, 'DISABLE')],
      });
      break;
    }
  }
}

/** docs/rules/EGR403.md: SIMPLE/MUTUAL wrap the workload's own TLS in a second TLS session the server cannot read. */
export const doubleTls: WorkspaceRule = {
  code: 'EGR403',
  name: 'double-tls',
  title: 'TLS origination on a port where the workload already speaks TLS',
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_DESTINATION, RULE_HOST, RULE_ROUTED_TO],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const target = destinationOf(rule, index, options);
      if (target?.kind === 'serviceEntry') {
        entryDoubleTls(rule, target.entry, target.host.toLowerCase(), index, options, report);
        continue;
      }
      if (target?.kind !== 'service') continue;
      // A Service with pods: an ingress gateway that ended the client's TLS re-encrypts toward the app's own TLS port
      // with SIMPLE, which is right; the files do not show a client speaking TLS there.
      if (!isExternalService(target.service.resource)) continue;
      // From 1.21 a rule on an ExternalName Service has no effect at all (EGR401).
      if (target.service.resource.type?.value === 'ExternalName' && externalNameIsAlias(options.istioVersion)) continue;
      const ports = target.service.resource.ports;
      for (const placement of tlsPlacements(rule.resource)) {
        const mode = placement.mode;
        if (mode?.value !== 'SIMPLE' && mode?.value !== 'MUTUAL') continue;
        const affected = ports.filter((p) => carriesTls(p) && (placement.port === undefined || p.port?.value === placement.port));
        const [first] = affected;
        if (!first) continue;
        const names = affected.map((p) => `${p.port?.value ?? '?'} (${p.name?.value ?? p.appProtocol?.value ?? ''})`).join(', ');
        report({
          at: rule,
          range: mode.range,
          message: `${mode.value} makes the sidecar originate TLS, but port ${names} says the workload already sends TLS: the server would get TLS inside TLS. Use DISABLE, or name the port http to let the sidecar originate.`,
          related: [{ at: target.service, range: first.name?.range ?? first.range, message: 'the TLS port' }],
          // The workload's own TLS should pass through untouched: recommendedMode() says DISABLE for a TLS port.
          fixes: [setTlsMode(rule, mode.range, recommendedMode(target, placement.port)?.mode ?? 'DISABLE')],
        });
      }
    }
  },
};
