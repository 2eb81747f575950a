/** Which curl probe fits a Service port, read the way Istio reads protocols: port name prefix, then appProtocol. */
import type { LivePort } from './kubeObjects';

export type PortKind = 'http' | 'tls' | 'other';

const TLS_NAMES = ['tls', 'https'];
const HTTP_NAMES = ['http', 'http2', 'h2c'];
const OTHER_NAMES = ['tcp', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'udp'];

function prefixOf(name: string): string {
  // Istio's convention: `<protocol>[-<suffix>]`.
  return name.toLowerCase().split('-')[0] ?? '';
}

export function portKind(port: LivePort): PortKind {
  if (port.protocol.toUpperCase() !== 'TCP') return 'other';
  const app = port.appProtocol?.toLowerCase();
  if (app === 'https' || app === 'tls') return 'tls';
  if (app === 'http' || app === 'http2' || app === 'kubernetes.io/h2c') return 'http';
  if (app) return 'other';
  const prefix = port.name ? prefixOf(port.name) : '';
  if (TLS_NAMES.includes(prefix)) return 'tls';
  if (HTTP_NAMES.includes(prefix)) return 'http';
  if (OTHER_NAMES.includes(prefix)) return 'other';
  // Unnamed or unknown names: 443 is TLS by convention, anything else is tried as plain HTTP.
  return port.port === 443 ? 'tls' : 'http';
}

export function describePort(port: LivePort): string {
  return port.name ? `${port.port}/${port.name}` : String(port.port);
}
