/**
 * A kustomize overlay as `kubectl kustomize` builds it, in the analysis: the built output is analysed under a uri of
 * its own, and every finding on it is put back on the file that defines the resource (found by kind and name, which
 * `namePrefix`/`nameSuffix` only extend), on the line of the same field, or on the patch that changed that field.
 * Pure: running kubectl is the adapters'.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { locate, type PathSegment } from '../documents/locate';
import { LineIndex, shiftRange, type Position, type Range } from '../text';
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
  /** '' for a JSON 6902 patch, a list of operations. */
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
    const builtTree = treeOf(built.text);
    for (const patch of sources.filter((s) => s.patch).reverse()) {
      const found =
        patch.kind === '' ? operationRange(patch.text, path, builtTree) : patch.kind === built.kind && patch.name === own.name ? fieldRange(patch.text, path, builtTree) : undefined;
      if (found) return { uri: patch.uri, range: shiftRange(found, patch.startLine) };
    }
    const inOwn = fieldRange(own.text, path, builtTree);
    if (inOwn) return { uri: own.uri, range: shiftRange(inOwn, own.startLine) };
  }
  const kindLine = /^kind:/m.exec(own.text);
  const line = kindLine ? own.text.slice(0, kindLine.index).split('\n').length - 1 : 0;
  return { uri: own.uri, range: { start: { line: own.startLine + line, character: 0 }, end: { line: own.startLine + line, character: 4 } } };
}

/** Recent documents as data, by text: a build's findings read the same few files again and again. */
const trees = new Map<string, unknown>();
const KEEP_TREES = 256;

/** A document as plain data (undefined when it does not parse). */
function treeOf(text: string): unknown {
  if (trees.has(text)) return trees.get(text);
  let tree: unknown;
  try {
    tree = parseDocument(text, { uniqueKeys: false, prettyErrors: false }).toJS() as unknown;
  } catch {
    tree = undefined;
  }
  if (trees.size >= KEEP_TREES) trees.delete(trees.keys().next().value ?? '');
  trees.set(text, tree);
  return tree;
}

/**
 * Where a field of the built document is set in a document of the build (a resource's own file, a strategic-merge
 * patch): the same path, with each list index taken to the item of the same content (a merge may reorder a list:
 * kustomize puts patched items first).
 */
function fieldRange(text: string, path: readonly PathSegment[], builtTree: unknown): Range | undefined {
  const mapped = samePlace(builtTree, treeOf(text), path);
  return mapped && rangeOfPath(text, mapped);
}

/** `path` in `built`, as a path in `source`: list indices replaced by the index of the item most like the built one. */
function samePlace(built: unknown, source: unknown, path: readonly PathSegment[]): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let b = built;
  let s = source;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(b) || !Array.isArray(s)) return undefined;
      const item: unknown = b[segment];
      const index = mostAlike(item, s);
      if (index === undefined) return undefined;
      out.push(index);
      b = item;
      s = s[index] as unknown;
    } else {
      if (!isRecord(b) || !isRecord(s)) return undefined;
      out.push(segment);
      b = b[segment];
      s = s[segment];
    }
  }
  return out;
}

/** The index of the item of `items` sharing the most scalar fields with `item` (the item itself for a scalar); unique. */
function mostAlike(item: unknown, items: readonly unknown[]): number | undefined {
  const score = (other: unknown): number => {
    if (!isRecord(item) || !isRecord(other)) return item === other ? 1 : 0;
    return Object.entries(item).filter(([k, v]) => typeof v !== 'object' && other[k] === v).length;
  };
  const scores = items.map(score);
  const best = Math.max(0, ...scores);
  if (best === 0) return undefined;
  const at = scores.indexOf(best);
  return scores.indexOf(best, at + 1) === -1 ? at : undefined;
}

/**
 * Where a JSON 6902 patch (a list of `{op, path, value}`) sets a field of the built document: an `add` or `replace`
 * whose path is the field's (or holds it), when the value it writes is the one built.
 */
function operationRange(text: string, path: readonly PathSegment[], builtTree: unknown): Range | undefined {
  const operations = treeOf(text);
  if (!Array.isArray(operations)) return undefined;
  for (let i = operations.length - 1; i >= 0; i--) {
    const operation: unknown = operations[i];
    if (!isRecord(operation) || (operation.op !== 'add' && operation.op !== 'replace') || typeof operation.path !== 'string') continue;
    const pointer = operation.path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (pointer.length > path.length || !pointer.every((p, k) => String(path[k]) === p)) continue;
    const rest = path.slice(pointer.length);
    const built = valueAt(builtTree, path);
    // The op wrote what was built (a later op or patch may have changed it since).
    if (typeof built !== 'object' && valueAt(operation.value, rest) !== built) continue;
    return rangeOfPath(text, [i, 'value', ...rest]) ?? rangeOfPath(text, [i, 'value']);
  }
  return undefined;
}

function valueAt(tree: unknown, path: readonly PathSegment[]): unknown {
  let node = tree;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment] as unknown;
    else if (isRecord(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
