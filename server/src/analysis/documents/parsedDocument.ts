import { isCollection, isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { schemaErrors, type SchemaError } from '../schema/schemaErrors';
import type { Resource } from '../model/resources';
import { LineIndex, type Range } from '../text';
import { readResource } from './readResource';
import { YamlReader } from './yamlReader';

export interface SyntaxError {
  readonly message: string;
  readonly range: Range;
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
}

/** Aliases are followed one level at a time by the reader and never expanded, so alias bombs cost nothing. */
export function parseYamlDocument(text: string): ParsedDocument {
  const lines = new LineIndex(text);
  try {
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

function parseWith(text: string, lines: LineIndex): ParsedDocument {
  const doc = parseDocument(text, {
    lineCounter: new LineCounter(),
    prettyErrors: false,
    uniqueKeys: true,
    keepSourceTokens: false,
  });
  // Errors at the very end (an unclosed bracket) are pulled back onto the document's last line, not the next one's.
  const contentEnd = text.replace(/[\r\n]+$/, '').length;
  const syntaxErrors = doc.errors.map((error) => {
    const start = Math.min(error.pos[0], contentEnd);
    return { message: firstLine(error.message), range: lines.rangeOf(start, Math.min(Math.max(error.pos[1], start + 1), contentEnd)) };
  });
  let resource: Resource | undefined;
  try {
    resource = readResource(new YamlReader(doc, lines));
  } catch {
    // A document too broken to read is still reported through its syntax errors.
    resource = undefined;
  }
  return { text, lineCount: lines.lineCount, resource, syntaxErrors, schemaErrors: checkSchema(doc, resource, lines) };
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
    return schemaErrors(doc, doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), lines, resource.kind.range);
  } catch {
    // An alias bomb or an unresolvable node: the syntax errors (or nothing) are all we say about it.
    return [];
  }
}

function firstLine(message: string): string {
  const end = message.search(/(?: at line \d+, column \d+)?:?\r?\n/);
  return (end === -1 ? message : message.slice(0, end)).trim();
}
