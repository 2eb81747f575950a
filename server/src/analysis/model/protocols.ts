import type { ServicePort } from './resources';

/** Protocols Istio selects from a port name `<protocol>[-suffix]` (RULES.md C IST0118). */
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
