import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type {
  DeprecatedConsecutiveErrors,
  DestinationRuleResource,
  EndpointPort,
  EndpointSubset,
  EndpointSliceResource,
  EndpointsResource,
  GatewayResource,
  GatewayServer,
  GatewayWorkloadResource,
  Located,
  PeerAuthenticationResource,
  SidecarResource,
  PortTrafficPolicy,
  Resource,
  Route,
  RouteDestination,
  RouteMatch,
  ServiceEntryPort,
  ServiceEntryResource,
  ServicePort,
  ServiceResource,
  TlsSettings,
  TrafficPolicy,
  VirtualServiceResource,
} from '../model/resources';
import type { Range } from '../text';
import type { YamlReader } from './yamlReader';

const ISTIO_NETWORKING = /^networking\.istio\.io\/v[0-9a-z]+$/;
const ISTIO_SECURITY = /^security\.istio\.io\/v[0-9a-z]+$/;
const DISCOVERY = /^discovery\.k8s\.io\/v1(beta1)?$/;
/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Reads the resource a document declares; undefined when it has no `kind`. */
export function readResource(y: YamlReader): Resource | undefined {
  const root = y.root();
  const kind = y.str(root, 'kind');
  if (!root || !kind) return undefined;
  const metadata = y.map(root, 'metadata');
  const base = {
    kind,
    ...optional('apiVersion', y.str(root, 'apiVersion')),
    ...optional('name', y.str(metadata, 'name')),
    ...optional('namespace', y.str(metadata, 'namespace')),
  };
  const apiVersion = base.apiVersion?.value;
  const core = apiVersion === undefined || apiVersion === 'v1';
  const istio = apiVersion === undefined || ISTIO_NETWORKING.test(apiVersion);
  const spec = y.map(root, 'spec');
  if (kind.value === 'Service' && core) return readService(y, spec, base, metadata);
  if (kind.value === 'Endpoints' && core) return readEndpoints(y, root, base);
  if (kind.value === 'EndpointSlice' && DISCOVERY.test(apiVersion ?? '')) return readEndpointSlice(y, metadata, base);
  if (kind.value === 'DestinationRule' && istio) return readDestinationRule(y, spec, base);
  if (kind.value === 'ServiceEntry' && istio) return readServiceEntry(y, spec, y.map(root, 'status'), base);
  if (kind.value === 'VirtualService' && istio) return readVirtualService(y, spec, base);
  if (kind.value === 'Gateway' && istio) return readGateway(y, spec, base);
  if (kind.value === 'Sidecar' && istio) return readSidecar(y, spec, base);
  if (kind.value === 'PeerAuthentication' && (apiVersion === undefined || ISTIO_SECURITY.test(apiVersion))) return readPeerAuthentication(y, spec, base);
  if (WORKLOAD_KINDS.has(kind.value)) return readGatewayWorkload(y, root, kind.value, base) ?? { kindName: 'Other', ...base };
  return { kindName: 'Other', ...base };
}

type Base = Pick<Resource, 'kind' | 'apiVersion' | 'name' | 'namespace'>;

/** Spreads `{ key: value }` only when the value is present, so optional fields stay truly absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function items(y: YamlReader, map: YAMLMap | undefined, key: string): { map: YAMLMap; range: Range }[] {
  const out: { map: YAMLMap; range: Range }[] = [];
  for (const node of y.seq(map, key)) {
    const entry = y.asMap(node);
    const range = y.rangeOf(node);
    if (entry && range) out.push({ map: entry, range });
  }
  return out;
}

/** Istio's annotation that limits which namespaces see a Service (`networking.istio.io/exportTo: ".,istio-system"`). */
const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

function readService(y: YamlReader, spec: YAMLMap | undefined, base: Base, metadata: YAMLMap | undefined): ServiceResource {
  const exportTo = y.str(y.map(metadata, 'annotations'), EXPORT_TO_ANNOTATION);
  const ports: ServicePort[] = items(y, spec, 'ports').map(({ map, range }) => ({
    range,
    ...optional('name', y.str(map, 'name')),
    ...optional('port', y.int(map, 'port')),
    ...optional('protocol', y.str(map, 'protocol')),
    ...optional('targetPort', y.intOrString(map, 'targetPort')),
    ...optional('appProtocol', y.str(map, 'appProtocol')),
  }));
  return {
    kindName: 'Service',
    ...base,
    ports,
    exportTo: exportTo
      ? exportTo.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
          .map((value) => ({ value, range: exportTo.range }))
      : [],
    ...optional('type', y.str(spec, 'type')),
    ...optional('externalName', y.str(spec, 'externalName')),
    ...optional('clusterIP', y.str(spec, 'clusterIP')),
    // An empty selector selects nothing: Kubernetes treats it like no selector.
    ...optional('selector', nonEmpty(y.labels(spec, 'selector'))),
    clusterIpFields: CLUSTER_IP_FIELDS.flatMap((key) => {
      const range = y.setKey(spec, key);
      return range ? [{ key, range }] : [];
    }),
  };
}

