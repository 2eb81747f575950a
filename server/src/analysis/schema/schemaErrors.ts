import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import validate, { type ValidationError } from './generated/egressValidator';
import type { LineIndex, Range } from '../text';

export interface SchemaError {
  readonly message: string;
  readonly range: Range;
}

/**
 * Keywords that only steer the schema (`if`/`then` per kind) or that the rules check with a sharper message
 * (number ranges: EGR104, EGR111, EGR203).
 */
const IGNORED = new Set(['if', 'then', 'else', 'allOf', 'not', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function listOf(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => String(v)).join(', ') : String(values);
}

/** The node at a path (following aliases), and the pair that holds it when it is a mapping value. */
function locate(doc: Document, path: readonly (string | number)[]): { node?: Node; pair?: Pair } {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      node = pair?.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      pair = undefined;
      node = node.items[segment];
    } else return {};
  }
  return { ...(node && typeof node === 'object' && 'range' in node ? { node: node as Node } : {}), ...(pair ? { pair } : {}) };
}

function rangeOf(lines: LineIndex, node: Node | Pair | undefined): Range | undefined {
  if (!node) return undefined;
  const target = isPair(node) ? node.key : node;
  const r = (target as Node | null)?.range;
  return r ? lines.rangeOf(r[0], r[1]) : undefined;
}

function describe(error: ValidationError, value: unknown): string {
  const p = error.params;
  switch (error.keyword) {
    case 'enum':
      return `${show(value)} is not an accepted value here: use one of ${listOf(p.allowedValues)}.`;
    case 'type':
      return `${show(value)} has the wrong type: a${/^[aeiou]/.test(String(p.type)) ? 'n' : ''} ${String(p.type).replace(',', ' or ')} is expected.`;
    case 'additionalProperties':
      return `Unknown field '${String(p.additionalProperty)}': the API server rejects it (a typo?).`;
    case 'required':
      return `Missing required field '${String(p.missingProperty)}'.`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${show(value)} is below the minimum ${String(p.limit)}.`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${show(value)} is above the maximum ${String(p.limit)}.`;
    case 'anyOf':
      return `${show(value)} has the wrong type for this field.`;
    case 'oneOf':
      return 'These settings exclude each other: set only one of them.';
    case 'const':
      return `${show(value)} must be ${show(p.allowedValue)}.`;
    default:
      return error.message ? `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.` : `Does not match the schema (${error.keyword}).`;
  }
}

/** One message for a key written without a value (`mode:`), however many ways the schema rejects null. */
function describeMissingValue(errors: readonly ValidationError[], instancePath: string): string {
  const enumError = errors.find((e) => e.instancePath === instancePath && e.keyword === 'enum');
  if (enumError) return `No value: use one of ${listOf(enumError.params.allowedValues)}.`;
  const typeError = errors.find((e) => e.instancePath === instancePath && e.keyword === 'type');
  const type = String(typeError?.params.type ?? 'value').replace(',', ' or ');
  return `No value: a${/^[aeiou]/.test(type) ? 'n' : ''} ${type} is expected.`;
}

/**
 * Validates a document's value against the bundled schema (only our kinds are constrained by it) and places every
 * error on the YAML it is about: an unknown field on its key, a wrong value on the value, a missing field on the
 * mapping's key.
 */
export function schemaErrors(doc: Document, value: unknown, lines: LineIndex, fallback: Range): SchemaError[] {
  if (validate(value)) return [];
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  for (const error of errors) {
    // A failed anyOf (int-or-string) is reported once, not once per alternative.
    if (IGNORED.has(error.keyword) || error.schemaPath.includes('/anyOf/')) continue;
    // ... and not at all when an alternative failed only on a number range, which the rules report.
    if (error.keyword === 'anyOf' && errors.some((e) => e.schemaPath.startsWith(`${error.schemaPath}/`) && IGNORED.has(e.keyword))) continue;
    const path = pathOf(error.instancePath);
    const at = locate(doc, path);
    let range: Range | undefined;
    if (error.keyword === 'additionalProperties') {
      range = rangeOf(lines, locate(doc, [...path, String(error.params.additionalProperty)]).pair);
    } else if (error.keyword === 'required') {
      // A required key written without a value (left out of the validated value as unset) is reported on that key.
      const written = locate(doc, [...path, String(error.params.missingProperty)]).pair;
      range = rangeOf(lines, written) ?? rangeOf(lines, at.pair) ?? rangeOf(lines, at.node);
      if (written) {
        const message = `'${String(error.params.missingProperty)}' is required and has no value.`;
        const key = `${error.instancePath} ${message}`;
        if (!seen.has(key)) out.push({ message, range: range ?? fallback });
        seen.add(key);
        continue;
      }
    } else if (error.keyword === 'oneOf') {
      range = rangeOf(lines, at.pair) ?? rangeOf(lines, at.node);
    } else {
      range = rangeOf(lines, at.node) ?? rangeOf(lines, at.pair);
    }
    const nodeValue = at.node && isScalar(at.node) ? at.node.value : undefined;
    const missing = nodeValue === null && (error.keyword === 'type' || error.keyword === 'enum');
    const message = missing ? describeMissingValue(errors, error.instancePath) : describe(error, nodeValue);
    const key = `${error.instancePath} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ message, range: range ?? fallback });
  }
  return out;
}
