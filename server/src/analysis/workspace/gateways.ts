import { expandHost, ROOT_NAMESPACE, serviceOfHost } from '../model/hosts';
import {
  namespaceOf,
  type GatewayResource,
  type GatewayServer,
  type Located,
  type Route,
  type RouteDestination,
  type ServiceResource,
  type VirtualServiceResource,
} from '../model/resources';
import type { AnalysisOptions } from '../options';
import { destinationOfHost } from './destinations';
import { GATEWAY_PROXIES, selectorKeys } from './gatewayKeys';
import type { PlacedResource } from './placed';
import { ask, objectKey, type Ask, type Relation } from './relation';
import { nearestVersions } from './together';
import { ROUTE_DESTINATION } from './relations';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * How a VirtualService, the Gateways it binds to and their proxies fit together: the wiring of Istio's "Egress
 * Gateways" recipe (docs/istio-behaviour.md#egress-gateways). Mesh traffic for a host goes to the gateway's Service;
 * the gateway proxy takes it on a Gateway server's port and sends it out.
 */

export type PlacedGateway = PlacedResource<GatewayResource>;
type Labels = Readonly<Record<string, string>>;

/** The reserved gateway name of the sidecars. */
export const MESH = 'mesh';

/** Whether every label `selector` asks for is among `labels`. */
export function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([name, value]) => labels[name] === value);
}

/**
 * Whether two selectors can pick the same pods: they agree on every label both name and share at least one. Without
 * the pods at hand, this is how a gateway's Service and its Gateway are seen to belong together.
 */
export function mayPickSamePods(a: Labels, b: Labels): boolean {
  let shared = false;
  for (const [name, value] of Object.entries(a)) {
    if (!(name in b)) continue;
    if (b[name] !== value) return false;
    shared = true;
  }
  return shared;
}

/** A gateway as a route names it: `namespace/name`, or `name` in the VirtualService's namespace. */
export function gatewayRef(written: string, routeNamespace: string): { readonly namespace: string; readonly name: string } | undefined {
  if (written === MESH) return undefined;
  const slash = written.indexOf('/');
  return slash < 0 ? { namespace: routeNamespace, name: written } : { namespace: written.slice(0, slash), name: written.slice(slash + 1) };
}

/**
 * The gateways a route takes traffic from: those its matches name, or the VirtualService's own when a match names none
 * (or the route has no match); the VirtualService's own are `mesh` when it names none.
 */
export function routeGateways(vs: VirtualServiceResource, route: Route): readonly string[] {
  const own = vs.gateways.length ? vs.gateways.map((g) => g.value) : [MESH];
  if (route.matches.length === 0) return own;
  const named = new Set<string>();
  for (const match of route.matches) for (const g of match.gateways.length ? match.gateways.map((x) => x.value) : own) named.add(g);
  return [...named];
}

/** The gateways one match of a route takes traffic from. */
export function matchGateways(vs: VirtualServiceResource, match: { readonly gateways: readonly Located<string>[] }): readonly string[] {
  if (match.gateways.length) return match.gateways.map((g) => g.value);
  return vs.gateways.length ? vs.gateways.map((g) => g.value) : [MESH];
}

/** Every Gateway a VirtualService names (in `gateways` and in its matches): `bound`. */
export const ROUTE_GATEWAYS: Relation = {
  name: 'the Gateways a VirtualService binds to',
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'VirtualService') return;
    const namespace = namespaceOf(resource);
    const written = [...resource.gateways, ...resource.routes.flatMap((r) => r.matches.flatMap((m) => m.gateways))];
    for (const g of written) {
      const ref = gatewayRef(g.value, namespace);
      if (ref) sink.key(objectKey('Gateway', ref.namespace, ref.name));
    }
  },
};

/** The workloads that run gateway proxies, and the Services that may select a Gateway's proxies. */
export const GATEWAY_SELECTION: Relation = {
  name: "a Gateway's proxies and their Services",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'Gateway') return;
    sink.key(GATEWAY_PROXIES);
    if (resource.selector) selectorKeys(resource.selector.value, sink);
  },
};

/**
 * The Gateways of the files a VirtualService names, by the name it writes (`mesh` and unknown ones left out): for each,
 * the versions nearest the route (`nearestVersions`; several when sibling files hold alternatives), which a check must
 * all fail before it reports.
 */
export function boundGateways(vs: PlacedResource<VirtualServiceResource>, index: WorkspaceIndex): Map<string, readonly PlacedGateway[]> {
  const out = new Map<string, readonly PlacedGateway[]>();
  const namespace = namespaceOf(vs.resource);
  const via = ask(ROUTE_GATEWAYS, vs);
  const written = [...vs.resource.gateways, ...vs.resource.routes.flatMap((r) => r.matches.flatMap((m) => m.gateways))];
  for (const g of written) {
    const ref = gatewayRef(g.value, namespace);
    if (!ref || out.has(g.value)) continue;
    const versions = nearestVersions(vs, index.gatewayVersions(ref.namespace, ref.name, via));
    if (versions.length) out.set(g.value, versions);
  }
  return out;
}

