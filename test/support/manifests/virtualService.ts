import { ISTIO_NETWORKING, resourceHead, type Metadata } from './metadata';
import { indent, listItem, sequence } from './yamlLines';

export interface VirtualServiceSpec {
  readonly metadata: Metadata;
  readonly hosts: readonly string[];
  /** One HTTP route per entry, each to one destination host (written as given). */
  readonly httpRouteHosts: readonly string[];
}

export function httpRoutesLines(destinationHosts: readonly string[]): string[] {
  return ['http:', ...destinationHosts.flatMap((host) => listItem(['route:', ...listItem(['destination:', `  host: ${host}`])]))];
}

export function virtualService({ metadata, hosts, httpRouteHosts }: VirtualServiceSpec): string[] {
  return [...resourceHead(ISTIO_NETWORKING, 'VirtualService', metadata), 'spec:', ...indent([...sequence('hosts', hosts), ...httpRoutesLines(httpRouteHosts)])];
}
