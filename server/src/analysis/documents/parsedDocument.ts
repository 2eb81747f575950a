import { isCollection, isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { schemaErrors, type SchemaError } from '../schema/schemaErrors';
import type { Resource } from '../model/resources';
import { LineIndex, type Range } from '../text';
import { readResource } from './readResource';
import { firstTemplateAction, standInText } from './templates';
import { YamlReader } from './yamlReader';

export interface SyntaxError {
  readonly message: string;
  readonly range: Range;
  /** Set on the line that stands for the errors past the first `MAX_SYNTAX_ERRORS`. */
  readonly more?: number;
}

/**
 * One YAML document, parsed once. Immutable and position-independent (ranges are relative to the document's
 * first line), so the same object serves every later version of the file in which this text is unchanged.
 */
export interface ParsedDocument {
  readonly text: string;
  readonly lineCount: number;
  readonly resource: Resource | undefined;
  readonly syntaxErrors: readonly SyntaxError[];
  /** Mismatches with the bundled schema (unknown fields, wrong types, values outside enums); our kinds only. */
  readonly schemaErrors: readonly SchemaError[];
  /**
   * Set when the document holds Go/Helm template actions: the range of the first. Such a document is read through a
   * stand-in text (`templates.ts`) for its names and hosts only; it has no syntax or schema errors and no findings.
   */
  readonly template?: Range;
  /**
   * Set when a kustomization changes this document when it builds (`kustomize/effective.ts`): `patch` for a patch
   * file's partial object (no resource, no schema), `changed` for a resource that a patch, a rename or per-build
   * namespaces change in ways not modelled. Neither gets findings.
   */
  readonly overlay?: 'patch' | 'changed';
}

/** Aliases are followed one level at a time by the reader and never expanded, so alias bombs cost nothing. */
export function parseYamlDocument(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  try {
    const action = firstTemplateAction(text);
    if (action) return parseTemplate(text, lines, lines.rangeOf(action.start, action.end));
    return parseWith(text, lines);
  } catch (error) {
    // The parser recurses: a document nested thousands of levels deep overflows the stack. Say so, analyse nothing.
    if (!(error instanceof RangeError)) throw error;
    return {
      text,
      lineCount: lines.lineCount,
      resource: undefined,
      syntaxErrors: [{ message: 'the document is nested too deeply to analyse', range: lines.rangeOf(0, Math.min(1, text.length)) }],
      schemaErrors: [],
    };
  }
}

/** A template read through its stand-in text (same length, so every range is the original's); nothing is reported. */
function parseTemplate(text: string, lines: LineIndex, template: Range): ParsedDocument {
  const doc = parseYaml(standInText(text), false);
  let resource: Resource | undefined;
  try {
    resource = readResource(new YamlReader(doc, lines));
  } catch {
    resource = undefined;
  }
  return { text, lineCount: lines.lineCount, resource, syntaxErrors: [], schemaErrors: [], template };
}

/**
 * The `yaml` tree of the last large document parsed (the assists locate the cursor in it instead of parsing the
 * document again on every keystroke). One, so that indexed files keep no trees; small documents parse in no time.
 */
const trees: { readonly doc: ParsedDocument; readonly tree: Document }[] = [];
const KEEP_TREE_ABOVE_CHARS = 20_000;
const KEEP_TREES = 1;

export function yamlTreeOf(doc: ParsedDocument): Document | undefined {
  return trees.find((t) => t.doc === doc)?.tree;
}

function parseYaml(text: string, uniqueKeys: boolean): Document {
  return parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys, keepSourceTokens: false });
}

