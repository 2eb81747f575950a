import { expandHost, plainHost } from '../model/hosts';
import { namespaceOf, type ServiceResource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import { externalNameProblem } from '../model/externalName';
import { entryName, entryPorts, serviceEntryYaml } from '../rules/fixes/serviceEntryYaml';
import type { RelativeEdit, RelativeFix } from '../edits';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { deleteDocument, replaceDocument } from './documentEdits';
import { rulesOnService } from './rulesOnService';

/** Namespaces whose DestinationRules already configure `host` (Istio merges a second rule for it there). */
function namespacesWithRuleFor(host: string, index: WorkspaceIndex, options: AnalysisOptions): Set<string> {
  const namespaces = new Set<string>();
  for (const rule of index.destinationRules) {
    const written = rule.resource.host?.value;
    const namespace = namespaceOf(rule.resource);
    if (written && expandHost(written, namespace, options.clusterDomain) === host) namespaces.add(namespace);
  }
  return namespaces;
}

/**
 * ExternalName Service → ServiceEntry for its target (resolution DNS), the Service's ports kept. A DestinationRule on
 * the alias — dead since Istio 1.21 (docs/rules/EGR401.md) — moves to the target with its traffic policy untouched,
 * unless its namespace already has a rule for the target: a second one would only be merged away, so it is removed
 * instead.
 */
export function externalNameToEntry(service: PlacedResource<ServiceResource>, index: WorkspaceIndex, options: AnalysisOptions): RelativeFix | undefined {
  const r = service.resource;
  const target = r.externalName ? plainHost(r.externalName.value) : undefined;
  if (!target || externalNameProblem(target)) return undefined;
  // A ServiceEntry registering the target already exists: the Service then only goes.
  const registered = index.hostRegistered(target);
  const entry = serviceEntryYaml({
    name: entryName(target),
    ...(r.namespace ? { namespace: r.namespace.value } : {}),
    hosts: [target],
    resolution: 'DNS',
    ports: entryPorts(r),
  });
  const edits: RelativeEdit[] = [registered ? deleteDocument(service) : replaceDocument(service, entry)];
  const claimed = namespacesWithRuleFor(target, index, options);
  let moved = 0;
  let removed = 0;
  for (const rule of rulesOnService(service, index, options)) {
    const namespace = namespaceOf(rule.resource);
    if (claimed.has(namespace) || !rule.resource.host) {
      edits.push(deleteDocument(rule));
      removed++;
    } else {
      edits.push({ at: rule, range: rule.resource.host.range, newText: target });
      moved++;
    }
    claimed.add(namespace);
  }
  const what = registered ? `Remove this alias ('${target}' has a ServiceEntry already)` : `Convert to a ServiceEntry for '${target}'`;
  const rulesNote = [
    moved ? `move ${plural(moved, 'DestinationRule')} to '${target}'` : '',
    removed ? `remove ${plural(removed, 'DestinationRule')} ('${target}' has one already)` : '',
  ].filter(Boolean);
  const withRules = rulesNote.length ? ` and ${rulesNote.join(' and ')}` : '';
  return { title: `${what}${withRules}: workloads then call ${target}, not ${r.name?.value ?? 'the alias'}`, edits };
}

function plural(count: number, noun: string): string {
  return count === 1 ? `its ${noun}` : `its ${count} ${noun}s`;
}