const CLUSTER_IP_FIELDS = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const;

function readEndpointSlice(y: YamlReader, metadata: YAMLMap | undefined, base: Base): EndpointSliceResource {
  const labels = y.labels(metadata, 'labels');
  const serviceName = labels?.value[SERVICE_NAME_LABEL];
  return { kindName: 'EndpointSlice', ...base, ...optional('serviceName', serviceName === undefined ? undefined : { value: serviceName, range: labels?.range ?? base.kind.range }) };
}

function readEndpoints(y: YamlReader, root: YAMLMap, base: Base): EndpointsResource {
  const ips = (subset: YAMLMap, key: string): Located<string>[] =>
    items(y, subset, key).flatMap(({ map }) => {
      const ip = y.str(map, 'ip');
      return ip ? [ip] : [];
    });
  const subsets: EndpointSubset[] = items(y, root, 'subsets').map(({ map }) => ({
    addresses: ips(map, 'addresses'),
    notReadyAddresses: ips(map, 'notReadyAddresses'),
    ports: items(y, map, 'ports').map(({ map: port, range }): EndpointPort => ({
      range,
      ...optional('name', y.str(port, 'name')),
      ...optional('port', y.int(port, 'port')),
      ...optional('protocol', y.str(port, 'protocol')),
    })),
  }));
  return { kindName: 'Endpoints', ...base, subsets };
}

function readTls(y: YamlReader, policy: YAMLMap | undefined): TlsSettings | undefined {
  const tls = y.map(policy, 'tls');
  const keyRange = y.keyRange(policy, 'tls');
  if (!tls || !keyRange) return undefined;
  return {
    keyRange,
    ...optional('mode', y.str(tls, 'mode')),
    ...optional('credentialName', y.str(tls, 'credentialName')),
    ...optional('clientCertificate', y.str(tls, 'clientCertificate')),
    ...optional('privateKey', y.str(tls, 'privateKey')),
    ...optional('caCertificates', y.str(tls, 'caCertificates')),
    ...optional('insecureSkipVerify', y.bool(tls, 'insecureSkipVerify')),
    ...optional('sni', y.str(tls, 'sni')),
  };
}

function readConsecutiveErrors(y: YamlReader, policy: YAMLMap | undefined): DeprecatedConsecutiveErrors | undefined {
  const outlier = y.map(policy, 'outlierDetection');
  const field = y.int(outlier, 'consecutiveErrors');
  return field && { field, withGatewayErrors: y.node(outlier, 'consecutiveGatewayErrors') !== undefined };
}

function readTrafficPolicy(y: YamlReader, policy: YAMLMap | undefined): TrafficPolicy | undefined {
  if (!policy) return undefined;
  const portLevelSettings: PortTrafficPolicy[] = items(y, policy, 'portLevelSettings').map(({ map, range }) => ({
    range,
    ...optional('port', y.int(y.map(map, 'port'), 'number')),
    ...optional('tls', readTls(y, map)),
    ...optional('consecutiveErrors', readConsecutiveErrors(y, map)),
  }));
  return { portLevelSettings, ...optional('tls', readTls(y, policy)), ...optional('consecutiveErrors', readConsecutiveErrors(y, policy)) };
}

function readDestinationRule(y: YamlReader, spec: YAMLMap | undefined, base: Base): DestinationRuleResource {
  return {
    kindName: 'DestinationRule',
    ...base,
    ...optional('host', y.str(spec, 'host')),
    ...optional('trafficPolicy', readTrafficPolicy(y, y.map(spec, 'trafficPolicy'))),
    subsets: items(y, spec, 'subsets').map(({ map }) => ({
      ...optional('name', y.str(map, 'name')),
      ...optional('labels', nonEmpty(y.labels(map, 'labels'))),
      ...optional('trafficPolicy', readTrafficPolicy(y, y.map(map, 'trafficPolicy'))),
    })),
    exportTo: y.strings(spec, 'exportTo'),
    ...optional('workloadSelector', y.labels(y.map(spec, 'workloadSelector'), 'matchLabels')),
  };
}

/** A ServiceEntry endpoint's `ports` map (port name to number), the numbers with their ranges. */
function endpointPorts(y: YamlReader, ports: YAMLMap | undefined): { name: string; port: Located<number> }[] {
  return (ports?.items ?? []).flatMap((item) => {
    const name = isScalar(item.key) ? String(item.key.value) : undefined;
    const port = name === undefined ? undefined : y.int(ports, name);
    return name !== undefined && port ? [{ name, port }] : [];
  });
}

