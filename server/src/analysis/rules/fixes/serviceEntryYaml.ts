import { entryProtocolOf } from '../../model/protocols';
import type { ServiceResource } from '../../model/resources';
import { metadataLines } from './appendDocument';

export interface EntryPort {
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
}

export interface EntryEndpoint {
  readonly address: string;
  /** Port number per entry port name, only where the endpoint listens on another number than the entry port. */
  readonly ports?: Readonly<Record<string, number>>;
}

/** What a new MESH_EXTERNAL ServiceEntry says. */
export interface ServiceEntryDraft {
  readonly name: string;
  readonly namespace?: string;
  readonly hosts: readonly string[];
  readonly resolution: 'DNS' | 'STATIC';
  readonly ports: readonly EntryPort[];
  readonly endpoints?: readonly EntryEndpoint[];
  /** Comment lines (without `#`) written above `hosts`, for what the reader must know about them. */
  readonly hostsComment?: readonly string[];
}

/** A DNS-1123 name for a new ServiceEntry, made from a host. */
export function entryName(host: string): string {
  return (
    host
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'external-host'
  );
}

/** A Service's ports as ServiceEntry ports: number, name and the protocol Istio read from the Service. */
export function entryPorts(service: ServiceResource): EntryPort[] {
  // An ExternalName Service may have no ports (docs/istio-behaviour.md#externalname-services-in-kubernetes);
  // a ServiceEntry needs one, so HTTP 80 stands in.
  if (service.ports.length === 0) return [{ number: 80, name: 'http', protocol: 'HTTP' }];
  return service.ports.map((port) => {
    const number = port.port?.value ?? 80;
    const protocol = entryProtocolOf(port);
    return { number, name: port.name?.value || `${protocol.toLowerCase()}-${number}`, protocol };
  });
}

/** The YAML of a ServiceEntry document, ending in a newline. */
export function serviceEntryYaml(draft: ServiceEntryDraft): string {
  const lines = [
    'apiVersion: networking.istio.io/v1',
    'kind: ServiceEntry',
    ...metadataLines(draft.name, draft.namespace),
    'spec:',
    ...(draft.hostsComment ?? []).map((line) => `  # ${line}`),
    '  hosts:',
    ...draft.hosts.map((host) => `  - ${host}`),
    '  location: MESH_EXTERNAL',
    `  resolution: ${draft.resolution}`,
    '  ports:',
  ];
  for (const port of draft.ports) lines.push(`  - number: ${port.number}`, `    name: ${port.name}`, `    protocol: ${port.protocol}`);
  if (draft.endpoints?.length) lines.push('  endpoints:');
  for (const endpoint of draft.endpoints ?? []) {
    // An IPv6 address is quoted: YAML 1.1 readers may take colon-separated digits for a number.
    lines.push(`  - address: ${endpoint.address.includes(':') ? JSON.stringify(endpoint.address) : endpoint.address}`);
    const ports = Object.entries(endpoint.ports ?? {});
    if (ports.length) lines.push('    ports:', ...ports.map(([name, number]) => `      ${name}: ${number}`));
  }
  return `${lines.join('\n')}\n`;
}
