import { serviceFqdn } from '../model/hosts';
import { namespaceOf, type EndpointSubset, type ServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import { entryPorts, serviceEntryYaml, type EntryEndpoint, type EntryPort } from '../rules/fixes/serviceEntryYaml';
import type { RelativeEdit, RelativeFix } from '../edits';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { deleteDocument, replaceDocument } from './documentEdits';

/**
 * Why the entry keeps the Service's cluster name as its host, said in the YAML itself: workloads keep their URLs,
 * but once the Service is gone cluster DNS no longer answers for the name. Istio's DNS proxy answers for a
 * ServiceEntry host only when it has an address to give (istio.io "DNS Proxying"; pkg/dns/server/name_table.go
 * skips a STATIC entry without one), and only for the exact host (short names are a Kubernetes-Service privilege).
 */
const HOST_COMMENT = [
  'The Service is gone, so cluster DNS no longer answers for this name: workloads resolve it only through',
  "Istio's DNS proxy (ISTIO_META_DNS_CAPTURE) with address auto-allocation, and only by this full name.",
];

/**
 * The entry ports of one Endpoints subset that listen on another number than the Service port: Kubernetes pairs
 * Service and Endpoints ports by name, and so does the entry's per-endpoint `ports` map
 * (docs/istio-behaviour.md#services-without-selectors-and-their-endpoints).
 */
function portOverrides(subset: EndpointSubset, service: ServiceResource, ports: readonly EntryPort[]): Record<string, number> {
  const overrides: Record<string, number> = {};
  service.ports.forEach((servicePort, i) => {
    const entryPort = ports[i];
    const name = servicePort.name?.value;
    const match = subset.ports.find((p) => p.name?.value === name) ?? (subset.ports.length === 1 && !name ? subset.ports[0] : undefined);
    const number = match?.port?.value;
    if (entryPort && number !== undefined && number !== entryPort.number) overrides[entryPort.name] = number;
  });
  return overrides;
}

/** The ready addresses of every Endpoints of the Service, each once, with its port numbers where they differ. */
function entryEndpoints(subsets: readonly EndpointSubset[], service: ServiceResource, ports: readonly EntryPort[]): EntryEndpoint[] {
  const seen = new Set<string>();
  const out: EntryEndpoint[] = [];
  for (const subset of subsets) {
    const overrides = portOverrides(subset, service, ports);
    for (const address of subset.addresses) {
      const key = `${address.value} ${JSON.stringify(overrides)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ address: address.value, ...(Object.keys(overrides).length ? { ports: overrides } : {}) });
    }
  }
  return out;
}

/**
 * Selector-less Service + Endpoints → ServiceEntry (resolution STATIC) with the Endpoints' IPs as endpoints; the
 * Service and its Endpoints go. The entry's host is the Service's cluster name, so DestinationRules on it — short or
 * FQDN — keep applying unchanged, DISABLE guards included (a broader ISTIO_MUTUAL rule may exist in the cluster only).
 */
export function endpointsToEntry(service: PlacedResource<ServiceResource>, index: WorkspaceIndex, options: AnalysisOptions): RelativeFix | undefined {
  const r = service.resource;
  const name = r.name?.value;
  if (!name) return undefined;
  const namespace = namespaceOf(r);
  const host = serviceFqdn(name, namespace, options.clusterDomain);
  // Another ServiceEntry claiming the name already would make two owners of one host.
  if (index.hostRegistered(host)) return undefined;
  const endpointsDocs = index.endpointsOf(namespace, name);
  const ports = entryPorts(r);
  const endpoints = entryEndpoints(
    endpointsDocs.flatMap((e) => e.resource.subsets),
    r,
    ports,
  );
  if (endpoints.length === 0) return undefined;
  const yaml = serviceEntryYaml({
    name,
    ...(r.namespace ? { namespace: r.namespace.value } : {}),
    hostsComment: HOST_COMMENT,
    hosts: [host],
    resolution: 'STATIC',
    ports,
    endpoints,
  });
  const edits: RelativeEdit[] = [replaceDocument(service, yaml), ...endpointsDocs.map(deleteDocument)];
  return {
    title: `Convert to a ServiceEntry with the Endpoints' IPs: workloads keep calling ${host}, which then resolves only with Istio DNS proxying and address auto-allocation`,
    edits,
  };
}
