import { ISTIO_NETWORKING, resourceHead, type Metadata } from './metadata';
import { indent, listItem, sequence } from './yamlLines';

export interface ServiceEntryPort {
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
}

export interface ServiceEntrySpec {
  readonly metadata: Metadata;
  /** Written as given: quote a wildcard (`"*.example.com"`), or it reads as an alias. */
  readonly hosts: readonly string[];
  readonly addresses?: readonly string[];
  readonly location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  readonly resolution?: 'DNS' | 'STATIC' | 'NONE';
  readonly ports: readonly ServiceEntryPort[];
  readonly endpoints?: readonly string[];
  readonly exportTo?: readonly string[];
}

function serviceEntryPortsLines(ports: readonly ServiceEntryPort[]): string[] {
  return ['ports:', ...ports.flatMap((p) => listItem([`number: ${p.number}`, `name: ${p.name}`, `protocol: ${p.protocol}`]))];
}

export function serviceEntryEndpointsLines(addresses: readonly string[]): string[] {
  return ['endpoints:', ...addresses.map((a) => `- address: ${a}`)];
}

export function serviceEntry({ metadata, hosts, addresses, location, resolution, ports, endpoints, exportTo }: ServiceEntrySpec): string[] {
  const spec = [
    ...sequence('hosts', hosts),
    ...(addresses?.length ? sequence('addresses', addresses) : []),
    ...(location === undefined ? [] : [`location: ${location}`]),
    ...(resolution === undefined ? [] : [`resolution: ${resolution}`]),
    ...serviceEntryPortsLines(ports),
    ...(endpoints?.length ? serviceEntryEndpointsLines(endpoints) : []),
    ...(exportTo ? sequence('exportTo', exportTo) : []),
  ];
  return [...resourceHead(ISTIO_NETWORKING, 'ServiceEntry', metadata), 'spec:', ...indent(spec)];
}
