import type { Range } from '../text';

/**
 * A value read from YAML with where it stands. Ranges are relative to the YAML document's first line
 * (see `PlacedResource` for file positions), so a document's parse survives edits elsewhere in its file.
 */
export interface Located<T> {
  readonly value: T;
  /** The value's range. */
  readonly range: Range;
  /** The key's range, when the value is a mapping entry. */
  readonly keyRange?: Range;
}

export type KnownKind = 'Service' | 'Endpoints' | 'EndpointSlice' | 'DestinationRule' | 'ServiceEntry' | 'VirtualService' | 'Gateway';

interface ResourceBase {
  readonly apiVersion?: Located<string>;
  readonly kind: Located<string>;
  readonly name?: Located<string>;
  readonly namespace?: Located<string>;
}

export interface ServicePort {
  readonly name?: Located<string>;
  readonly port?: Located<number>;
  readonly protocol?: Located<string>;
  readonly targetPort?: Located<number | string>;
  readonly appProtocol?: Located<string>;
  readonly range: Range;
}

export interface ServiceResource extends ResourceBase {
  readonly kindName: 'Service';
  readonly type?: Located<string>;
  readonly externalName?: Located<string>;
  readonly clusterIP?: Located<string>;
  /** Undefined when the Service has no selector: its Endpoints are written by hand. */
  readonly selector?: Located<Readonly<Record<string, string>>>;
  readonly ports: readonly ServicePort[];
  /** Key ranges of the cluster-IP fields that are set (clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy). */
  readonly clusterIpFields: readonly { readonly key: string; readonly range: Range }[];
  /** The namespaces the annotation `networking.istio.io/exportTo` lets see the Service; empty: every one. */
  readonly exportTo: readonly Located<string>[];
}

export interface EndpointPort {
  readonly name?: Located<string>;
  readonly port?: Located<number>;
  readonly protocol?: Located<string>;
  readonly range: Range;
}

export interface EndpointSubset {
  readonly addresses: readonly Located<string>[];
  readonly notReadyAddresses: readonly Located<string>[];
  readonly ports: readonly EndpointPort[];
}

export interface EndpointsResource extends ResourceBase {
  readonly kindName: 'Endpoints';
  readonly subsets: readonly EndpointSubset[];
}

/**
 * An EndpointSlice (discovery.k8s.io/v1), the successor of Endpoints: written by hand for a selector-less Service, it
 * serves the Service named by its `kubernetes.io/service-name` label.
 */
export interface EndpointSliceResource extends ResourceBase {
  readonly kindName: 'EndpointSlice';
  /** The `kubernetes.io/service-name` label. */
  readonly serviceName?: Located<string>;
}

/** A route destination of a VirtualService (http, tls or tcp route, or an http route's mirror). */
export interface RouteDestination {
  readonly host?: Located<string>;
  readonly port?: Located<number>;
  /** A subset that a DestinationRule for the host must define. */
  readonly subset?: Located<string>;
  /** The `destination` (or `mirror`) mapping. */
  readonly range?: Range;
}

/** One `match` entry of a route: the gateways and the port it is limited to. */
export interface RouteMatch {
  /** Empty: the VirtualService's own `gateways` apply. */
  readonly gateways: readonly Located<string>[];
  readonly port?: Located<number>;
}

/** An http, tls or tcp route: its matches (empty: it matches everything) and where it sends traffic. */
export interface Route {
  readonly section: 'http' | 'tls' | 'tcp';
  readonly matches: readonly RouteMatch[];
  /** Its `route` destinations and, for http, its mirrors. */
  readonly destinations: readonly RouteDestination[];
  /** The route's own mapping. */
  readonly range?: Range;
  /** Whether it says where traffic goes: a non-empty `route`, or for http a `redirect` or `directResponse`. */
  readonly hasTarget: boolean;
  /** Items of `route` (or of an http route's `mirrors`) that name no `destination`. */
  readonly withoutDestination: readonly { readonly range: Range; readonly mirror: boolean }[];
}

