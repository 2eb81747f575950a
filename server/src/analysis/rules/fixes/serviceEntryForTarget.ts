import type { DestinationRuleResource, ServiceResource } from '../../model/resources';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeEdit, RelativeFix } from '../../edits';
import { appendDocumentAfter } from './appendDocument';
import { entryName, entryPorts, serviceEntryYaml } from './serviceEntryYaml';

/** The ServiceEntry that registers an ExternalName Service's target, with the Service's ports. */
export function targetEntryYaml(service: ServiceResource, target: string, namespace: string | undefined): string {
  return serviceEntryYaml({ name: entryName(target), ...(namespace ? { namespace } : {}), hosts: [target], resolution: 'DNS', ports: entryPorts(service) });
}

/**
 * The quick fix for a DestinationRule on an ExternalName Service (EGR401): point the rule at the target host and,
 * unless a ServiceEntry registers the target already, add one right after the rule.
 */
export function moveRuleToTarget(rule: PlacedResource<DestinationRuleResource>, service: ServiceResource, target: string, targetRegistered: boolean): RelativeFix | undefined {
  const host = rule.resource.host;
  if (!host || !target) return undefined;
  const edits: RelativeEdit[] = [{ at: rule, range: host.range, newText: target }];
  if (!targetRegistered) edits.push(appendDocumentAfter(rule, targetEntryYaml(service, target, rule.resource.namespace?.value)));
  return {
    title: targetRegistered ? `Move this DestinationRule to '${target}'` : `Register '${target}' with a ServiceEntry and move this DestinationRule to it`,
    edits,
    preferred: true,
  };
}