function parseWith(text: string, lines: LineIndex): ParsedDocument {
  const doc = parseYaml(text, true);
  // Errors at the very end (an unclosed bracket) are pulled back onto the document's last line, not the next one's.
  const contentEnd = text.replace(/[\r\n]+$/, '').length;
  const syntaxErrors = firstSyntaxErrors(
    doc.errors.map((error) => {
      const start = Math.min(error.pos[0], contentEnd);
      return { message: firstLine(error.message), start, end: Math.min(Math.max(error.pos[1], start + 1), contentEnd) };
    }),
    lines,
  );
  let resource: Resource | undefined;
  try {
    resource = readResource(new YamlReader(doc, lines));
  } catch {
    // A document too broken to read is still reported through its syntax errors.
    resource = undefined;
  }
  // A tab in the indentation moves every key under it; what the parser says about columns after it, and what the
  // schema says about the moved keys, only repeat the tab.
  const tabbed = syntaxErrors.some((e) => isTabIndentation(e.message));
  const parsed: ParsedDocument = {
    text,
    lineCount: lines.lineCount,
    resource,
    syntaxErrors: tabbed ? syntaxErrors.filter((e) => isTabIndentation(e.message) || !/same column|indent/i.test(e.message)) : syntaxErrors,
    schemaErrors: tabbed ? [] : checkSchema(doc, resource, lines),
  };
  if (text.length > KEEP_TREE_ABOVE_CHARS) {
    trees.unshift({ doc: parsed, tree: doc });
    trees.length = Math.min(trees.length, KEEP_TREES);
  }
  return parsed;
}

/**
 * Syntax errors reported per document. After the first few, the parser's errors are knock-on effects of the same
 * mistake (a broken 200 KB line gave 133 000), which help nobody and would flood the editor and the protocol.
 */
const MAX_SYNTAX_ERRORS = 10;

/** The parser's errors, each place and message once, the first `MAX_SYNTAX_ERRORS`, then one line saying how many more. */
function firstSyntaxErrors(errors: readonly { message: string; start: number; end: number }[], lines: LineIndex): SyntaxError[] {
  const seen = new Set<string>();
  const out: SyntaxError[] = [];
  let more = 0;
  for (const error of errors) {
    const key = `${error.start} ${error.end} ${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length < MAX_SYNTAX_ERRORS) out.push({ message: error.message, range: lines.rangeOf(error.start, error.end) });
    else if (more++ === 0) out.push({ message: '', range: lines.rangeOf(error.start, error.end) });
  }
  const last = out[MAX_SYNTAX_ERRORS];
  if (last) out[MAX_SYNTAX_ERRORS] = { ...last, more };
  return out;
}

/** Whether a parser error is about a tab in the indentation (YAML indents with spaces only). */
export function isTabIndentation(message: string): boolean {
  return /^Tabs are not allowed as indentation/.test(message);
}

/** Aliases expanded beyond this count make the document too costly to validate; it is left unvalidated. */
const MAX_ALIAS_COUNT = 100;

/**
 * The first mapping key that is itself a collection (`? [a, b]: c`, `{[a]: b}`). No Kubernetes object has one, and
 * `toJS` would turn it into a string (slowly for a deep key, with a warning on stderr). An explicit stack: no
 * recursion on deep documents.
 */
function collectionKey(doc: Document): Node | undefined {
  const pending: unknown[] = [doc.contents];
  while (pending.length) {
    const node = pending.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isCollection(pair.key)) return pair.key;
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return undefined;
}

function checkSchema(doc: Document, resource: Resource | undefined, lines: LineIndex): readonly SchemaError[] {
  if (!resource || resource.kindName === 'Other') return [];
  const badKey = collectionKey(doc);
  if (badKey) {
    const at = badKey.range ? lines.rangeOf(badKey.range[0], badKey.range[1]) : resource.kind.range;
    return [{ message: 'A mapping key must be a plain value, not a list or a mapping: no Kubernetes field is named that way.', range: at }];
  }
  try {
    return schemaErrors(doc, withoutNullFields(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })), lines, resource.kind.range);
  } catch {
    // An alias bomb or an unresolvable node: the syntax errors (or nothing) are all we say about it.
    return [];
  }
}

/**
 * The value with every mapping entry whose value is null left out: `annotations:` with nothing after it is unset for
 * the API server (JSON null clears a field), not a value of the wrong type. A required field left empty is then
 * reported as missing. Nulls inside lists stay (an empty list item is an error there). Iterative: no recursion on
 * deep documents.
 */
function withoutNullFields(value: unknown): unknown {
  const pending: unknown[] = [value];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) for (const item of node) pending.push(item);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (record[key] === null) delete record[key];
        else pending.push(record[key]);
      }
    }
  }
  return value;
}

function firstLine(message: string): string {
  const end = message.search(/(?: at line \d+, column \d+)?:?\r?\n/);
  return (end === -1 ? message : message.slice(0, end)).trim();
}