export interface VirtualServiceResource extends ResourceBase {
  readonly kindName: 'VirtualService';
  readonly hosts: readonly Located<string>[];
  /** `spec.gateways`: `mesh` (the sidecars, also when empty) and Gateways the routes bind to. */
  readonly gateways: readonly Located<string>[];
  readonly destinations: readonly RouteDestination[];
  /** The same destinations, by the route that holds them (with its matches). */
  readonly routes: readonly Route[];
  readonly exportTo: readonly Located<string>[];
  /** `http[].fault.delay.percent`, deprecated in favour of `percentage.value`. */
  readonly delayPercents: readonly Located<number>[];
}

export interface TlsSettings {
  readonly mode?: Located<string>;
  readonly credentialName?: Located<string>;
  readonly clientCertificate?: Located<string>;
  readonly privateKey?: Located<string>;
  readonly caCertificates?: Located<string>;
  readonly insecureSkipVerify?: Located<boolean>;
  readonly sni?: Located<string>;
  /** Range of the `tls` key. */
  readonly keyRange: Range;
}

/** `outlierDetection.consecutiveErrors`, deprecated: Istio counts only gateway errors (502, 503, 504) with it. */
export interface DeprecatedConsecutiveErrors {
  readonly field: Located<number>;
  /** Whether the same `outlierDetection` also sets `consecutiveGatewayErrors` (then a rename would write it twice). */
  readonly withGatewayErrors: boolean;
}

export interface PortTrafficPolicy {
  readonly port?: Located<number>;
  readonly tls?: TlsSettings;
  readonly consecutiveErrors?: DeprecatedConsecutiveErrors;
  readonly range: Range;
}

export interface TrafficPolicy {
  readonly tls?: TlsSettings;
  readonly consecutiveErrors?: DeprecatedConsecutiveErrors;
  readonly portLevelSettings: readonly PortTrafficPolicy[];
}

export interface Subset {
  readonly name?: Located<string>;
  /** The endpoint labels the subset selects; undefined when it names none (every endpoint). */
  readonly labels?: Located<Readonly<Record<string, string>>>;
  readonly trafficPolicy?: TrafficPolicy;
}

export interface DestinationRuleResource extends ResourceBase {
  readonly kindName: 'DestinationRule';
  readonly host?: Located<string>;
  readonly trafficPolicy?: TrafficPolicy;
  readonly subsets: readonly Subset[];
  readonly exportTo: readonly Located<string>[];
  readonly workloadSelector?: Located<Readonly<Record<string, string>>>;
}

export interface ServiceEntryPort {
  readonly number?: Located<number>;
  readonly name?: Located<string>;
  readonly protocol?: Located<string>;
  readonly targetPort?: Located<number>;
  readonly range: Range;
}

export interface ServiceEntryEndpoint {
  readonly address?: Located<string>;
  /** The network of an endpoint reached through that network's gateway (multi-network meshes): it needs no address. */
  readonly network?: Located<string>;
  readonly labels?: Located<Readonly<Record<string, string>>>;
  /** `ports`: the port this endpoint listens on, by the entry's port name (it overrides the port's `targetPort`). */
  readonly ports: readonly { readonly name: string; readonly port: Located<number> }[];
  readonly range: Range;
}

export interface ServiceEntryResource extends ResourceBase {
  readonly kindName: 'ServiceEntry';
  readonly hosts: readonly Located<string>[];
  readonly endpoints: readonly ServiceEntryEndpoint[];
  /** Key ranges of `endpoints` and `workloadSelector` when set. */
  readonly endpointsKey?: Range;
  readonly workloadSelectorKey?: Range;
  readonly addresses: readonly Located<string>[];
  /**
   * `status.addresses[].value`: the addresses Istio's auto-allocation controller (PILOT_ENABLE_IP_AUTOALLOCATE, 1.23+)
   * wrote for an entry without `addresses`, one or two (IPv4, IPv6) per host; present only in a copy of the live object.
   */
  readonly statusAddresses: readonly Located<string>[];
  readonly ports: readonly ServiceEntryPort[];
  readonly location?: Located<string>;
  readonly resolution?: Located<string>;
  readonly exportTo: readonly Located<string>[];
}