/** The Gateways bound, each with its versions, once per Gateway however often it is named. */
export function distinctGateways(bound: ReadonlyMap<string, readonly PlacedGateway[]>): (readonly PlacedGateway[])[] {
  return [...new Map([...bound.values()].map((versions) => [versions[0], versions])).values()];
}

/**
 * The pod labels of the gateway Services an Istio install puts in the root namespace (the `istio-egressgateway` and
 * `istio-ingressgateway` of its profiles): a route to one that the files do not define may still reach it.
 */
const INSTALLED_GATEWAYS: Readonly<Record<string, Labels>> = {
  'istio-egressgateway': { app: 'istio-egressgateway', istio: 'egressgateway' },
  'istio-ingressgateway': { app: 'istio-ingressgateway', istio: 'ingressgateway' },
};

/**
 * Whether the gateways an Istio install deploys may be the pods a selector names: it shares their `istio` or `app`
 * label and contradicts none (an install's values may add labels, such as `type: internal`).
 */
export function mayBeInstalledGateway(selector: Labels): boolean {
  return Object.values(INSTALLED_GATEWAYS).some((labels) => mayPickSamePods(selector, labels));
}

/** A gateway's Service a route sends to: one of the files, or one an Istio install defines (`service` undefined). */
export interface GatewayService {
  readonly host: string;
  readonly service?: PlacedResource<ServiceResource>;
}

/**
 * The Service of the Gateway's proxies that a route destination host names, if it is one: a Service of the files
 * whose selector picks the same pods as the Gateway's, or an installed gateway Service in the root namespace whose
 * pods the Gateway selects. Reads through ROUTE_DESTINATION from the VirtualService.
 */
export function gatewayServiceOf(
  written: string,
  vs: PlacedResource<VirtualServiceResource>,
  gateway: GatewayResource,
  index: WorkspaceIndex,
  options: AnalysisOptions,
): GatewayService | undefined {
  const selector = gateway.selector?.value;
  if (!selector) return undefined;
  const namespace = namespaceOf(vs.resource);
  const target = destinationOfHost(written, namespace, index, options, ask(ROUTE_DESTINATION, vs));
  if (target?.kind === 'service') {
    const serviceSelector = target.service.resource.selector?.value;
    return serviceSelector && mayPickSamePods(serviceSelector, selector) ? { host: target.host, service: target.service } : undefined;
  }
  if (target) return undefined;
  const host = expandHost(written, namespace, options.clusterDomain);
  const key = serviceOfHost(host, options.clusterDomain);
  const installed = key?.namespace === ROOT_NAMESPACE ? INSTALLED_GATEWAYS[key.name] : undefined;
  return installed && selects(selector, installed) ? { host } : undefined;
}

/** A mesh route's destination that is not the Service of the route's Gateway, while the files define that Service. */
export interface MisnamedGatewayService {
  readonly gateway: PlacedGateway;
  /** The Services of the files that select the Gateway's proxies, in workspace order. */
  readonly services: readonly PlacedResource<ServiceResource>[];
}

/**
 * Whether a mesh-side route destination of a VirtualService bound to Gateways means a gateway's Service under a name
 * the files do not define: the host is a cluster name that names nothing in the files and no installed gateway the
 * Gateway selects, while the files define a Service that selects the Gateway's proxies. Reads through ROUTE_GATEWAYS,
 * ROUTE_DESTINATION and, from each Gateway, GATEWAY_SELECTION.
 */
export function misnamedGatewayService(
  written: string,
  vs: PlacedResource<VirtualServiceResource>,
  bound: ReadonlyMap<string, readonly PlacedGateway[]>,
  index: WorkspaceIndex,
  options: AnalysisOptions,
): MisnamedGatewayService | undefined {
  const namespace = namespaceOf(vs.resource);
  if (!serviceOfHost(expandHost(written, namespace, options.clusterDomain), options.clusterDomain)) return undefined;
  if (destinationOfHost(written, namespace, index, options, ask(ROUTE_DESTINATION, vs))) return undefined;
  const gateways = [...new Set([...bound.values()].flat())];
  if (gateways.some((g) => gatewayServiceOf(written, vs, g.resource, index, options))) return undefined;
  for (const gateway of gateways) {
    const selector = gateway.resource.selector?.value;
    if (!selector) continue;
    const services = index.servicesSelectingAny(selector, ask(GATEWAY_SELECTION, gateway)).filter((s) => s.resource.selector && mayPickSamePods(s.resource.selector.value, selector));
    if (services.length) return { gateway, services };
  }
  return undefined;
}

