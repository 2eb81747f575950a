import { carriesTls, protocolOfPortName } from '../model/protocols';
import { isExternalService, isMeshExternalEntry, type Destination } from './destinations';

export interface ModeAdvice {
  readonly mode: 'DISABLE' | 'SIMPLE';
  readonly why: string;
  /** Whether the destination is outside the mesh (ISTIO_MUTUAL would break it). */
  readonly external: boolean;
}

/**
 * The TLS mode that fits traffic toward a destination: DISABLE when the workload already speaks TLS (a `tls`/`https`
 * port), SIMPLE when it speaks HTTP to an external 443 (TLS origination); undefined when the ports do not tell
 * (docs/istio-behaviour.md#tls-from-the-workload-or-from-the-sidecar).
 */
export function recommendedMode(target: Destination | undefined, port: number | undefined): ModeAdvice | undefined {
  if (target?.kind === 'service') {
    const service = target.service.resource;
    const external = isExternalService(service);
    const ports = service.ports.filter((p) => port === undefined || p.port?.value === port);
    if (ports.some(carriesTls)) return { mode: 'DISABLE', why: 'the port says the workload already speaks TLS', external };
    if (external && ports.some((p) => protocolOfPortName(p.name?.value)?.startsWith('http') && (p.targetPort?.value === 443 || p.port?.value === 443))) {
      return { mode: 'SIMPLE', why: 'the workload speaks HTTP to an external 443', external };
    }
    return external ? { mode: 'DISABLE', why: 'endpoints outside the mesh take no Istio mutual TLS', external } : undefined;
  }
  if (target?.kind === 'serviceEntry') {
    const external = isMeshExternalEntry(target.entry.resource);
    const ports = target.entry.resource.ports.filter((p) => port === undefined || p.number?.value === port);
    if (ports.some((p) => p.protocol?.value === 'HTTP' && p.targetPort?.value === 443)) return { mode: 'SIMPLE', why: 'the port carries HTTP to an external 443', external };
    if (ports.some((p) => p.protocol?.value === 'HTTPS' || p.protocol?.value === 'TLS')) return { mode: 'DISABLE', why: 'the workload already sends TLS on this port', external };
    return external ? { mode: 'DISABLE', why: 'the host is outside the mesh', external } : undefined;
  }
  return undefined;
}