/** A server of a Gateway: the port the gateway proxy listens on, the hosts it takes there and its TLS. */
export interface GatewayServer {
  readonly port?: Located<number>;
  readonly portName?: Located<string>;
  readonly protocol?: Located<string>;
  readonly hosts: readonly Located<string>[];
  /** `tls.mode` (SIMPLE, PASSTHROUGH, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL); absent: no TLS. */
  readonly tlsMode?: Located<string>;
  /** Range of the server's `tls` key, when set. */
  readonly tlsKey?: Range;
  readonly range: Range;
}

/** An Istio Gateway: which gateway proxies (by pod labels) listen how. */
export interface GatewayResource extends ResourceBase {
  readonly kindName: 'Gateway';
  /** Pod labels of the gateway proxies it configures; undefined when it has none (it then applies to none). */
  readonly selector?: Located<Readonly<Record<string, string>>>;
  readonly servers: readonly GatewayServer[];
}

/**
 * A workload that runs a gateway proxy (Deployment, StatefulSet, DaemonSet or Pod): recognised by Istio's gateway
 * injection template or the proxy image. Other workloads are not read.
 */
export interface GatewayWorkloadResource extends ResourceBase {
  readonly kindName: 'GatewayWorkload';
  /** The labels its pods carry. */
  readonly podLabels?: Located<Readonly<Record<string, string>>>;
}

/** A PeerAuthentication (security.istio.io): the mutual TLS the selected workloads accept. */
export interface PeerAuthenticationResource extends ResourceBase {
  readonly kindName: 'PeerAuthentication';
  /** `selector.matchLabels`; undefined: every workload of its namespace (of the mesh, in the root namespace). */
  readonly selector?: Located<Readonly<Record<string, string>>>;
  /** `mtls.mode`: STRICT, PERMISSIVE, DISABLE or UNSET. */
  readonly mtlsMode?: Located<string>;
  /** `portLevelMtls`: the mode per workload port number. */
  readonly portLevelMtls: readonly { readonly port: Located<number>; readonly mode?: Located<string> }[];
}

/** A Sidecar (networking.istio.io): what the selected workloads' proxies import and how they treat other traffic. */
export interface SidecarResource extends ResourceBase {
  readonly kindName: 'Sidecar';
  /** `workloadSelector.labels`; undefined: every workload of its namespace without a Sidecar of its own. */
  readonly workloadSelector?: Located<Readonly<Record<string, string>>>;
  /** Every `egress[].hosts` entry (`namespace/dnsName`). */
  readonly egressHosts: readonly Located<string>[];
  /** `outboundTrafficPolicy.mode`: ALLOW_ANY or REGISTRY_ONLY. */
  readonly outboundMode?: Located<string>;
  /** Key range of `outboundTrafficPolicy.egressProxy`, deprecated, when set. */
  readonly egressProxyKey?: Range;
}

/** Any other kind: kept so that symbols and counts see it, never checked by egress rules. */
export interface OtherResource extends ResourceBase {
  readonly kindName: 'Other';
}

export type Resource =
  | ServiceResource
  | EndpointsResource
  | EndpointSliceResource
  | DestinationRuleResource
  | ServiceEntryResource
  | VirtualServiceResource
  | GatewayResource
  | GatewayWorkloadResource
  | PeerAuthenticationResource
  | SidecarResource
  | OtherResource;

export const DEFAULT_NAMESPACE = 'default';

export function namespaceOf(resource: Resource): string {
  return resource.namespace?.value || DEFAULT_NAMESPACE;
}
