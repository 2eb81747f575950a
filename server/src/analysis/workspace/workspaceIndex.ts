import { serviceKey } from '../model/hosts';
import {
  namespaceOf,
  type DestinationRuleResource,
  type EndpointSliceResource,
  type EndpointsResource,
  type Resource,
  type ServiceEntryResource,
  type ServiceResource,
  type VirtualServiceResource,
} from '../model/resources';
import type { FileModel } from './fileModel';
import { placeResource, type PlacedResource } from './placed';
import { nearest } from './together';

/** Every egress resource known, by the names the rules look them up with. */
export class WorkspaceIndex {
  readonly services = new Map<string, PlacedResource<ServiceResource>[]>();
  readonly endpoints = new Map<string, PlacedResource<EndpointsResource>[]>();
  /** EndpointSlices by the Service their `kubernetes.io/service-name` label names. */
  readonly endpointSlices = new Map<string, PlacedResource<EndpointSliceResource>[]>();
  readonly destinationRules: PlacedResource<DestinationRuleResource>[] = [];
  readonly serviceEntries: PlacedResource<ServiceEntryResource>[] = [];
  readonly virtualServices: PlacedResource<VirtualServiceResource>[] = [];
  /** Services written without `metadata.namespace`, by name: applied with `-n`, their namespace is not in the files. */
  private readonly servicesWithoutNamespace = new Map<string, PlacedResource<ServiceResource>[]>();
  /** ServiceEntries by namespace and name: the versions of one entry. */
  private readonly entriesByName = new Map<string, PlacedResource<ServiceEntryResource>[]>();
  /** ServiceEntries by each exact host they declare (lower case). */
  private readonly entriesByHost = new Map<string, PlacedResource<ServiceEntryResource>[]>();
  /** ServiceEntries' wildcard hosts (`*.example.com`, `*`), checked by suffix. */
  private readonly wildcardEntries: { readonly suffix: string; readonly entry: PlacedResource<ServiceEntryResource> }[] = [];

  static build(files: Iterable<FileModel>): WorkspaceIndex {
    return WorkspaceIndex.fromResources(indexedResources(files));
  }

  /** An index of these resources only (those `isIndexed` accepts), kept in the order given. */
  static fromResources(resources: Iterable<PlacedResource>): WorkspaceIndex {
    const index = new WorkspaceIndex();
    for (const placed of resources) index.add(placed);
    return index;
  }

  private add(placed: PlacedResource): void {
    const r: Resource = placed.resource;
    switch (r.kindName) {
      case 'Service':
        if (r.name) {
          const service = { ...placed, resource: r };
          push(this.services, serviceKey(namespaceOf(r), r.name.value), service);
          if (!r.namespace?.value) push(this.servicesWithoutNamespace, r.name.value, service);
        }
        break;
      case 'Endpoints':
        if (r.name) push(this.endpoints, serviceKey(namespaceOf(r), r.name.value), { ...placed, resource: r });
        break;
      case 'EndpointSlice':
        if (r.serviceName) push(this.endpointSlices, serviceKey(namespaceOf(r), r.serviceName.value), { ...placed, resource: r });
        break;
      case 'DestinationRule':
        this.destinationRules.push({ ...placed, resource: r });
        break;
      case 'ServiceEntry': {
        const entry = { ...placed, resource: r };
        this.serviceEntries.push(entry);
        if (r.name) push(this.entriesByName, serviceKey(namespaceOf(r), r.name.value), entry);
        for (const host of r.hosts) {
          const h = host.value.toLowerCase();
          if (h.startsWith('*')) this.wildcardEntries.push({ suffix: h.slice(1), entry });
          else push(this.entriesByHost, h, entry);
        }
        break;
      }
      case 'VirtualService':
        this.virtualServices.push({ ...placed, resource: r });
        break;
      case 'Other':
        break;
    }
  }

  /**
   * The Service `name` in `namespace` (a Service written without a namespace counts as `default`); among versions of
   * it, the one nearest `from` (same file, same folder, …), the one applied with it.
   */
  service(namespace: string, name: string, from?: PlacedResource): PlacedResource<ServiceResource> | undefined {
    const candidates = this.services.get(serviceKey(namespace, name));
    return from && candidates ? nearest(from, candidates) : candidates?.[0];
  }

  /**
   * The Service a host that names its namespace (`name.ns.svc.cluster.local`, `name.ns`) points at: one written in
   * that namespace, else one written without any, which is applied with `-n` and may well land there (all such
   * Services of one name are versions of one object).
   */
  serviceNamedBy(namespace: string, name: string, from?: PlacedResource): PlacedResource<ServiceResource> | undefined {
    const candidates = this.services.get(serviceKey(namespace, name)) ?? this.servicesWithoutNamespace.get(name);
    return from && candidates ? nearest(from, candidates) : candidates?.[0];
  }

  /** The ServiceEntry declaring exactly this host: the one nearest `from` when given, else the first. */
  entryWithHost(host: string, from?: PlacedResource): PlacedResource<ServiceEntryResource> | undefined {
    const candidates = this.entriesByHost.get(host.toLowerCase());
    if (!from || !candidates) return candidates?.[0];
    // An entry another version of which (same namespace and name, other hosts) sits nearer is not the one applied.
    return nearest(from, candidates.filter((c) => this.isNearestVersion(c, from)));
  }

  /**
   * Whether `at` (a Service or ServiceEntry of the index) is, among the versions of its object (same kind, namespace
   * and name), the one nearest `from`: the one applied with it.
   */
  isNearestVersion(at: PlacedResource, from: PlacedResource): boolean {
    const r = at.resource;
    if (!r.name) return true;
    const key = serviceKey(namespaceOf(r), r.name.value);
    const versions: readonly PlacedResource[] | undefined = r.kindName === 'Service' ? this.services.get(key) : r.kindName === 'ServiceEntry' ? this.entriesByName.get(key) : undefined;
    if (!versions || versions.length < 2) return true;
    const best = nearest(from, versions);
    return best === undefined || (best.uri === at.uri && best.startLine === at.startLine);
  }

  /** Whether a ServiceEntry registers the host, exactly or through a wildcard host. */
  hostRegistered(host: string): boolean {
    const h = host.toLowerCase();
    return this.entriesByHost.has(h) || this.wildcardEntries.some((w) => w.suffix === '' || h.endsWith(w.suffix));
  }

  endpointsOf(namespace: string, name: string): readonly PlacedResource<EndpointsResource>[] {
    return this.endpoints.get(serviceKey(namespace, name)) ?? [];
  }

  endpointSlicesOf(namespace: string, name: string): readonly PlacedResource<EndpointSliceResource>[] {
    return this.endpointSlices.get(serviceKey(namespace, name)) ?? [];
  }
}

/** Whether the index holds a resource: the kinds the rules look at, Services and Endpoints only with a name, EndpointSlices with their Service's. */
export function isIndexed(resource: Resource): boolean {
  switch (resource.kindName) {
    case 'Service':
    case 'Endpoints':
      return resource.name !== undefined;
    case 'EndpointSlice':
      return resource.serviceName !== undefined;
    case 'Other':
      return false;
    default:
      return true;
  }
}

/** The resources of these files that the index holds, in workspace order (files, then documents). */
export function indexedResources(files: Iterable<FileModel>): PlacedResource[] {
  const out: PlacedResource[] = [];
  for (const file of files) {
    for (const doc of file.documents) {
      const placed = placeResource(doc);
      if (placed && isIndexed(placed.resource)) out.push(placed);
    }
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
