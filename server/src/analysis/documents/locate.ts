import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { LineIndex, type Position, type Range } from '../text';

export type PathSegment = string | number;

/** Where a position stands in a YAML document, for completion and hover. */
export type Spot =
  | { readonly kind: 'value'; readonly path: readonly PathSegment[]; readonly range: Range; readonly text: string }
  | { readonly kind: 'key'; readonly path: readonly PathSegment[]; readonly range: Range; readonly text: string; readonly parentPath: readonly PathSegment[] }
  | { readonly kind: 'none' };

interface Entry {
  readonly path: PathSegment[];
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly keyColumn: number;
  readonly keyLine: number;
  readonly value: Node | null;
}

function collect(node: unknown, path: PathSegment[], lines: LineIndex, out: Entry[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || !key.range) continue;
      const childPath = [...path, String(key.value)];
      const at = lines.positionAt(key.range[0]);
      const value = (pair.value as Node | null) ?? null;
      out.push({ path: childPath, keyStart: key.range[0], keyEnd: key.range[1], keyColumn: at.character, keyLine: at.line, value });
      collect(value, childPath, lines, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collect(item, [...path, i], lines, out));
  }
}

/** The word around `offset` on its line (letters, digits, `.`, `-`, `_`, `*`, `/`), for replacing on completion. */
function wordRange(text: string, offset: number, lines: LineIndex): { range: Range; text: string } {
  let start = offset;
  let end = offset;
  const word = /[A-Za-z0-9._\-*/]/;
  while (start > 0 && word.test(text.charAt(start - 1))) start--;
  while (end < text.length && word.test(text.charAt(end))) end++;
  return { range: lines.rangeOf(start, end), text: text.slice(start, end) };
}

/**
 * Locates `position` in a document's text: on a value (with the key path leading to it), on a key, or nowhere. `tree`:
 * the document's parse when one is at hand (`yamlTreeOf`), else it is parsed here.
 * Half-typed documents are the norm here, so a key with no value yet (`mode: `) still yields its path.
 */
export function locate(text: string, position: Position, tree?: Document): Spot {
  const lines = new LineIndex(text);
  const offset = lines.offsetAt(position);
  // No pretty errors (unused here): each copies and scans its whole line, 5 s for the 66 000 errors of a 100 KB line.
  const doc = tree ?? parseDocument(text, { lineCounter: new LineCounter(), keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  const entries: Entry[] = [];
  collect(doc.contents, [], lines, entries);

  const lineStart = lines.offsetAt({ line: position.line, character: 0 });
  const before = text.slice(lineStart, offset);
  // On the value side of a `key:` written on this line.
  const onLine = entries.filter((e) => e.keyLine === position.line && e.keyEnd <= offset).sort((a, b) => b.keyEnd - a.keyEnd)[0];
  if (onLine && text.slice(onLine.keyEnd, offset).includes(':')) {
    const value = onLine.value;
    if (value && (isMap(value) || isSeq(value))) return { kind: 'none' };
    const word = wordRange(text, offset, lines);
    const range = value?.range ? lines.rangeOf(Math.min(value.range[0], offset), Math.max(value.range[1], offset)) : word.range;
    const valueText = isScalar(value) && value.value !== null ? String(value.value) : word.text;
    return { kind: 'value', path: onLine.path, range, text: valueText };
  }
  // On a key, or where a key is being typed: the parent is the nearest key above with a smaller indentation.
  const indentMatch = /^(\s*(?:-\s+)*)/.exec(before);
  const indent = indentMatch?.[1]?.length ?? 0;
  if (!/^\s*(?:-\s+)*[A-Za-z0-9_-]*$/.test(before)) return { kind: 'none' };
  const word = wordRange(text, offset, lines);
  const own = entries.find((e) => e.keyLine === position.line && e.keyStart <= offset && offset <= e.keyEnd);
  if (own) return { kind: 'key', path: own.path, range: word.range, text: word.text, parentPath: own.path.slice(0, -1) };
  const parent = entries.filter((e) => e.keyStart < lineStart && e.keyColumn < indent).sort((a, b) => b.keyStart - a.keyStart)[0];
  const parentPath = parent ? parent.path : [];
  return { kind: 'key', path: [...parentPath, word.text], range: word.range, text: word.text, parentPath };
}

/** Whether a path matches a pattern where `#` stands for any sequence index. */
export function pathIs(path: readonly PathSegment[], pattern: readonly string[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => (p === '#' ? typeof path[i] === 'number' : path[i] === p));
}
