import { expandHost, serviceOfHost } from '../model/hosts';
import { visibleIn } from '../model/visibility';
import {
  namespaceOf,
  type DestinationRuleResource,
  type EndpointSliceResource,
  type EndpointsResource,
  type GatewayResource,
  type GatewayWorkloadResource,
  type PeerAuthenticationResource,
  type Resource,
  type ServiceEntryResource,
  type ServiceResource,
  type SidecarResource,
  type VirtualServiceResource,
} from '../model/resources';
import { GATEWAY_PROXIES, mayServeGateway, selectorKey, selectorKeys } from './gatewayKeys';
import type { FileModel } from './fileModel';
import { placeResource, type PlacedResource } from './placed';
import { anyNamespace, hostKey, namespaceKey, objectKey, routeTargetKey, serviceId, serviceName, type Ask, type KeySink } from './relation';
import { ReadCheck, type CheckedRule } from './readCheck';
import { nearest } from './together';

type Kind = Resource['kindName'];
type OfKind<K extends Kind> = PlacedResource<Extract<Resource, { kindName: K }>>;

/**
 * The keys each resource is found under (`relation.ts`): the index stores every resource under these and nothing
 * else, and the partition joins resources by the same keys, so what a lookup can find is what the partition knows.
 */
export function storedUnder(resource: Resource, clusterDomain: string, sink: KeySink): void {
  const namespace = namespaceOf(resource);
  switch (resource.kindName) {
    case 'Service':
      if (!resource.name) return;
      sink.key(serviceId(namespace, resource.name.value));
      sink.key(serviceName(resource.name.value));
      // Written without a namespace: applied with `-n`, it may land in the namespace a host names.
      if (!resource.namespace?.value) sink.key(anyNamespace(resource.name.value));
      // A Service that may be a gateway's, by the labels it selects (the Gateways that select the same pods ask them).
      if (resource.selector && mayServeGateway(resource.selector.value)) selectorKeys(resource.selector.value, sink);
      return;
    case 'Gateway':
      if (resource.name) sink.key(objectKey('Gateway', namespace, resource.name.value));
      sink.key(GATEWAY_PROXIES);
      return;
    case 'GatewayWorkload':
      sink.key(GATEWAY_PROXIES);
      if (resource.podLabels) selectorKeys(resource.podLabels.value, sink);
      return;
    case 'PeerAuthentication':
    case 'Sidecar':
      // Found by namespace: a PeerAuthentication applies to workloads of its namespace, a Sidecar to its namespace's.
      sink.key(namespaceKey(resource.kindName, namespace));
      return;
    case 'Endpoints':
      if (resource.name) sink.key(serviceId(namespace, resource.name.value));
      return;
    case 'EndpointSlice':
      // By the Service its `kubernetes.io/service-name` label names.
      if (resource.serviceName) sink.key(serviceId(namespace, resource.serviceName.value));
      return;
    case 'ServiceEntry':
      if (resource.name) sink.key(objectKey('ServiceEntry', namespace, resource.name.value));
      for (const written of resource.hosts) {
        const host = written.value.toLowerCase();
        if (host.startsWith('*')) sink.wildcard(host.slice(1));
        else sink.key(hostKey(host));
      }
      return;
    case 'DestinationRule': {
      // An empty host is still stored (EGR304 reads its expansion); only a missing one is not.
      const written = resource.host?.value;
      if (written === undefined) return;
      // Lower case: a short host expands with the cluster domain as configured, which may not be.
      const host = expandHost(written, namespace, clusterDomain).toLowerCase();
      sink.key(hostKey(host));
      if (host === '*') sink.wildcard('');
      else if (host.startsWith('*.')) sink.wildcard(host.slice(1));
      // By the Service name a rule is for, in whatever namespace a route written without one lands (EGR412).
      if (!resource.namespace?.value && !written.includes('.')) sink.key(anyNamespace(written.toLowerCase()));
      const service = serviceOfHost(host, clusterDomain);
      if (service) sink.key(anyNamespace(service.name));
      return;
    }
    case 'VirtualService':
      // By each host as written and as expanded in its namespace (lower case).
      for (const written of resource.hosts) {
        const host = written.value.toLowerCase();
        if (host.includes('*')) continue;
        sink.key(hostKey(host));
        const expanded = expandHost(host, namespace, clusterDomain).toLowerCase();
        if (expanded !== host) sink.key(hostKey(expanded));
      }
      // And by the hosts its routes send to, as expanded in its namespace.
      for (const target of new Set(resource.destinations.flatMap((d) => (d.host?.value ? [expandHost(d.host.value, namespace, clusterDomain).toLowerCase()] : []))))
        sink.key(routeTargetKey(target));
      return;
    case 'Other':
      return;
  }
}

