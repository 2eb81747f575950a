import type { Resource } from '../model/resources';
import { namespaceOf } from '../model/resources';
import type { PlacedResource } from './placed';

/**
 * What the files show about which resources are applied together (docs/precision.md). Repositories keep independent
 * scenarios side by side (`http-proxy/` beside `https-proxy/`) and several versions of one object in sibling files
 * (`step-1.yaml`, `step-2.yaml`); a finding that exists only because two resources meet needs evidence that they do.
 */

/** The folder of a file URI, with its trailing slash. */
export function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}

/**
 * Whether the files show the two applied together: the same file, or the same folder (`kubectl apply -f folder/`
 * takes a folder's files and no deeper ones).
 */
export function appliedTogether(a: PlacedResource, b: PlacedResource): boolean {
  return a.uri === b.uri || folderOf(a.uri) === folderOf(b.uri);
}

/**
 * Whether two resources are one object: same kind, namespace and name. Applying one replaces the other, so two such
 * documents are versions (alternatives), never two objects side by side.
 */
export function sameObject(a: Resource, b: Resource): boolean {
  return a.kind.value === b.kind.value && a.name !== undefined && a.name.value === b.name?.value && namespaceOf(a) === namespaceOf(b);
}

/**
 * How near `candidate` sits to `from`: 0 in the same file, 1 in the same folder, then 2 + the number of folders
 * between them. Among versions of one object, the nearest is the one applied with `from`.
 */
export function distance(from: PlacedResource, candidate: PlacedResource): number {
  if (from.uri === candidate.uri) return 0;
  const folder = folderOf(from.uri);
  if (folder === folderOf(candidate.uri)) return 1;
  const a = folderOf(from.uri).split('/');
  const b = folderOf(candidate.uri).split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const apart = a.length - common + (b.length - common);
  return apart === 0 ? 1 : 2 + apart;
}

/** The candidate nearest to `from` (the first of equals, so workspace order breaks ties). */
export function nearest<R extends PlacedResource>(from: PlacedResource, candidates: readonly R[]): R | undefined {
  let best: R | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(from, candidate);
    // Nothing is nearer than the same file.
    if (d === 0) return candidate;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The candidates nearest to `from`, all of them when several are equally near: versions of one object in sibling
 * files of one folder are alternatives, and nothing tells which is applied with `from`.
 */
export function nearestVersions<R extends PlacedResource>(from: PlacedResource, candidates: readonly R[]): R[] {
  if (candidates.length < 2) return [...candidates];
  const distances = candidates.map((c) => distance(from, c));
  const best = Math.min(...distances);
  return candidates.filter((_, i) => distances[i] === best);
}

/**
 * A hint instead of the rule's severity when a finding rests on two resources the files do not show applied together
 * (different folders): `{ severity: 'hint' }` to spread into the finding, else nothing.
 */
export function apartFrom(a: PlacedResource, ...others: readonly PlacedResource[]): { readonly severity?: 'hint' } {
  return others.every((b) => appliedTogether(a, b)) ? {} : { severity: 'hint' };
}
