import { namespaceOf } from '../model/resources';
import type { Ask } from './relation';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * The sentence that says why a host a ServiceEntry declares counts as unregistered: the entry's `exportTo` keeps it
 * from the asking resource's namespace. Empty when no such entry exists.
 */
export function hiddenEntryNote(index: WorkspaceIndex, host: string, through: Ask): string {
  const [entry] = index.entriesHiddenFrom(host, through);
  if (!entry) return '';
  const exportTo = entry.resource.exportTo.map((e) => e.value).join(', ');
  return ` (The ServiceEntry '${entry.resource.name?.value ?? ''}' in namespace '${namespaceOf(entry.resource)}' declares it, but its exportTo [${exportTo}] keeps it from namespace '${namespaceOf(through.from.resource)}'.)`;
}