function readServiceEntry(y: YamlReader, spec: YAMLMap | undefined, status: YAMLMap | undefined, base: Base): ServiceEntryResource {
  const ports: ServiceEntryPort[] = items(y, spec, 'ports').map(({ map, range }) => ({
    range,
    ...optional('number', y.int(map, 'number')),
    ...optional('name', y.str(map, 'name')),
    ...optional('protocol', y.str(map, 'protocol')),
    ...optional('targetPort', y.int(map, 'targetPort')),
  }));
  return {
    kindName: 'ServiceEntry',
    ...base,
    hosts: y.strings(spec, 'hosts'),
    addresses: y.strings(spec, 'addresses'),
    // What the address auto-allocation controller wrote: `status: {addresses: [{value: 240.240.0.1, host: …}]}`.
    statusAddresses: items(y, status, 'addresses').flatMap(({ map }) => y.str(map, 'value') ?? []),
    endpoints: items(y, spec, 'endpoints').map(({ map, range }) => ({
      range,
      ...optional('address', y.str(map, 'address')),
      ...optional('network', y.str(map, 'network')),
      ...optional('labels', nonEmpty(y.labels(map, 'labels'))),
      ports: endpointPorts(y, y.map(map, 'ports')),
    })),
    ...optional('endpointsKey', y.setKey(spec, 'endpoints')),
    ...optional('workloadSelectorKey', y.setKey(spec, 'workloadSelector')),
    ports,
    exportTo: y.strings(spec, 'exportTo'),
    ...optional('location', y.str(spec, 'location')),
    ...optional('resolution', y.str(spec, 'resolution')),
  };
}

function readVirtualService(y: YamlReader, spec: YAMLMap | undefined, base: Base): VirtualServiceResource {
  const routes: Route[] = [];
  const delayPercents: Located<number>[] = [];
  const destinationOf = (destination: YAMLMap | undefined): RouteDestination[] =>
    destination
      ? [
          {
            ...optional('range', y.rangeOf(destination)),
            ...optional('host', y.str(destination, 'host')),
            ...optional('port', y.int(y.map(destination, 'port'), 'number')),
            ...optional('subset', y.str(destination, 'subset')),
          },
        ]
      : [];
  for (const section of ['http', 'tls', 'tcp'] as const) {
    for (const { map: route, range } of items(y, spec, section)) {
      const weighted = items(y, route, 'route');
      const withoutDestination: Route['withoutDestination'][number][] = [];
      const destinations = weighted.flatMap(({ map, range: at }) => {
        const found = destinationOf(y.map(map, 'destination'));
        if (found.length === 0) withoutDestination.push({ range: at, mirror: false });
        return found;
      });
      // An http route's mirror is a destination too (its subset must exist like any other), and so is each of its
      // `mirrors` (Istio 1.22+: several mirrors, each with its own destination).
      if (section === 'http') {
        destinations.push(...destinationOf(y.map(route, 'mirror')));
        for (const { map: mirror, range: at } of items(y, route, 'mirrors')) {
          const found = destinationOf(y.map(mirror, 'destination'));
          if (found.length === 0) withoutDestination.push({ range: at, mirror: true });
          destinations.push(...found);
        }
      }
      const matches = items(y, route, 'match').map(({ map }): RouteMatch => ({ gateways: y.strings(map, 'gateways'), ...optional('port', y.int(map, 'port')) }));
      // A key present but not a list (a template, an alias) is not judged as missing.
      const routeKey = y.node(route, 'route');
      const hasTarget =
        weighted.length > 0 ||
        (routeKey !== undefined && !isSeq(routeKey)) ||
        (section === 'http' && (y.node(route, 'redirect') !== undefined || y.node(route, 'directResponse') !== undefined || y.node(route, 'delegate') !== undefined));
      routes.push({ section, matches, destinations, range, hasTarget, withoutDestination });
      const percent = section === 'http' ? y.int(y.map(y.map(route, 'fault'), 'delay'), 'percent') : undefined;
      if (percent) delayPercents.push(percent);
    }
  }
  return {
    kindName: 'VirtualService',
    ...base,
    hosts: y.strings(spec, 'hosts'),
    gateways: y.strings(spec, 'gateways'),
    destinations: routes.flatMap((r) => r.destinations),
    routes,
    exportTo: y.strings(spec, 'exportTo'),
    delayPercents,
  };
}