/** A wildcard host of a ServiceEntry or DestinationRule. */
interface Wildcard<R extends Resource> {
  readonly suffix: string;
  readonly at: PlacedResource<R>;
}

/** The DestinationRules a host may match: stored under it exactly, or through a wildcard. */
export interface RulesForHost {
  readonly exact: readonly PlacedResource<DestinationRuleResource>[];
  readonly wildcards: readonly PlacedResource<DestinationRuleResource>[];
}

export interface IndexOptions {
  readonly clusterDomain: string;
  /** Check every read a workspace rule makes against the relations it declares (tests; see `readCheck.ts`). */
  readonly checkReads?: boolean;
}

/** Every egress resource known, found by the keys of `storedUnder`. */
export class WorkspaceIndex {
  /** Services by namespace and name: iterated by rules and assists as their subjects. */
  readonly services = new Map<string, PlacedResource<ServiceResource>[]>();
  readonly endpoints = new Map<string, PlacedResource<EndpointsResource>[]>();
  readonly destinationRules: PlacedResource<DestinationRuleResource>[] = [];
  readonly serviceEntries: PlacedResource<ServiceEntryResource>[] = [];
  readonly virtualServices: PlacedResource<VirtualServiceResource>[] = [];
  readonly gateways: PlacedResource<GatewayResource>[] = [];
  readonly peerAuthentications: PlacedResource<PeerAuthenticationResource>[] = [];
  readonly sidecars: PlacedResource<SidecarResource>[] = [];
  readonly clusterDomain: string;
  /** By kind and key. */
  private readonly byKey = new Map<string, PlacedResource[]>();
  private readonly wildcardEntries: Wildcard<ServiceEntryResource>[] = [];
  private readonly wildcardRules: Wildcard<DestinationRuleResource>[] = [];
  /** DestinationRules by namespace, for the names a new one must avoid (not a key: see `ruleNamesIn`). */
  private readonly rulesByNamespace = new Map<string, PlacedResource<DestinationRuleResource>[]>();
  /** Each resource's position in workspace order. */
  private readonly order = new Map<PlacedResource, number>();
  private readonly check: ReadCheck | undefined;

  private constructor(options: IndexOptions) {
    this.clusterDomain = options.clusterDomain;
    this.check = options.checkReads ? new ReadCheck(options.clusterDomain) : undefined;
  }

  static build(files: Iterable<FileModel>, options: IndexOptions): WorkspaceIndex {
    return WorkspaceIndex.fromResources(indexedResources(files), options);
  }

  /** An index of these resources only (those `isIndexed` accepts), kept in the order given. */
  static fromResources(resources: Iterable<PlacedResource>, options: IndexOptions): WorkspaceIndex {
    const index = new WorkspaceIndex(options);
    for (const placed of resources) index.add(placed);
    return index;
  }

  private add(placed: PlacedResource): void {
    const r = placed.resource;
    if (r.kindName === 'Other') return;
    this.order.set(placed, this.order.size);
    const kind = r.kindName;
    storedUnder(r, this.clusterDomain, {
      key: (key) => push(this.byKey, `${kind} ${key}`, placed),
      host: (host) => push(this.byKey, `${kind} ${hostKey(host)}`, placed),
      wildcard: (suffix) => this.addWildcard(placed, suffix),
    });
    const namespace = namespaceOf(r);
    // One object per resource in every list (rules compare them by identity); `placed.resource` is `r`, narrowed.
    switch (r.kindName) {
      case 'Service':
        if (r.name) push(this.services, `${namespace}/${r.name.value}`, placed as OfKind<'Service'>);
        break;
      case 'Endpoints':
        if (r.name) push(this.endpoints, `${namespace}/${r.name.value}`, placed as OfKind<'Endpoints'>);
        break;
      case 'DestinationRule':
        this.destinationRules.push(placed as OfKind<'DestinationRule'>);
        push(this.rulesByNamespace, namespace, placed as OfKind<'DestinationRule'>);
        break;
      case 'ServiceEntry':
        this.serviceEntries.push(placed as OfKind<'ServiceEntry'>);
        break;
      case 'VirtualService':
        this.virtualServices.push(placed as OfKind<'VirtualService'>);
        break;
      case 'Gateway':
        this.gateways.push(placed as OfKind<'Gateway'>);
        break;
      case 'PeerAuthentication':
        this.peerAuthentications.push(placed as OfKind<'PeerAuthentication'>);
        break;
      case 'Sidecar':
        this.sidecars.push(placed as OfKind<'Sidecar'>);
        break;
      case 'EndpointSlice':
      case 'GatewayWorkload':
        break;
    }
  }

