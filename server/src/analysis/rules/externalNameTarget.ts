import { plainHost } from '../model/hosts';
import { namespaceOf, type ServiceResource } from '../model/resources';
import { istioAtLeast } from '../options';
import { externalNameProblem } from './externalNameHost';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

/**
 * Whether Istio's registry knows the host an ExternalName Service aliases: a ServiceEntry in the workspace registers
 * it, or it is a Service of the cluster itself (`name.ns.svc`, `name.ns.svc.<cluster domain>`), which every sidecar
 * knows without one.
 */
export function targetRegistered(service: ServiceResource, index: WorkspaceIndex, clusterDomain: string): boolean {
  const target = service.externalName ? plainHost(service.externalName.value) : undefined;
  if (!target) return true;
  const domain = clusterDomain.toLowerCase();
  if (target.endsWith('.svc') || target.endsWith(`.svc.${domain}`)) return true;
  return index.hostRegistered(target);
}

/** docs/rules/EGR408.md: with no ServiceEntry for the target, traffic through the alias is passthrough, or blocked. */
export const externalNameTargetUnregistered: WorkspaceRule = {
  code: 'EGR408',
  name: 'externalname-target-unregistered',
  title: "An ExternalName Service whose target host no ServiceEntry registers",
  severity: 'hint',
  istio: { since: '1.21' },
  scope: 'workspace',
  check(index, options, report) {
    if (!istioAtLeast(options.istioVersion, '1.21')) return;
    const blocked = options.outboundTrafficPolicy === 'REGISTRY_ONLY';
    for (const list of index.services.values()) {
      for (const placed of list) {
        const service = placed.resource;
        if (service.type?.value !== 'ExternalName' || !service.externalName || targetRegistered(service, index, options.clusterDomain)) continue;
        // A malformed target is EGR101's finding; registering it would not help.
        if (externalNameProblem(service.externalName.value)) continue;
        report({
          at: placed,
          range: service.externalName.range,
          severity: blocked ? 'warning' : 'hint',
          message: blocked
            ? `No ServiceEntry registers '${service.externalName.value}', and the mesh is REGISTRY_ONLY: sidecars block traffic through this alias. Add a ServiceEntry for the host.`
            : `No ServiceEntry registers '${service.externalName.value}': traffic through this alias passes through the sidecar unmanaged, so no DestinationRule applies to it.`,
        });
      }
    }
  },
};

/** docs/rules/EGR409.md: a route to an alias whose target is not registered has no cluster to go to (503). */
export const routeToUnregisteredAlias: WorkspaceRule = {
  code: 'EGR409',
  name: 'route-to-unregistered-alias',
  title: 'A VirtualService routes to an ExternalName alias whose target is not registered',
  severity: 'warning',
  istio: { since: '1.21' },
  scope: 'workspace',
  check(index, options, report) {
    if (!istioAtLeast(options.istioVersion, '1.21')) return;
    for (const vs of index.virtualServices) {
      const namespace = namespaceOf(vs.resource);
      for (const destination of vs.resource.destinations) {
        const host = destination.host;
        if (!host) continue;
        const parts = host.value.replace(/\.$/, '').split('.');
        const [name = '', ns = namespace] = parts;
        const fqdnMatch = parts.length === 1 || host.value.replace(/\.$/, '') === `${name}.${ns}.svc.${options.clusterDomain}`;
        // A host naming its namespace may mean a Service written without one (applied with -n), as for rules.
        const service = !fqdnMatch ? undefined : parts.length === 1 ? index.service(ns, name, vs) : index.serviceNamedBy(ns, name, vs);
        if (!service || service.resource.type?.value !== 'ExternalName' || targetRegistered(service.resource, index, options.clusterDomain)) continue;
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