function readGateway(y: YamlReader, spec: YAMLMap | undefined, base: Base): GatewayResource {
  const servers = items(y, spec, 'servers').map(({ map, range }): GatewayServer => {
    const port = y.map(map, 'port');
    return {
      range,
      hosts: y.strings(map, 'hosts'),
      ...optional('port', y.int(port, 'number')),
      ...optional('portName', y.str(port, 'name')),
      ...optional('protocol', y.str(port, 'protocol')),
      ...optional('tlsMode', y.str(y.map(map, 'tls'), 'mode')),
      ...optional('tlsKey', y.setKey(map, 'tls')),
    };
  });
  return { kindName: 'Gateway', ...base, servers, ...optional('selector', nonEmpty(y.labels(spec, 'selector'))) };
}

function readSidecar(y: YamlReader, spec: YAMLMap | undefined, base: Base): SidecarResource {
  const outbound = y.map(spec, 'outboundTrafficPolicy');
  return {
    kindName: 'Sidecar',
    ...base,
    egressHosts: items(y, spec, 'egress').flatMap(({ map }) => y.strings(map, 'hosts')),
    ...optional('workloadSelector', nonEmpty(y.labels(y.map(spec, 'workloadSelector'), 'labels'))),
    ...optional('outboundMode', y.str(outbound, 'mode')),
    ...optional('egressProxyKey', y.setKey(outbound, 'egressProxy')),
  };
}

function readPeerAuthentication(y: YamlReader, spec: YAMLMap | undefined, base: Base): PeerAuthenticationResource {
  const portLevel = y.map(spec, 'portLevelMtls');
  const portLevelMtls: PeerAuthenticationResource['portLevelMtls'][number][] = [];
  // Keyed by port number: `portLevelMtls: {8080: {mode: DISABLE}}`.
  for (const pair of portLevel?.items ?? []) {
    const range = isScalar(pair.key) ? y.rangeOf(pair.key) : undefined;
    const number = isScalar(pair.key) ? Number(pair.key.value) : NaN;
    if (!range || !Number.isInteger(number)) continue;
    portLevelMtls.push({ port: { value: number, range }, ...optional('mode', y.str(isMap(pair.value) ? pair.value : undefined, 'mode')) });
  }
  return {
    kindName: 'PeerAuthentication',
    ...base,
    portLevelMtls,
    ...optional('selector', nonEmpty(y.labels(y.map(spec, 'selector'), 'matchLabels'))),
    ...optional('mtlsMode', y.str(y.map(spec, 'mtls'), 'mode')),
  };
}

/** The workload kinds whose pods may run a gateway proxy. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);

/** Istio's injection template for gateways (`inject.istio.io/templates: gateway`), or its proxy image. */
const GATEWAY_TEMPLATE = /(^|,)\s*gateway\s*(,|$)/;
const PROXY_IMAGE = /(^|\/)proxyv2(:|@|$)/;
/** The container a gateway proxy runs (written out only for gateways: sidecars are injected later). */
const PROXY_CONTAINER = 'istio-proxy';
/** Labels of the gateways Istio deploys itself for Kubernetes Gateway API resources (waypoints among them). */
const MANAGED_GATEWAY_LABELS = ['gateway.istio.io/managed', 'gateway.networking.k8s.io/gateway-name'];

/** A workload read only when its pods run a gateway proxy that the files deploy; undefined for any other. */
function readGatewayWorkload(y: YamlReader, root: YAMLMap, kind: string, base: Base): GatewayWorkloadResource | undefined {
  const pod = kind === 'Pod' ? root : y.map(y.map(root, 'spec'), 'template');
  const metadata = y.map(pod, 'metadata');
  const podLabels = y.labels(metadata, 'labels');
  const ownLabels = y.labels(y.map(root, 'metadata'), 'labels');
  if (MANAGED_GATEWAY_LABELS.some((label) => podLabels?.value[label] !== undefined || ownLabels?.value[label] !== undefined)) return undefined;
  const template = y.str(y.map(metadata, 'annotations'), 'inject.istio.io/templates')?.value ?? '';
  const containers = items(y, y.map(pod, 'spec'), 'containers').map(({ map }) => ({ name: y.str(map, 'name')?.value, image: y.str(map, 'image')?.value ?? '' }));
  if (!GATEWAY_TEMPLATE.test(template) && !containers.some((c) => c.name === PROXY_CONTAINER || PROXY_IMAGE.test(c.image))) return undefined;
  return { kindName: 'GatewayWorkload', ...base, ...optional('podLabels', podLabels) };
}

function nonEmpty<T extends { value: Readonly<Record<string, string>> }>(labels: T | undefined): T | undefined {
  return labels && Object.keys(labels.value).length ? labels : undefined;
}