  private addWildcard(placed: PlacedResource, suffix: string): void {
    const r = placed.resource;
    if (r.kindName === 'ServiceEntry') this.wildcardEntries.push({ suffix, at: placed as OfKind<'ServiceEntry'> });
    else if (r.kindName === 'DestinationRule') this.wildcardRules.push({ suffix, at: placed as OfKind<'DestinationRule'> });
  }

  /** The resources of one kind stored under `key`, in workspace order. */
  private found<K extends Kind>(kind: K, key: string): readonly OfKind<K>[] {
    // Stored under `${kind} …` only by `add`, for resources of that kind: the filter only narrows the type.
    return (this.byKey.get(`${kind} ${key}`) ?? []).filter((p): p is OfKind<K> => p.resource.kindName === kind);
  }

  /** Runs a workspace rule, checking its reads when the index was built to (`IndexOptions.checkReads`). */
  running(rule: CheckedRule, run: () => void): void {
    if (!this.check) return run();
    this.check.begin(rule);
    try {
      run();
    } finally {
      this.check.end();
    }
  }

  /**
   * The Service `name` in `namespace` (a Service written without a namespace counts as `default`); among versions of
   * it, the one nearest `near` (same file, same folder, …), the one applied with it, else the first.
   */
  service(namespace: string, name: string, ask?: Ask, near?: PlacedResource): PlacedResource<ServiceResource> | undefined {
    const key = serviceId(namespace, name);
    this.check?.read(ask, key, `Service ${namespace}/${name}`);
    return pick(visibleTo(this.found('Service', key), ask), near);
  }

  /**
   * The Service a host that names its namespace (`name.ns.svc.cluster.local`, `name.ns`) points at: one written in
   * that namespace, else one written without any, which is applied with `-n` and may well land there (all such
   * Services of one name are versions of one object).
   */
  serviceNamedBy(namespace: string, name: string, ask?: Ask, near?: PlacedResource): PlacedResource<ServiceResource> | undefined {
    const own = this.service(namespace, name, ask, near);
    if (own) return own;
    const key = anyNamespace(name);
    this.check?.read(ask, key, `a Service '${name}' written without a namespace`);
    return pick(visibleTo(this.found('Service', key), ask), near);
  }

  /**
   * The Service `name` in `namespace` when it exists but the asking resource's namespace does not see it; with
   * `orUnnamespaced`, also one written without a namespace (as `serviceNamedBy` finds).
   */
  serviceHiddenFrom(namespace: string, name: string, ask: Ask, orUnnamespaced: boolean): PlacedResource<ServiceResource> | undefined {
    const own = serviceId(namespace, name);
    this.check?.read(ask, own, `Service ${namespace}/${name}`);
    const candidates = [...this.found('Service', own)];
    if (orUnnamespaced) {
      const any = anyNamespace(name);
      this.check?.read(ask, any, `a Service '${name}' written without a namespace`);
      candidates.push(...this.found('Service', any));
    }
    const from = namespaceOf(ask.from.resource);
    return candidates.find((s) => !visibleIn(s.resource, from));
  }

  /** The Services of this name in every namespace, in workspace order. */
  servicesNamed(name: string, ask?: Ask): readonly PlacedResource<ServiceResource>[] {
    const key = serviceName(name);
    this.check?.read(ask, key, `Services named '${name}'`);
    return this.found('Service', key);
  }

  /**
   * Every ServiceEntry declaring exactly this host (lower case), versions of one entry included, in workspace order;
   * with `ask`, only those exported to the asking resource's namespace (`model/visibility.ts`), as for every lookup.
   */
  entriesWithHost(host: string, ask?: Ask): readonly PlacedResource<ServiceEntryResource>[] {
    const key = hostKey(host.toLowerCase());
    this.check?.read(ask, key, `ServiceEntries for '${host}'`);
    return visibleTo(this.found('ServiceEntry', key), ask);
  }

