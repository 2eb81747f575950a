import { resourceHead, type Metadata } from './metadata';
import { indent, listItem, mapping } from './yamlLines';

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort?: number;
}

/** Neither `externalName` nor `selector`: a selector-less Service, whose Endpoints are written by hand. */
export interface ServiceSpec {
  readonly metadata: Metadata;
  readonly externalName?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
}

function servicePortsLines(ports: readonly ServicePort[]): string[] {
  return ['ports:', ...ports.flatMap((p) => listItem([`name: ${p.name}`, `port: ${p.port}`, ...(p.targetPort === undefined ? [] : [`targetPort: ${p.targetPort}`])]))];
}

export function service({ metadata, externalName, selector, ports }: ServiceSpec): string[] {
  const spec = [
    ...(externalName === undefined ? [] : ['type: ExternalName', `externalName: ${externalName}`]),
    ...(selector ? mapping('selector', selector) : []),
    ...servicePortsLines(ports),
  ];
  return [...resourceHead('v1', 'Service', metadata), 'spec:', ...indent(spec)];
}

export interface EndpointsSpec {
  readonly metadata: Metadata;
  readonly addresses: readonly string[];
  readonly ports: readonly Omit<ServicePort, 'targetPort'>[];
}

/** Endpoints of one subset. */
export function endpoints({ metadata, addresses, ports }: EndpointsSpec): string[] {
  const subset = ['addresses:', ...addresses.map((ip) => `- ip: ${ip}`), 'ports:', ...ports.flatMap((p) => listItem([`name: ${p.name}`, `port: ${p.port}`]))];
  return [...resourceHead('v1', 'Endpoints', metadata), 'subsets:', ...listItem(subset)];
}
