/**
 * Which namespaces see a resource (docs/istio-behaviour.md, "Visibility"): `exportTo` on ServiceEntries,
 * DestinationRules and VirtualServices, and the annotation `networking.istio.io/exportTo` on Services. `*` is every
 * namespace, `.` the resource's own, `~` none, any other value a namespace; an empty list is every namespace (Istio's
 * default export, unless the mesh configuration changes it).
 */
import { holdsPlaceholder } from '../documents/templates';
import { namespaceOf, type Resource } from './resources';

export function exportedTo(exportTo: readonly string[], own: string, namespace: string): boolean {
  if (exportTo.length === 0) return true;
  // A value still to be filled in could name any namespace.
  return exportTo.some((e) => e === '*' || e === namespace || (e === '.' && own === namespace) || holdsPlaceholder(e));
}

/** Whether clients in `namespace` see `resource`. */
export function visibleIn(resource: Resource, namespace: string): boolean {
  if (!('exportTo' in resource)) return true;
  return exportedTo(
    resource.exportTo.map((e) => e.value),
    namespaceOf(resource),
    namespace,
  );
}
