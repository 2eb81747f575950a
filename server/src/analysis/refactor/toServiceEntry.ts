import type { ServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { RelativeFix } from '../edits';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { externalNameToEntry } from './externalNameEntry';
import { endpointsToEntry } from './staticEntry';

/**
 * The refactoring "convert this Service to a ServiceEntry" (issue 14), as edits relative to the resources it touches:
 * an ExternalName Service becomes a DNS entry for its target, a selector-less Service with Endpoints a STATIC entry
 * with their IPs. Undefined for a Service the rewrite does not fit (one with a selector, NodePort, no Endpoints…).
 */
export function serviceToServiceEntry(service: PlacedResource<ServiceResource>, index: WorkspaceIndex, options: AnalysisOptions): RelativeFix | undefined {
  const r = service.resource;
  if (!r.name) return undefined;
  if (r.type?.value === 'ExternalName') return externalNameToEntry(service, index, options);
  // NodePort and LoadBalancer Services also expose something to the outside; a ServiceEntry would drop that.
  const clusterIpOnly = r.type === undefined || r.type.value === 'ClusterIP';
  if (r.selector === undefined && clusterIpOnly) return endpointsToEntry(service, index, options);
  return undefined;
}
