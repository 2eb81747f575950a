/**
 * Which chart values produced a finding on a Helm template line, and where they are set (pure). A finding in what
 * `helm template` renders lands on the template line that wrote it; naming the value behind that line, and the values
 * file that sets it, tells the user what to change. Precedence follows helm: values files passed later win over
 * earlier ones, and all win over the chart's values.yaml.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, parseAllDocuments, type Document, type Pair, type YAMLMap } from 'yaml';
import { LineIndex, type Range } from '../text';

export interface ValuesFile {
  readonly uri: string;
  readonly text: string;
}

export interface ValueOrigin {
  /** The value's path as the template reads it: `partner.host`. */
  readonly path: string;
  readonly uri: string;
  /** The range of the value's key and value in that file (the `host: api.partner.example` line part, key start to value end). */
  readonly range: Range;
  /** The value as written, shortened to at most 60 characters (scalars as their source text; a map or list as `{…}` / `[…]`). */
  readonly value: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a template line
// ---------------------------------------------------------------------------------------------------------------

/**
 * One token of a template action: a string literal (possibly unterminated), a field chain (`.Values.a`, `$.Values.a`,
 * `$x.a`), a word or variable, or one punctuation mark. Field chains are one token so `$x.Values` never reads as `.Values`.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"?|`[^`]*`?|'(?:[^'\\]|\\.)*'?|\$?\w*(?:\.\w+)+|\$?\w+|\S/g;

/** A chain that starts at the root values: `.Values.a.b` or `$.Values.a.b` (group 1 holds `.a.b`). */
const VALUES_CHAIN = /^\$?\.Values((?:\.\w+)*)$/;

interface Token {
  readonly text: string;
  readonly start: number;
}

/** The `.Values` paths one template line reads, in order, without repeats. */
export function valuePathsIn(templateLine: string): string[] {
  return [...new Set(actionsIn(templateLine).flatMap(pathsInAction))];
}

/**
 * The bodies of the `{{ … }}` actions on a line, comments left out. An action still open at the end of the line runs
 * to its end (actions may span lines); a `}}` inside a string literal does not close one.
 */
function actionsIn(line: string): string[] {
  const actions: string[] = [];
  for (let open = line.indexOf('{{'); open !== -1;) {
    const bodyStart = open + 2;
    const close = actionClose(line, bodyStart);
    const body = line.slice(bodyStart, close);
    if (!isComment(body)) actions.push(body);
    open = close >= line.length ? -1 : line.indexOf('{{', close + 2);
  }
  return actions;
}

/** A template comment (`{{/*` or `{{- /*` up to the matching close): nothing in it is read. */
function isComment(body: string): boolean {
  return /^(?:-\s+)?\/\*/.test(body);
}

/** Where the `}}` closing an action whose body starts at `from` stands, or the line's length when it is not on this line. */
function actionClose(line: string, from: number): number {
  if (isComment(line.slice(from))) {
    const commentEnd = line.indexOf('*/', from);
    const close = commentEnd === -1 ? -1 : line.indexOf('}}', commentEnd + 2);
    return close === -1 ? line.length : close;
  }
  for (let i = from; i < line.length; i++) {
    const char = line.charAt(i);
    if (char === '"' || char === "'" || char === '`') i = literalEnd(line, i);
    else if (line.startsWith('}}', i)) return i;
  }
  return line.length;
}

/** The offset of the quote closing the literal that opens at `start` (the last offset of the line when it is not closed). */
function literalEnd(line: string, start: number): number {
  const quote = line.charAt(start);
  for (let i = start + 1; i < line.length; i++) {
    const char = line.charAt(i);
    if (char === '\\' && quote !== '`') i++;
    else if (char === quote) return i;
  }
  return line.length - 1;
}

/** The paths one action reads: each `.Values` chain, extended by the string keys of an `index` call it is the target of. */
function pathsInAction(action: string): string[] {
  const tokens: Token[] = [...action.matchAll(TOKEN)].map((m) => ({ text: m[0], start: m.index }));
  return tokens.flatMap((token, i) => {
    const fields = valuesFields(token, action);
    if (fields === undefined) return [];
    const keys = tokens[i - 1]?.text === 'index' ? indexKeys(tokens.slice(i + 1)) : [];
    const path = [...fields, ...keys];
    return path.length > 0 ? [path.join('.')] : [];
  });
}

/** The fields a token reads below the root values (`[]` for a bare `.Values`); undefined when it reads something else. */
function valuesFields(token: Token, action: string): string[] | undefined {
  const chain = VALUES_CHAIN.exec(token.text);
  // `(expr).Values.a` reads a field of whatever `expr` gives, not the chart's values.
  if (!chain || action.charAt(token.start - 1) === ')') return undefined;
  return (chain[1] ?? '').split('.').filter((field) => field !== '');
}

