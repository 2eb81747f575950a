import { plainHost } from '../model/hosts';
import { namespaceOf, type ServiceResource } from '../model/resources';
import { externalNameProblem } from '../model/externalName';
import type { PlacedResource } from '../workspace/placed';
import { anyNamespace, ask, serviceId, type Relation } from '../workspace/relation';
import { ALIAS_TARGET } from '../workspace/relations';
import { hiddenEntryNote } from '../workspace/hiddenEntries';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';
import { EXTERNAL_NAME_ALIAS_SINCE } from '../model/istioReleases';

/**
 * Whether Istio's registry knows the host an ExternalName Service aliases: a ServiceEntry in the workspace registers
 * it, or it is a Service of the cluster itself (`name.ns.svc`, `name.ns.svc.<cluster domain>`), which every sidecar
 * knows without one.
 */
export function targetRegistered(placed: PlacedResource<ServiceResource>, index: WorkspaceIndex): boolean {
  const service = placed.resource;
  const target = service.externalName ? plainHost(service.externalName.value) : undefined;
  if (!target) return true;
  const domain = index.clusterDomain.toLowerCase();
  if (target.endsWith('.svc') || target.endsWith(`.svc.${domain}`)) return true;
  return index.hostRegistered(target, ask(ALIAS_TARGET, placed));
}

/** docs/rules/EGR408.md: with no ServiceEntry for the target, traffic through the alias is passthrough, or blocked. */
export const externalNameTargetUnregistered: WorkspaceRule = {
  code: 'EGR408',
  name: 'externalname-target-unregistered',
  title: 'An ExternalName Service whose target host no ServiceEntry registers',
  severity: 'hint',
  istio: { since: EXTERNAL_NAME_ALIAS_SINCE },
  scope: 'workspace',
  reads: [ALIAS_TARGET],
  check(index, options, report) {
    const blocked = options.outboundTrafficPolicy === 'REGISTRY_ONLY';
    for (const list of index.services.values()) {
      for (const placed of list) {
        const service = placed.resource;
        if (service.type?.value !== 'ExternalName' || !service.externalName || targetRegistered(placed, index)) continue;
        // A malformed target is EGR101's finding; registering it would not help.
        if (externalNameProblem(service.externalName.value)) continue;
        report({
          at: placed,
          range: service.externalName.range,
          severity: blocked ? 'warning' : 'hint',
          message:
            (blocked
              ? `No ServiceEntry registers '${service.externalName.value}', and the mesh is REGISTRY_ONLY: sidecars block traffic through this alias. Add a ServiceEntry for the host.`
              : `No ServiceEntry registers '${service.externalName.value}': traffic through this alias passes through the sidecar unmanaged, so no DestinationRule applies to it.`) +
            hiddenEntryNote(index, plainHost(service.externalName.value), ask(ALIAS_TARGET, placed)),
        });
      }
    }
  },
};

/** The Service each route destination names: `name` in the route's namespace, or `name.ns…` (as written). */
const ROUTE_DESTINATION_SERVICE: Relation = {
  name: "the Service a route's destination names",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    for (const destination of resource.destinations) {
      if (destination.host === undefined) continue;
      const parts = destination.host.value.replace(/\.$/, '').split('.');
      const [name = '', ns = namespaceOf(resource)] = parts;
      sink.key(serviceId(ns, name));
      if (parts.length > 1) sink.key(anyNamespace(name));
    }
  },
};

/** docs/rules/EGR409.md: a route to an alias whose target is not registered has no cluster to go to (503). */
export const routeToUnregisteredAlias: WorkspaceRule = {
  code: 'EGR409',
  name: 'route-to-unregistered-alias',
  title: 'A VirtualService routes to an ExternalName alias whose target is not registered',
  severity: 'warning',
  istio: { since: EXTERNAL_NAME_ALIAS_SINCE },
  scope: 'workspace',
  reads: [ROUTE_DESTINATION_SERVICE, ALIAS_TARGET],
  check(index, options, report) {
    for (const vs of index.virtualServices) {
      const namespace = namespaceOf(vs.resource);
      for (const destination of vs.resource.destinations) {
        const host = destination.host;
        if (!host) continue;
        const parts = host.value.replace(/\.$/, '').split('.');
        const [name = '', ns = namespace] = parts;
        const fqdnMatch = parts.length === 1 || host.value.replace(/\.$/, '') === `${name}.${ns}.svc.${options.clusterDomain}`;
        // A host naming its namespace may mean a Service written without one (applied with -n), as for rules.
        const through = ask(ROUTE_DESTINATION_SERVICE, vs);
        const service = !fqdnMatch ? undefined : parts.length === 1 ? index.service(ns, name, through, vs) : index.serviceNamedBy(ns, name, through, vs);
        if (!service || service.resource.type?.value !== 'ExternalName' || targetRegistered(service, index)) continue;
        report({
          at: vs,
          range: host.range,
          message: `'${host.value}' is an ExternalName alias of '${service.resource.externalName?.value ?? ''}', which no ServiceEntry registers: Istio has no cluster to route to and answers 503. Register the target, or route to it directly.`,
          related: service.resource.externalName ? [{ at: service, range: service.resource.externalName.range, message: 'the alias target' }] : [],
        });
      }
    }
  },
};
