import { expandHost, plainHost, serviceFqdn, serviceKey, serviceOfHost } from '../model/hosts';
import { namespaceOf, type Resource } from '../model/resources';

/**
 * The names under which the workspace rules look a resource up, or under which it looks others up (every
 * `WorkspaceIndex` lookup a rule makes, listed per kind below). Two resources that share no key, directly or through
 * a chain of resources, never read each other: `partition.ts` splits the workspace along these keys.
 */
export interface ResourceKeys {
  /** Exact keys, `s <namespace>/<name>` for a Service identity or `h <host>` for a host, as ids (`keyId`). */
  readonly exact: readonly number[];
  /** Non-wildcard hosts it is looked up by or looks up, which a wildcard host elsewhere may match. */
  readonly hosts: readonly string[];
  /** Its wildcard hosts, as the suffix a matching host ends with (`.example.com`; '' matches every host). */
  readonly wildcardSuffixes: readonly string[];
  readonly namespace: string;
  /** A DestinationRule with a wildcard host: its quick fix (guard rules) reads the names of other DRs. */
  readonly wildcardRule: boolean;
  readonly isDestinationRule: boolean;
}

const serviceName = (namespace: string, name: string): number => keyId(`s ${serviceKey(namespace, name)}`);
const hostName = (host: string): number => keyId(`h ${host}`);
/** A Service name in any namespace: a Service written without one answers `index.service` lookups from every namespace. */
const anyNamespace = (name: string): number => keyId(`n ${name}`);

/**
 * Key strings as small numbers, so partitioning indexes arrays instead of hashing strings. Keys of documents long
 * gone stay registered until the registry is renewed (`renewKeyIds`), which drops every id handed out.
 */
let ids = new Map<string, number>();
let generation = 0;

