import { namespaceOf, type DestinationRuleResource, type ServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import { destinationOf } from '../workspace/destinations';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** The DestinationRules whose host names this Service, in any of the forms Istio accepts (short or FQDN). */
export function rulesOnService(service: PlacedResource<ServiceResource>, index: WorkspaceIndex, options: AnalysisOptions): PlacedResource<DestinationRuleResource>[] {
  const name = service.resource.name?.value;
  const namespace = namespaceOf(service.resource);
  return index.destinationRules.filter((rule) => {
    const destination = destinationOf(rule, index, options);
    if (destination?.kind !== 'service') return false;
    const target = destination.service.resource;
    return target.name?.value === name && namespaceOf(target) === namespace;
  });
}