  /** The ServiceEntries registering the host (exactly or by wildcard) that the asking resource's namespace does not see. */
  entriesHiddenFrom(host: string, ask: Ask): readonly PlacedResource<ServiceEntryResource>[] {
    const h = host.toLowerCase();
    this.check?.readHost(ask, h, `ServiceEntries registering '${host}'`);
    const all = [...this.found('ServiceEntry', hostKey(h)), ...this.wildcardEntries.filter((w) => w.suffix === '' || h.endsWith(w.suffix)).map((w) => w.at)];
    const namespace = namespaceOf(ask.from.resource);
    return all.filter((entry) => !visibleIn(entry.resource, namespace));
  }

  /** The ServiceEntry declaring exactly this host: among versions of entries, the one nearest `near`, else the first. */
  entryWithHost(host: string, ask?: Ask, near?: PlacedResource): PlacedResource<ServiceEntryResource> | undefined {
    const key = hostKey(host.toLowerCase());
    this.check?.read(ask, key, `ServiceEntries for '${host}'`);
    const candidates = visibleTo(this.found('ServiceEntry', key), ask);
    if (!near) return candidates[0];
    // An entry another version of which (same namespace and name, other hosts) sits nearer is not the one applied.
    return nearest(
      near,
      candidates.filter((c) => this.isNearestVersion(c, near)),
    );
  }

  /**
   * Whether `at` (a Service or ServiceEntry of the index) is, among the versions of its object (same kind, namespace
   * and name), the one nearest `from`: the one applied with it. Versions share their identity key, so this read
   * never leaves `at`'s component and needs no relation.
   */
  isNearestVersion(at: PlacedResource, from: PlacedResource): boolean {
    const r = at.resource;
    if (!r.name) return true;
    const namespace = namespaceOf(r);
    const versions: readonly PlacedResource[] =
      r.kindName === 'Service'
        ? this.found('Service', serviceId(namespace, r.name.value))
        : r.kindName === 'ServiceEntry'
          ? this.found('ServiceEntry', objectKey('ServiceEntry', namespace, r.name.value))
          : [];
    if (versions.length < 2) return true;
    const best = nearest(from, versions);
    return best === undefined || (best.uri === at.uri && best.startLine === at.startLine);
  }

  /** Whether a ServiceEntry registers the host, exactly or through a wildcard host. */
  hostRegistered(host: string, ask?: Ask): boolean {
    const h = host.toLowerCase();
    this.check?.readHost(ask, h, `ServiceEntries registering '${host}'`);
    const seen = (entry: PlacedResource): boolean => !ask || visibleIn(entry.resource, namespaceOf(ask.from.resource));
    return this.found('ServiceEntry', hostKey(h)).some(seen) || this.wildcardEntries.some((w) => (w.suffix === '' || h.endsWith(w.suffix)) && seen(w.at));
  }

  endpointsOf(namespace: string, name: string, ask?: Ask): readonly PlacedResource<EndpointsResource>[] {
    const key = serviceId(namespace, name);
    this.check?.read(ask, key, `Endpoints ${namespace}/${name}`);
    return this.found('Endpoints', key);
  }

  endpointSlicesOf(namespace: string, name: string, ask?: Ask): readonly PlacedResource<EndpointSliceResource>[] {
    const key = serviceId(namespace, name);
    this.check?.read(ask, key, `EndpointSlices of ${namespace}/${name}`);
    return this.found('EndpointSlice', key);
  }

  /**
   * DestinationRules whose host (expanded in their namespace, lower case) is `host` in any case, or a `*` / `*.suffix`
   * wildcard that `host` ends with in any case: a superset of those Istio matches, for the caller to narrow.
   */
  rulesForHost(host: string, ask?: Ask): RulesForHost {
    const h = host.toLowerCase();
    this.check?.readHost(ask, h, `DestinationRules for '${host}'`);
    return { exact: this.found('DestinationRule', hostKey(h)), wildcards: this.wildcardRules.filter((w) => w.suffix === '' || h.endsWith(w.suffix)).map((w) => w.at) };
  }

