import { expandHost, partialServiceKey, plainHost, serviceKey, serviceOfHost } from '../model/hosts';
import { namespaceOf, type Located, type Resource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { Range } from '../text';
import { destinationOfHost } from './destinations';
import { gatewayRef } from './gateways';
import type { PlacedResource } from './placed';
import type { WorkspaceIndex } from './workspaceIndex';

/** What a name in a manifest stands for: the thing that ties resources together. */
export type NavTarget =
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'port'; readonly namespace: string; readonly service: string; readonly port: string }
  | { readonly kind: 'host'; readonly host: string }
  /** A DestinationRule subset, by the host its rule is for (expanded, lower case) and its name. */
  | { readonly kind: 'subset'; readonly host: string; readonly name: string }
  /** An Istio Gateway, as a VirtualService binds to it. */
  | { readonly kind: 'gateway'; readonly namespace: string; readonly name: string };

/** Where a name is declared (a Service's name and port names, a ServiceEntry host) or used (everything else). */
export type Role = 'declaration' | 'reference';

/** One name written in a resource, with what it stands for. */
export interface Occurrence {
  readonly target: NavTarget;
  readonly role: Role;
  readonly at: PlacedResource;
  /** The name's value range, relative to the document's first line. */
  readonly range: Range;
}

/** Equal keys, same target. */
export function targetKey(target: NavTarget): string {
  switch (target.kind) {
    case 'service':
      return `service ${serviceKey(target.namespace, target.name)}`;
    case 'port':
      return `port ${serviceKey(target.namespace, target.service)} ${target.port}`;
    case 'host':
      return `host ${target.host}`;
    case 'subset':
      return `subset ${target.host} ${target.name}`;
    case 'gateway':
      return `gateway ${serviceKey(target.namespace, target.name)}`;
  }
}

/**
 * What a host written in `namespace` (DR host, route destination) stands for. A known Service or ServiceEntry first,
 * as hovers and rules resolve it; then a `name.ns` spelling of a known Service; then any cluster Service FQDN (its
 * Service may live only in the cluster, yet its Endpoints and rules still belong together); else the plain host.
 */
export function hostTarget(written: string, namespace: string, index: WorkspaceIndex, options: AnalysisOptions): NavTarget {
  const destination = destinationOfHost(written, namespace, index, options);
  if (destination?.kind === 'service') {
    const service = destination.service.resource;
    return { kind: 'service', namespace: namespaceOf(service), name: service.name?.value ?? '' };
  }
  if (destination?.kind === 'serviceEntry') return { kind: 'host', host: destination.host };
  const partial = partialServiceKey(written);
  if (partial && index.service(partial.namespace, partial.name)) return { kind: 'service', ...partial };
  const host = expandHost(written, namespace, options.clusterDomain);
  const key = serviceOfHost(host, options.clusterDomain);
  return key ? { kind: 'service', ...key } : { kind: 'host', host };
}

/** Every linking name a resource writes, in document order. */
export function occurrencesOf(at: PlacedResource, index: WorkspaceIndex, options: AnalysisOptions): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (located: Located<string> | undefined, role: Role, target: NavTarget): void => {
    if (located?.value) out.push({ target, role, at, range: located.range });
  };
  const r: Resource = at.resource;
  const namespace = namespaceOf(r);
  switch (r.kindName) {
    case 'Service': {
      const name = r.name?.value ?? '';
      add(r.name, 'declaration', { kind: 'service', namespace, name });
      if (name) for (const port of r.ports) add(port.name, 'declaration', { kind: 'port', namespace, service: name, port: port.name?.value ?? '' });
      if (r.externalName) add(r.externalName, 'reference', { kind: 'host', host: plainHost(r.externalName.value) });
      break;
    }
    case 'Endpoints': {
      // An Endpoints belongs to the Service of the same name and namespace; its port names to that Service's ports.
      const name = r.name?.value ?? '';
      add(r.name, 'reference', { kind: 'service', namespace, name });
      for (const subset of name ? r.subsets : []) {
        for (const port of subset.ports) add(port.name, 'reference', { kind: 'port', namespace, service: name, port: port.name?.value ?? '' });
      }
      break;
    }
    case 'DestinationRule':
      if (r.host) {
        add(r.host, 'reference', hostTarget(r.host.value, namespace, index, options));
        const host = expandHost(r.host.value, namespace, options.clusterDomain).toLowerCase();
        for (const subset of r.subsets) add(subset.name, 'declaration', { kind: 'subset', host, name: subset.name?.value ?? '' });
      }
      break;
    case 'VirtualService':
      for (const written of [...r.gateways, ...r.routes.flatMap((route) => route.matches.flatMap((m) => m.gateways))]) {
        const ref = gatewayRef(written.value, namespace);
        if (ref) add(written, 'reference', { kind: 'gateway', ...ref });
      }
      for (const destination of r.destinations) {
        if (!destination.host) continue;
        add(destination.host, 'reference', hostTarget(destination.host.value, namespace, index, options));
        const host = expandHost(destination.host.value, namespace, options.clusterDomain).toLowerCase();
        add(destination.subset, 'reference', { kind: 'subset', host, name: destination.subset?.value ?? '' });
      }
      break;
    case 'ServiceEntry':
      for (const host of r.hosts) add(host, 'declaration', { kind: 'host', host: plainHost(host.value) });
      break;
    case 'Gateway':
      add(r.name, 'declaration', { kind: 'gateway', namespace, name: r.name?.value ?? '' });
      break;
    case 'Other':
      break;
  }
  return out;
}

/** Every resource the index knows, each once. */
export function* indexedResources(index: WorkspaceIndex): Generator<PlacedResource> {
  for (const list of index.services.values()) yield* list;
  for (const list of index.endpoints.values()) yield* list;
  yield* index.destinationRules;
  yield* index.serviceEntries;
  yield* index.virtualServices;
  yield* index.gateways;
}