function keyId(key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

/** Bumped by each renewal: key ids from another generation name other keys. */
export function keyGeneration(): number {
  return generation;
}

/** One more than the largest key id handed out. */
export function keyIdCount(): number {
  return ids.size;
}

/**
 * Starts the ids afresh when most registered keys belong to no live resource (`live`: keys in use now); then every
 * `keysOf` must be asked again. Returns whether it did.
 */
export function renewKeyIds(live: number): boolean {
  if (ids.size < 100_000 || ids.size < 4 * live) return false;
  ids = new Map();
  generation++;
  return true;
}

const cache = new WeakMap<Resource, { readonly domain: string; readonly generation: number; readonly keys: ResourceKeys }>();

/** The keys of a resource (cached: a resource belongs to one parse, reused while its document text is unchanged). */
export function keysOf(resource: Resource, clusterDomain: string): ResourceKeys {
  const cached = cache.get(resource);
  if (cached?.domain === clusterDomain && cached.generation === generation) return cached.keys;
  const keys = computeKeys(resource, clusterDomain);
  cache.set(resource, { domain: clusterDomain, generation, keys });
  return keys;
}

function computeKeys(resource: Resource, clusterDomain: string): ResourceKeys {
  const namespace = namespaceOf(resource);
  const exact: number[] = [];
  const hosts: string[] = [];
  const wildcardSuffixes: string[] = [];
  let wildcardRule = false;
  switch (resource.kindName) {
    case 'Service': {
      if (!resource.name) break;
      // index.service / endpointsOf (EGR301–303, destinationOf, EGR306, EGR409).
      exact.push(serviceName(namespace, resource.name.value));
      if (!resource.namespace?.value) exact.push(anyNamespace(resource.name.value));
      // EGR402 asks which rule applies to the Service's FQDN.
      const fqdn = serviceFqdn(resource.name.value, namespace, clusterDomain);
      exact.push(hostName(fqdn));
      hosts.push(fqdn);
      // EGR301 asks for a ServiceEntry listing the FQDN, and entries are indexed by lower-case host.
      if (fqdn.toLowerCase() !== fqdn) exact.push(hostName(fqdn.toLowerCase()));
      // targetRegistered: hostRegistered(the ExternalName target) (EGR401 fix, EGR408, EGR409).
      const target = (resource.externalName ? plainHost(resource.externalName.value) : undefined);
      if (target) {
        exact.push(hostName(target));
        hosts.push(target);
      }
      break;
    }
    case 'Endpoints':
      if (resource.name) exact.push(serviceName(namespace, resource.name.value));
      break;
    case 'EndpointSlice':
      // index.endpointSlicesOf (EGR301): by the Service its label names.
      if (resource.serviceName) exact.push(serviceName(namespace, resource.serviceName.value));
      break;
    case 'DestinationRule': {
      // An empty host is still looked up (EGR304 asks about its expansion), so only a missing one has no keys.
      const written = resource.host?.value;
      if (written === undefined) break;
      // EGR412: a rule written without a namespace on a short host counts for routes to that name in any namespace.
      if (!resource.namespace?.value && !written.includes('.')) exact.push(anyNamespace(written.toLowerCase()));
      // EGR304/306: a `name.ns` or `name.ns.svc` host is looked up as written.
      const parts = written.replace(/\.$/, '').split('.');
      if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) exact.push(serviceName(parts[1] ?? '', parts[0] ?? ''));
      // destinationOf: index.service of the expanded host, else entryWithHost; DR precedence and duplicates group
      // rules by expanded host (any namespace: clientNamespacesWithOwnRule looks at all of them).
      const host = expandHost(written, namespace, clusterDomain);
      exact.push(hostName(host));
      const key = serviceOfHost(host, clusterDomain);
      if (key) exact.push(serviceName(key.namespace, key.name));
      // serviceNamedBy: a host naming its namespace may find a Service written without one.
      if (key && written.includes('.')) exact.push(anyNamespace(key.name));
      if (host.startsWith('*')) {
        wildcardRule = true;
        // hostMatches: `*` matches everything, `*.suffix` by suffix, any other `*…` only itself (an exact key above).
        if (host === '*') wildcardSuffixes.push('');
        else if (host.startsWith('*.')) wildcardSuffixes.push(host.slice(1));
      } else {
        // hostRegistered (EGR304) and appliedRule (EGR407) are asked about this host.
        hosts.push(host);
      }
      break;
    }
    case 'ServiceEntry':
      // EGR402 compares the versions of one entry (same namespace and name), whatever hosts each lists.
      if (resource.name) exact.push(keyId(`o ServiceEntry ${namespace}/${resource.name.value}`));
      for (const written of resource.hosts) {
        const host = written.value.toLowerCase();
        // As WorkspaceIndex stores them: `*…` hosts are matched by suffix, the others exactly.
        if (host.startsWith('*')) wildcardSuffixes.push(host.slice(1));
        else {
          exact.push(hostName(host));
          hosts.push(host);
        }
      }
      break;
    case 'VirtualService':
      // EGR406: a DestinationRule's host that a VirtualService lists and binds to a Gateway; EGR402: a Service's
      // cluster name that it routes elsewhere (hosts expanded in its namespace).
      for (const host of resource.hosts) {
        const h = host.value.toLowerCase();
        if (h.includes('*')) continue;
        exact.push(hostName(h));
        const expanded = expandHost(h, namespace, clusterDomain).toLowerCase();
        if (expanded !== h) exact.push(hostName(expanded));
      }
      // EGR409: a route's destination host, as `name` or `name.ns…`, is looked up with index.service.
      for (const destination of resource.destinations) {
        const value = destination.host?.value;
        if (value === undefined) continue;
        const parts = value.replace(/\.$/, '').split('.');
        const [name = '', ns = namespace] = parts;
        exact.push(serviceName(ns, name));
        // EGR412: the DestinationRules for the destination's host (exact here, wildcards through `hosts`).
        if (destination.subset) {
          const asWritten = expandHost(value, namespace, clusterDomain);
          const expanded = asWritten.toLowerCase();
          exact.push(hostName(expanded), anyNamespace(name.toLowerCase()));
          hosts.push(expanded);
          if (asWritten !== expanded) exact.push(hostName(asWritten));
        }
        // serviceNamedBy for a host naming its namespace.
        if (parts.length > 1) exact.push(anyNamespace(name));
      }
      break;
    case 'Other':
      break;
  }
  return { exact, hosts, wildcardSuffixes, namespace, wildcardRule, isDestinationRule: resource.kindName === 'DestinationRule' };
}

/** Every `.suffix` a host ends with (`a.b.c` → `.b.c`, `.c`): where a `*.suffix` wildcard would match it. */
export function dotSuffixes(host: string): string[] {
  const out: string[] = [];
  for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) out.push(host.slice(i));
  return out;
}
