import { protocolOfPortName } from '../analysis/model/protocols';
import type { LivePort } from './kubeObjects';

export type PortKind = 'http' | 'tls' | 'other';

/**
 * Which curl probe fits a port. The protocol comes from the same reading the analysis uses (appProtocol, else the
 * port name's `<protocol>[-suffix]`); unnamed or unknown ports are TLS on 443 by convention, else tried as plain HTTP.
 */
export function portKind(port: LivePort): PortKind {
  if (port.protocol.toUpperCase() !== 'TCP') return 'other';
  const app = port.appProtocol?.toLowerCase();
  const protocol = app === 'kubernetes.io/h2c' ? 'http2' : protocolOfPortName(app ?? port.name);
  if (protocol === 'tls' || protocol === 'https') return 'tls';
  if (protocol === 'http' || protocol === 'http2') return 'http';
  if (protocol || app) return 'other';
  return port.port === 443 ? 'tls' : 'http';
}

export function describePort(port: LivePort): string {
  return port.name ? `${port.port}/${port.name}` : String(port.port);
}