/**
 * The keys `index` is given after its target, while they are string literals: a variable or number cannot be read
 * from the line, and a key with a dot in it cannot be written as a dotted path.
 */
function indexKeys(args: readonly Token[]): string[] {
  const keys: string[] = [];
  for (const arg of args) {
    const key = stringLiteralValue(arg.text);
    if (key === undefined || key === '' || key.includes('.')) break;
    keys.push(key);
  }
  return keys;
}

/** The value of a Go string literal (`"a"`, `` `a` ``); undefined for any other token. */
function stringLiteralValue(token: string): string | undefined {
  if (token.length >= 2 && token.startsWith('`') && token.endsWith('`')) return token.slice(1, -1);
  if (token.length < 2 || !token.startsWith('"') || !token.endsWith('"')) return undefined;
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : undefined;
  } catch {
    // Go escapes JSON lacks (`\x41`, `\101`): rare in a key, so the key just goes unread.
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Finding where a value is set
// ---------------------------------------------------------------------------------------------------------------

/** A values file whose first document is a map, read once for all the paths looked up in it. */
interface ReadValuesFile {
  readonly uri: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly root: YAMLMap;
  readonly lines: LineIndex;
}

/** A key written in a values file, with the node written as its value (an alias stays an alias: its range is the one written). */
interface Entry {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: unknown;
}

/** Where each path is set: the last of `files` (in precedence order, lowest first) that sets it; paths set nowhere are left out. */
export function valueOrigins(paths: readonly string[], files: readonly ValuesFile[]): ValueOrigin[] {
  const highestFirst = files.flatMap((file) => readValuesFile(file) ?? []).reverse();
  return paths.flatMap((path) => originOf(path, highestFirst) ?? []);
}

/**
 * The file's first document (helm reads no other), when it parses and its root is a map; otherwise the file sets
 * nothing. Merge keys (`<<: *base`) are on because helm's YAML reader honours them.
 */
function readValuesFile(file: ValuesFile): ReadValuesFile | undefined {
  // Asked for every finding, every template line tried and every block condition: read each file once.
  if (readFiles.has(file)) return readFiles.get(file);
  const read = readFresh(file);
  readFiles.set(file, read);
  return read;
}

/** Each values file as read, while the object lives (a rendering's `ValuesFile`s stay the same objects). */
const readFiles = new WeakMap<ValuesFile, ReadValuesFile | undefined>();

function readFresh(file: ValuesFile): ReadValuesFile | undefined {
  // No pretty errors: each copies and scans its whole line, which only costs time here.
  const docs = parseAllDocuments(file.text, { merge: true, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const doc = docs.length > 0 ? docs[0] : undefined;
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  return { uri: file.uri, text: file.text, doc, root: doc.contents, lines: new LineIndex(file.text) };
}

/**
 * Where `path` gets its value, walking the files from the highest precedence down, as helm merges them: the first
 * file that sets the path, or that sets one of its prefixes to something other than a map (which replaces whatever
 * lower files set below it). A scalar prefix is reported under its own path; a list prefix leaves the path unset.
 */
function originOf(path: string, highestFirst: readonly ReadValuesFile[]): ValueOrigin | undefined {
  const segments = path.split('.');
  for (const values of highestFirst) {
    const found = deepestEntry(values, segments);
    if (!found) continue;
    if (found.depth === segments.length) return origin(segments.join('.'), values, found.entry);
    const prefixValue = resolved(values.doc, found.entry.value);
    return isMap(prefixValue) || isSeq(prefixValue) ? undefined : origin(segments.slice(0, found.depth).join('.'), values, found.entry);
  }
  return undefined;
}

/**
 * The entry for `segments` in one file, or for the prefix where the walk meets a value that is not a map, with the
 * number of segments it covers; undefined when the file leaves the path (and every prefix) unset.
 */
function deepestEntry(values: ReadValuesFile, segments: readonly string[]): { entry: Entry; depth: number } | undefined {
  let map = values.root;
  for (let depth = 1; depth <= segments.length; depth++) {
    const entry = entryFor(values.doc, map, segments[depth - 1] ?? '', new Set());
    if (!entry) return undefined;
    const value = resolved(values.doc, entry.value);
    if (depth === segments.length || !isMap(value)) return { entry, depth };
    map = value;
  }
  return undefined;
}

/**
 * The entry for `key` in `map`: its own last pair with that key (a later duplicate wins, as in helm), else the first
 * map merged in by `<<` that has it (explicit keys win over merged ones, earlier merge sources over later ones).
 * `visited` stops a merge that leads back to a map already searched.
 */
function entryFor(doc: Document.Parsed, map: YAMLMap, key: string, visited: Set<YAMLMap>): Entry | undefined {
  if (visited.has(map)) return undefined;
  visited.add(map);
  for (let i = map.items.length - 1; i >= 0; i--) {
    const entry = entryOfPair(map.items[i], key);
    if (entry) return entry;
  }
  for (const source of mergeSources(doc, map)) {
    const entry = entryFor(doc, source, key, visited);
    if (entry) return entry;
  }
  return undefined;
}

/** The pair as an entry when its key is the scalar `key` (keys with dots in them never match: segments have none). */
function entryOfPair(pair: Pair | undefined, key: string): Entry | undefined {
  const written = pair?.key;
  if (!pair || !isScalar(written) || !written.range || isMergeKey(written.value)) return undefined;
  if (written.value === null || String(written.value) !== key) return undefined;
  return { keyStart: written.range[0], keyEnd: written.range[1], value: pair.value };
}

/** With merge keys on, the yaml package reads the key `<<` as a symbol described `<<`. */
function isMergeKey(keyValue: unknown): boolean {
  return typeof keyValue === 'symbol' && keyValue.description === '<<';
}

/** The maps a map merges in with `<<: *base` or `<<: [*a, *b]`, in the order they take precedence. */
function mergeSources(doc: Document.Parsed, map: YAMLMap): YAMLMap[] {
  return map.items.flatMap((pair) => {
    if (!isScalar(pair.key) || !isMergeKey(pair.key.value)) return [];
    const value = resolved(doc, pair.value);
    const candidates: unknown[] = isSeq(value) ? value.items.map((item) => resolved(doc, item)) : [value];
    return candidates.filter((candidate): candidate is YAMLMap => isMap(candidate));
  });
}

/** The node an alias stands for; any other value as it is. */
function resolved(doc: Document.Parsed, value: unknown): unknown {
  return isAlias(value) ? value.resolve(doc) : value;
}

function origin(path: string, values: ReadValuesFile, entry: Entry): ValueOrigin {
  const end = trimmedEnd(values.text, writtenEnd(entry.value) ?? entry.keyEnd, entry.keyEnd);
  return { path, uri: values.uri, range: values.lines.rangeOf(entry.keyStart, end), value: writtenValue(values, entry.value) };
}

/**
 * Where a value's source ends. A block map or list ends with its last item: the yaml package's own end for it runs
 * on over the line break and any comment lines that follow.
 */
function writtenEnd(value: unknown): number | undefined {
  if (isMap(value) && !value.flow && value.items.length > 0) {
    const last = value.items[value.items.length - 1];
    return writtenEnd(last?.value) ?? writtenEnd(last?.key);
  }
  if (isSeq(value) && !value.flow && value.items.length > 0) return writtenEnd(value.items[value.items.length - 1]);
  return isNode(value) ? value.range?.[1] : undefined;
}

/** `end` moved back over trailing whitespace (a block scalar's last line break, the space after an empty `key:`), never before `floor`. */
function trimmedEnd(text: string, end: number, floor: number): number {
  let trimmed = Math.max(end, floor);
  while (trimmed > floor && /\s/.test(text.charAt(trimmed - 1))) trimmed--;
  return trimmed;
}

const MAX_VALUE_LENGTH = 60;

/** The value for a message: a scalar's source on one line (`null` when nothing is written), a collection as `{…}` / `[…]`. */
function writtenValue(values: ReadValuesFile, value: unknown): string {
  const node = resolved(values.doc, value);
  if (isMap(node)) return '{…}';
  if (isSeq(node)) return '[…]';
  const source = isScalar(node) && node.range ? values.text.slice(node.range[0], node.range[1]) : '';
  const oneLine = source.trim().replace(/[ \t]*(?:\r\n|\r|\n)\s*/g, ' ');
  return shortened(oneLine === '' ? 'null' : oneLine);
}

/** At most MAX_VALUE_LENGTH characters, the last one `…` when cut; a cut never splits a surrogate pair. */
function shortened(text: string): string {
  if (text.length <= MAX_VALUE_LENGTH) return text;
  let kept = text.slice(0, MAX_VALUE_LENGTH - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/** Whether a value as written (`ValueOrigin.value`) is empty: nothing, `""`, `''`, `null` or `~`. */
export function isEmptyValue(value: string): boolean {
  return /^(?:""|''|null|~)?$/.test(value.trim());
}
