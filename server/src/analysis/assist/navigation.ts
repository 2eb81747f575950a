import { serviceFqdn } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import { comparePositions, rangeContains, type Position, type Range } from '../text';
import { hostMatches } from '../workspace/drPrecedence';
import { documentAtLine, type PlacedDocument } from '../workspace/fileModel';
import { indexedResources, occurrencesOf, targetKey, type Occurrence, type Role } from '../workspace/occurrences';
import { fileRange, placeResource, type PlacedResource } from '../workspace/placed';
import type { Project } from '../engine/project';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** A place in a file of the workspace (file range). */
export interface NavLocation {
  readonly uri: string;
  readonly range: Range;
}

export interface NavHighlight {
  readonly range: Range;
  readonly role: Role;
}

/**
 * Where the cursor's name is declared: the Service (name or port) it belongs to, or the ServiceEntry hosts that
 * register it. A host no ServiceEntry lists exactly still finds a wildcard entry covering it, and a wildcard rule host
 * (`*.ns.svc.cluster.local`) finds the Services it covers.
 */
export function definitionsAt(project: Project, uri: string, position: Position): NavLocation[] {
  const found = occurrenceAt(project, uri, position);
  if (!found) return [];
  const index = project.index();
  const { target } = found;
  const key = targetKey(target);
  const declarations = [...declaringResources(index)].flatMap((at) => occurrencesOf(at, index, project.options)).filter((o) => o.role === 'declaration');
  const exact = declarations.filter((o) => targetKey(o.target) === key);
  if (target.kind !== 'host') return sorted(exact.map(locationOf));
  const coveringEntries = declarations.filter((o) => o.target.kind === 'host' && isWildcard(o.target.host) && hostMatches(o.target.host, target.host) && !exact.includes(o));
  return sorted([...exact, ...coveringEntries].map(locationOf).concat(servicesCoveredBy(target.host, index, project.options.clusterDomain)));
}

/** Every name across the workspace that stands for the same thing as the cursor's, declarations only if asked. */
export function referencesAt(project: Project, uri: string, position: Position, includeDeclaration: boolean): NavLocation[] {
  const found = occurrenceAt(project, uri, position);
  if (!found) return [];
  const index = project.index();
  const key = targetKey(found.target);
  const matches = [...indexedResources(index)]
    .flatMap((at) => occurrencesOf(at, index, project.options))
    .filter((o) => targetKey(o.target) === key && (includeDeclaration || o.role === 'reference'));
  return sorted(matches.map(locationOf));
}

/** The names in the cursor's file that stand for the same thing as the cursor's. */
export function highlightsAt(project: Project, uri: string, position: Position): NavHighlight[] {
  const found = occurrenceAt(project, uri, position);
  const file = project.file(uri);
  if (!found || !file) return [];
  const index = project.index();
  const key = targetKey(found.target);
  return file.documents
    .flatMap((placed) => occurrencesIn(placed, index, project))
    .filter((o) => targetKey(o.target) === key)
    .map((o) => ({ range: fileRange(o.at, o.range), role: o.role }));
}

/** The linking name under the cursor, if any. */
function occurrenceAt(project: Project, uri: string, position: Position): Occurrence | undefined {
  const file = project.file(uri);
  const placed = file && documentAtLine(file, position.line);
  if (!placed) return undefined;
  const relative = { line: position.line - placed.startLine, character: position.character };
  return occurrencesIn(placed, project.index(), project).find((o) => rangeContains(o.range, relative));
}

function occurrencesIn(placed: PlacedDocument, index: WorkspaceIndex, project: Project): Occurrence[] {
  const at = placeResource(placed);
  return at ? occurrencesOf(at, index, project.options) : [];
}

/** Services and ServiceEntries declare names, DestinationRules their subsets, Gateways their own names. */
function* declaringResources(index: WorkspaceIndex): Generator<PlacedResource> {
  for (const list of index.services.values()) yield* list;
  yield* index.serviceEntries;
  yield* index.destinationRules;
  yield* index.gateways;
}

/** `*.suffix` hosts; the bare `*` covers everything and so points at nothing in particular. */
function isWildcard(host: string): boolean {
  return host.startsWith('*') && host !== '*';
}

function servicesCoveredBy(host: string, index: WorkspaceIndex, clusterDomain: string): NavLocation[] {
  if (!isWildcard(host)) return [];
  const out: NavLocation[] = [];
  for (const list of index.services.values()) {
    for (const at of list) {
      const name = at.resource.name;
      if (name && hostMatches(host, serviceFqdn(name.value, namespaceOf(at.resource), clusterDomain))) out.push({ uri: at.uri, range: fileRange(at, name.range) });
    }
  }
  return out;
}

function locationOf(o: Occurrence): NavLocation {
  return { uri: o.at.uri, range: fileRange(o.at, o.range) };
}

/** Stable order (file, then position) so that answers do not depend on indexing order. */
function sorted(locations: NavLocation[]): NavLocation[] {
  return locations.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : comparePositions(a.range.start, b.range.start)));
}