  /** DestinationRules for a Service's short name in any namespace, or written without a namespace on that name. */
  rulesForServiceName(name: string, ask?: Ask): readonly PlacedResource<DestinationRuleResource>[] {
    const key = anyNamespace(name);
    this.check?.read(ask, key, `DestinationRules for a Service '${name}' in any namespace`);
    return this.found('DestinationRule', key);
  }

  /** VirtualServices listing `host` (lower case), as written or expanded in their namespace. */
  routesForHost(host: string, ask?: Ask): readonly PlacedResource<VirtualServiceResource>[] {
    const key = hostKey(host);
    this.check?.read(ask, key, `VirtualServices for '${host}'`);
    return this.found('VirtualService', key);
  }

  /** The versions of the Gateway `name` in `namespace`, in workspace order. */
  gatewayVersions(namespace: string, name: string, ask?: Ask): readonly PlacedResource<GatewayResource>[] {
    const key = objectKey('Gateway', namespace, name);
    this.check?.read(ask, key, `Gateway ${namespace}/${name}`);
    return this.found('Gateway', key);
  }

  /** The PeerAuthentications of a namespace, in workspace order. */
  peerAuthenticationsIn(namespace: string, ask?: Ask): readonly PlacedResource<PeerAuthenticationResource>[] {
    const key = namespaceKey('PeerAuthentication', namespace);
    this.check?.read(ask, key, `PeerAuthentications in ${namespace}`);
    return this.found('PeerAuthentication', key);
  }

  /** The Sidecars of a namespace, in workspace order. */
  sidecarsIn(namespace: string, ask?: Ask): readonly PlacedResource<SidecarResource>[] {
    const key = namespaceKey('Sidecar', namespace);
    this.check?.read(ask, key, `Sidecars in ${namespace}`);
    return this.found('Sidecar', key);
  }

  /** Every workload of the files that runs a gateway proxy, in workspace order. */
  gatewayWorkloads(ask?: Ask): readonly PlacedResource<GatewayWorkloadResource>[] {
    this.check?.read(ask, GATEWAY_PROXIES, 'the gateway workloads');
    return this.found('GatewayWorkload', GATEWAY_PROXIES);
  }

  /**
   * The Services that may serve a gateway's pods and select at least one of these labels (those `mayServeGateway`
   * accepts), in workspace order; the caller checks the rest of the selector.
   */
  servicesSelectingAny(labels: Readonly<Record<string, string>>, ask?: Ask): PlacedResource<ServiceResource>[] {
    const found = Object.entries(labels).flatMap(([name, value]) => {
      const key = selectorKey(name, value);
      this.check?.read(ask, key, `Services selecting ${name}=${value}`);
      return this.found('Service', key);
    });
    return this.inOrder(found);
  }

  /** VirtualServices with a route to `host` (expanded in their namespace, lower case). */
  routesTo(host: string, ask?: Ask): readonly PlacedResource<VirtualServiceResource>[] {
    const key = routeTargetKey(host);
    this.check?.read(ask, key, `VirtualServices routing to '${host}'`);
    return this.found('VirtualService', key);
  }

  /**
   * The names of the DestinationRules of a namespace. Not a key (every rule of a namespace would share it): the
   * partition joins a namespace's rules into the components that hold a wildcard rule, the only ones whose quick fix
   * asks (`partition.ts`, `joinGuardRuleNames`).
   */
  ruleNamesIn(namespace: string): Set<string> {
    return new Set((this.rulesByNamespace.get(namespace) ?? []).map((r) => r.resource.name?.value ?? ''));
  }

  /** Sorts resources of this index into workspace order. */
  inOrder<R extends PlacedResource>(resources: Iterable<R>): R[] {
    return [...new Set(resources)].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }
}

/** The resources the asking resource's namespace sees; all of them for a read without `ask` (an adapter's lookup). */
function visibleTo<R extends PlacedResource>(resources: readonly R[], ask: Ask | undefined): readonly R[] {
  if (!ask || resources.length === 0) return resources;
  const namespace = namespaceOf(ask.from.resource);
  return resources.every((r) => visibleIn(r.resource, namespace)) ? resources : resources.filter((r) => visibleIn(r.resource, namespace));
}

function pick<R extends PlacedResource>(candidates: readonly R[], near: PlacedResource | undefined): R | undefined {
  return near && candidates.length > 1 ? nearest(near, candidates) : candidates[0];
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
