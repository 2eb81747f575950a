/**
 * A kustomize overlay as `kubectl kustomize` builds it, in the analysis: the built output is analysed under a uri of
 * its own, and every finding on it is put back on the file that defines the resource (found by kind and name, which
 * `namePrefix`/`nameSuffix` only extend), on the line of the same field, or on the patch that changed that field.
 * Pure: running kubectl is the adapters'.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { locate, type PathSegment } from '../documents/locate';
import { LineIndex, type Position, type Range } from '../text';
import type { ChartProblem } from './chartFindings';

/** An overlay that built. */
export interface BuiltOverlay {
  readonly status: 'built';
  /** The overlay's `kustomization.yaml`. */
  readonly kustomization: string;
  /** What `kubectl kustomize <folder>` wrote. */
  readonly output: string;
}

/** An overlay that did not build, with where the blame goes. */
export interface UnbuiltOverlay {
  readonly status: 'failed';
  readonly kustomization: string;
  readonly problems: readonly ChartProblem[];
}

export type OverlayState = BuiltOverlay | UnbuiltOverlay;

const BUILT_SCHEME = 'istio-egress-built:';

/** The uri an overlay's output is analysed under: never shown, every finding is moved to the files of the build. */
export function builtUri(kustomization: string): string {
  return `${BUILT_SCHEME}${kustomization}`;
}

export function isBuiltUri(uri: string): boolean {
  return uri.startsWith(BUILT_SCHEME);
}

/** One document of a file of the build, as written. */
export interface SourceDocument {
  readonly uri: string;
  readonly startLine: number;
  readonly text: string;
  readonly kind: string;
  readonly name: string;
  /** A patch (a partial object that changes a resource), not a resource. */
  readonly patch: boolean;
}

/** A built document: its text and what names it. */
export interface BuiltDocument {
  readonly text: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * Where a range of a built document comes from: the patch that sets the field there, else the same field in the
 * resource's own file, else that resource's first line; undefined when no document of the build defines the resource.
 */
export function placeInSources(built: BuiltDocument, range: Range, sources: readonly SourceDocument[]): { readonly uri: string; readonly range: Range } | undefined {
  const own = definition(
    built,
    sources.filter((s) => !s.patch),
  );
  if (!own) return undefined;
  const path = pathAt(built.text, range.start);
  if (path) {
    const patches = sources.filter((s) => s.patch && s.kind === built.kind && s.name === own.name);
    for (const patch of patches.reverse()) {
      const found = rangeOfPath(patch.text, path);
      if (found) return { uri: patch.uri, range: shift(found, patch.startLine) };
    }
    const inOwn = rangeOfPath(own.text, path);
    if (inOwn) return { uri: own.uri, range: shift(inOwn, own.startLine) };
  }
  const kindLine = /^kind:/m.exec(own.text);
  const line = kindLine ? own.text.slice(0, kindLine.index).split('\n').length - 1 : 0;
  return { uri: own.uri, range: { start: { line: own.startLine + line, character: 0 }, end: { line: own.startLine + line, character: 4 } } };
}

/** The resource's own document: same kind, and the longest name the built name holds (prefixes and suffixes only add). */
function definition(built: BuiltDocument, resources: readonly SourceDocument[]): SourceDocument | undefined {
  const fits = resources.filter((s) => s.kind === built.kind && s.name !== '' && built.name.includes(s.name));
  fits.sort((a, b) => Number(b.name === built.name) - Number(a.name === built.name) || b.name.length - a.name.length);
  return fits[0];
}

/** The key path at a position: the key or value there; for a position inside a list item, the item's path. */
function pathAt(text: string, position: Position): readonly PathSegment[] | undefined {
  const spot = locate(text, position);
  return spot.kind === 'none' ? undefined : spot.path;
}

/** Where `path` is set in a document: from its key to the end of its value (the key alone for a map or list). */
export function rangeOfPath(text: string, path: readonly PathSegment[]): Range | undefined {
  let node: unknown;
  try {
    node = parseDocument(text, { uniqueKeys: false, prettyErrors: false }).contents;
  } catch {
    return undefined;
  }
  let keyStart: number | undefined;
  let valueEnd: number | undefined;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!isSeq(node)) return undefined;
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) return undefined;
      node = item;
      keyStart = item.range[0];
      valueEnd = item.range[1];
      continue;
    }
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
    const value = pair.value as Node | null;
    keyStart = pair.key.range[0];
    valueEnd = isScalar(value) && value.range ? value.range[1] : pair.key.range[1];
    node = value;
  }
  if (keyStart === undefined || valueEnd === undefined) return undefined;
  const lines = new LineIndex(text);
  const range = lines.rangeOf(keyStart, valueEnd);
  if (range.end.line === range.start.line) return range;
  // A list item that is a map: its first line names it.
  const lineEnd = text.indexOf('\n', keyStart);
  return lines.rangeOf(keyStart, lineEnd === -1 ? text.length : lineEnd);
}

function shift(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}
