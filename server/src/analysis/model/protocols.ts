import type { ServicePort } from './resources';

/** Protocols Istio selects from a port name `<protocol>[-suffix]` (docs/istio-behaviour.md#port-names-select-the-protocol). */
export const ISTIO_PORT_PROTOCOLS = ['grpc', 'grpc-web', 'http', 'http2', 'https', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

export function protocolOfPortName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  return ISTIO_PORT_PROTOCOLS.filter((p) => lower === p || lower.startsWith(`${p}-`)).sort((a, b) => b.length - a.length)[0];
}

/** Whether the workload itself speaks TLS on this port (its name or appProtocol says so). */
export function carriesTls(port: ServicePort): boolean {
  const app = port.appProtocol?.value.toLowerCase();
  if (app === 'https' || app === 'tls') return true;
  const protocol = protocolOfPortName(port.name?.value);
  return protocol === 'https' || protocol === 'tls';
}

/** Istio's protocol names as a ServiceEntry port writes them, by the lower-case name prefix. */
const ENTRY_PROTOCOL: Readonly<Record<string, string>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  https: 'HTTPS',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-Web',
  tls: 'TLS',
  tcp: 'TCP',
  udp: 'UDP',
  mongo: 'MONGO',
  mysql: 'MYSQL',
  redis: 'REDIS',
};

/** Kubernetes' standard appProtocol values, which Istio maps itself (pilot's kube ConvertProtocol). */
const KUBERNETES_APP_PROTOCOL: Readonly<Record<string, string>> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

/**
 * The protocol Istio gives a Service port, as a ServiceEntry port spells it: UDP when declared so, else from
 * appProtocol, else from the port name; TCP when neither names one.
 */
export function entryProtocolOf(port: ServicePort): string {
  if (port.protocol?.value === 'UDP') return 'UDP';
  const app = port.appProtocol?.value.toLowerCase();
  const fromApp = app && (KUBERNETES_APP_PROTOCOL[app] ?? ENTRY_PROTOCOL[protocolOfPortName(app) ?? '']);
  if (fromApp) return fromApp;
  return ENTRY_PROTOCOL[protocolOfPortName(port.name?.value) ?? 'tcp'] ?? 'TCP';
}