/** A mesh route's destination sent to the Service of a bound Gateway's proxies, with the Gateway's versions it meets. */
export interface MeshHop {
  readonly destination: RouteDestination;
  readonly written: string;
  readonly port: Located<number>;
  /** The Gateway's versions beside the route whose proxies the destination is the Service of (at least one). */
  readonly served: readonly { readonly gateway: PlacedGateway; readonly target: GatewayService }[];
}

/**
 * Each mesh-side route destination with a port that sends to the Service of a Gateway the VirtualService binds to,
 * once per Gateway: the egress-gateway recipe's hop from the sidecar to the gateway (EGR419, EGR420).
 */
export function* meshHopsToGateways(
  vs: PlacedResource<VirtualServiceResource>,
  bound: ReadonlyMap<string, readonly PlacedGateway[]>,
  index: WorkspaceIndex,
  options: AnalysisOptions,
): Generator<MeshHop> {
  for (const route of vs.resource.routes) {
    if (!routeGateways(vs.resource, route).includes(MESH)) continue;
    for (const destination of route.destinations) {
      const written = destination.host?.value;
      const port = destination.port;
      if (!written || !port) continue;
      for (const versions of distinctGateways(bound)) {
        const served = versions.flatMap((gateway) => {
          const target = gatewayServiceOf(written, vs, gateway.resource, index, options);
          return target ? [{ gateway, target }] : [];
        });
        if (served.length) yield { destination, written, port, served };
      }
    }
  }
}

/**
 * The Gateway server that takes traffic sent to `port` of the gateway's Service: a server on that port, or on the
 * container port the Service maps it to (Istio binds a server to the Service port whose number or target it names).
 */
export function serverFor(gateway: GatewayResource, port: number, service: ServiceResource | undefined): GatewayServer | undefined {
  const target = service?.ports.find((p) => p.port?.value === port)?.targetPort?.value;
  return gateway.servers.find((s) => s.port?.value === port) ?? (typeof target === 'number' ? gateway.servers.find((s) => s.port?.value === target) : undefined);
}

/** The port numbers a Gateway's servers listen on, each once, in order. */
export function serverPorts(gateway: GatewayResource): number[] {
  return [...new Set(gateway.servers.flatMap((s) => (s.port ? [s.port.value] : [])))];
}

/** `name.namespace` of a placed resource, as messages name it. */
export function qualifiedName(at: PlacedResource): string {
  return `${at.resource.name?.value ?? ''}.${namespaceOf(at.resource)}`;
}

/** Labels as written in a message: `istio=egressgateway, app=x`. */
export function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/**
 * Whether a VirtualService sends the sidecars' traffic for `host` on `port` somewhere else: the first mesh route that
 * takes that port sends it to other hosts or ports only (the egress-gateway recipe sends it to the gateway, which
 * reaches the host on its TLS port). The entry's own port then carries none of it.
 */
export function meshRoutedAway(host: string, port: number, index: WorkspaceIndex, options: AnalysisOptions, via: Ask): boolean {
  return index.routesForHost(host, via).some((vs) => {
    const namespace = namespaceOf(vs.resource);
    const expand = (written: string): string => expandHost(written, namespace, options.clusterDomain).toLowerCase();
    const first = vs.resource.routes.find(
      (route) =>
        routeGateways(vs.resource, route).includes(MESH) &&
        (route.matches.length === 0 || route.matches.some((m) => matchGateways(vs.resource, m).includes(MESH) && (m.port === undefined || m.port.value === port))),
    );
    return (
      first !== undefined &&
      first.destinations.length > 0 &&
      first.destinations.every((d) => (d.host !== undefined && expand(d.host.value) !== host) || (d.port !== undefined && d.port.value !== port))
    );
  });
}

/**
 * Whether a route sends traffic other than the application's own TLS to `host` on `port` (or on the port it came in
 * on): an http route (plain HTTP by definition: Istio's older recipe sends port 80 to port 443 of the same host), a
 * route bound to a Gateway (the gateway is the client), or a mesh route of a VirtualService for other hosts (the
 * sidecar redirects traffic meant for them, as forward-proxy tunnels do). A DestinationRule's TLS origination for the
 * port is then meant for that traffic. Reads `routesTo` through `via`.
 */
export function routedTo(host: string, port: number, index: WorkspaceIndex, options: AnalysisOptions, via: Ask): boolean {
  return index.routesTo(host, via).some((vs) => {
    const namespace = namespaceOf(vs.resource);
    const expand = (written: string): string => expandHost(written, namespace, options.clusterDomain).toLowerCase();
    const forOthers = !vs.resource.hosts.some((h) => expand(h.value) === host);
    return vs.resource.routes.some(
      (route) =>
        (route.section === 'http' || forOthers || routeGateways(vs.resource, route).some((g) => g !== MESH)) &&
        route.destinations.some((d) => d.host !== undefined && expand(d.host.value) === host && (d.port === undefined || d.port.value === port)),
    );
  });
}
