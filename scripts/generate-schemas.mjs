#!/usr/bin/env node
// Builds schemas/egress.schema.json, the one JSON Schema (draft-07) the editor uses for our four kinds:
//   core/v1 Service and Endpoints      <- schemas/src/service.v1.json, schemas/src/endpoints.v1.json (hand-written)
//   networking.istio.io DestinationRule and ServiceEntry <- Istio's CRDs (openAPIV3Schema of each served version)
// Every upstream description is dropped; ours come from schemas/src/descriptions.json.
// Each document is checked only against the schema of its own kind (root allOf of if/then), so YAML of any other
// kind or shape is left alone. The output is deterministic: same inputs, same bytes.
//
// Usage: node scripts/generate-schemas.mjs --crds <istio-crds.gen.yaml> [--out schemas/egress.schema.json]

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC_DIR = path.join(PROJECT_ROOT, 'schemas', 'src');
const DEFAULT_OUT = path.join(PROJECT_ROOT, 'schemas', 'egress.schema.json');
const USAGE = 'usage: node scripts/generate-schemas.mjs --crds <istio-crds.gen.yaml> [--out schemas/egress.schema.json]';

const HAND_WRITTEN = ['service.v1.json', 'endpoints.v1.json'];
const ISTIO_GROUP = 'networking.istio.io';
const ISTIO_KINDS = ['DestinationRule', 'ServiceEntry'];

// ---------------------------------------------------------------------------------------------------------------
// CRD openAPIV3Schema (OpenAPI v3 subset + Kubernetes extensions) -> JSON Schema draft-07

const DRAFT7_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
]);
// Converted below.
const CONVERTED = new Set(['type', 'nullable', 'enum', 'format', 'minimum', 'maximum', 'required', 'properties', 'additionalProperties', 'items', 'oneOf', 'anyOf', 'allOf', 'not']);
// Dropped on purpose: upstream prose, and size/pattern limits (semantic checks are the project's own rules).
const DROPPED = new Set(['description', 'maxItems', 'minItems', 'maxLength', 'minLength', 'maxProperties', 'minProperties', 'pattern']);

/** @param {unknown} value */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {Record<string, unknown>} node  a CRD schema node
 * @param {string} where                  JSON-pointer-ish location, for messages
 * @param {Set<string>} ignored           collects keywords neither converted nor knowingly dropped
 * @returns {Record<string, unknown>}
 */
function convertCrdSchema(node, where, ignored) {
  for (const key of Object.keys(node)) {
    if (!CONVERTED.has(key) && !DROPPED.has(key) && !key.startsWith('x-kubernetes-')) ignored.add(`${key} (at ${where})`);
  }
  const nullable = node.nullable === true;
  /** @type {Record<string, unknown>} */
  const out = {};
  /** @type {unknown[]} */
  const allOf = [];

  if (node['x-kubernetes-int-or-string'] === true) {
    const anyOf = [{ type: 'integer' }, { type: 'string' }];
    if (nullable) anyOf.push({ type: 'null' });
    out.anyOf = anyOf;
  } else if (typeof node.type === 'string') {
    out.type = nullable ? [node.type, 'null'] : node.type;
  }
  if (Array.isArray(node.enum)) out.enum = nullable && !node.enum.includes(null) ? [...node.enum, null] : [...node.enum];
  if (typeof node.format === 'string' && DRAFT7_FORMATS.has(node.format)) out.format = node.format;
  if (typeof node.minimum === 'number') out.minimum = node.minimum;
  if (typeof node.maximum === 'number') out.maximum = node.maximum;
  if (Array.isArray(node.required)) out.required = [...node.required];

  if (isObject(node.properties)) {
    /** @type {Record<string, unknown>} */
    const properties = {};
    for (const [name, sub] of Object.entries(node.properties)) {
      if (isObject(sub)) properties[name] = convertCrdSchema(sub, `${where}/properties/${name}`, ignored);
    }
    out.properties = properties;
    if (node['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (isObject(node.additionalProperties)) {
    out.additionalProperties = convertCrdSchema(node.additionalProperties, `${where}/additionalProperties`, ignored);
  } else if (typeof node.additionalProperties === 'boolean') {
    out.additionalProperties = node.additionalProperties;
  }
  if (isObject(node.items)) out.items = convertCrdSchema(node.items, `${where}/items`, ignored);

  // Protobuf oneofs arrive as oneOf/anyOf/not over `required`: mutually exclusive fields. They are kept: the API
  // server enforces them too.
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    const converted = list.filter(isObject).map((sub, i) => convertCrdSchema(sub, `${where}/${key}/${i}`, ignored));
    if (key === 'allOf') allOf.push(...converted);
    else if (out[key] === undefined) out[key] = converted;
    else allOf.push({ [key]: converted });
  }
  if (isObject(node.not)) out.not = convertCrdSchema(node.not, `${where}/not`, ignored);
  if (allOf.length > 0) out.allOf = allOf;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ crds?: string, out: string }} */
  const args = { out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag !== '--crds' && flag !== '--out') throw new Error(`unknown argument "${arg}"`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a path`);
    if (flag === '--crds') args.crds = path.resolve(value);
    else args.out = path.resolve(value);
  }
  if (args.crds === undefined) throw new Error('missing --crds <path to Istio CRDs, e.g. istio-crds.gen.yaml>');
  return { crds: args.crds, out: args.out };
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path.relative(PROJECT_ROOT, file)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * The DestinationRule and ServiceEntry CRDs of the file.
 * @param {string} file
 * @returns {{ crds: Map<string, Record<string, unknown>>, sha256: string }}
 */
function readIstioCrds(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the CRD file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const crds = new Map();
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
    const crd = doc.toJS();
    if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition' || !isObject(crd.spec)) continue;
    const { group, names } = crd.spec;
    if (group === ISTIO_GROUP && isObject(names) && typeof names.kind === 'string' && ISTIO_KINDS.includes(names.kind)) {
      crds.set(names.kind, crd);
    }
  }
  const missing = ISTIO_KINDS.filter((kind) => !crds.has(kind));
  if (missing.length > 0) {
    throw new Error(
      `${file} has no CustomResourceDefinition for ${missing.join(' or ')} (${ISTIO_GROUP}); ` +
        "pass Istio's CRD file (istio/api kubernetes/customresourcedefinitions.gen.yaml, or crd-all.gen.yaml of a release)",
    );
  }
  return { crds, sha256: createHash('sha256').update(text).digest('hex') };
}

// Kubernetes version order: GA before beta before alpha, higher numbers first (v1, v1beta1, v1alpha3).
/** @param {string} version */
function versionRank(version) {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return [3, 0, 0];
  return [m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2, -Number(m[1]), -Number(m[3] ?? 0)];
}
/** @param {string} a @param {string} b */
function compareVersions(a, b) {
  const [x, y] = [versionRank(a), versionRank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-written schemas: inline their $refs (local "#/…" and sibling-file "other.json#/…").

/**
 * @param {unknown} node
 * @param {string} file            file the node comes from
 * @param {Map<string, unknown>} files
 * @returns {unknown}
 */
function inlineRefs(node, file, files) {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, file, files));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') {
    const [target = '', pointer = ''] = node.$ref.split('#');
    const targetFile = target === '' ? file : target;
    let resolved = files.get(targetFile);
    if (resolved === undefined) throw new Error(`${file}: $ref "${node.$ref}" names an unknown file`);
    for (const segment of pointer.split('/').slice(1)) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      resolved = isObject(resolved) ? resolved[key] : undefined;
    }
    if (resolved === undefined) throw new Error(`${file}: $ref "${node.$ref}" points at nothing`);
    if (Object.keys(node).length > 1) throw new Error(`${file}: keywords next to $ref "${node.$ref}" are not supported`);
    return inlineRefs(resolved, targetFile, files);
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = inlineRefs(value, file, files);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Our descriptions, applied by field path

/**
 * Every field of a kind's schema with its path: "spec.ports[].name"; "[]" = array item, "{}" = map value.
 * @param {Record<string, unknown>} schema
 * @param {string} prefix
 * @param {Array<[string, Record<string, unknown>]>} out
 */
function collectFields(schema, prefix, out) {
  if (isObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!isObject(sub)) continue;
      const p = prefix === '' ? name : `${prefix}.${name}`;
      out.push([p, sub]);
      collectFields(sub, p, out);
    }
  }
  for (const [key, suffix] of [
    ['items', '[]'],
    ['additionalProperties', '{}'],
  ]) {
    const sub = schema[key];
    if (!isObject(sub)) continue;
    out.push([prefix + suffix, sub]);
    collectFields(sub, prefix + suffix, out);
  }
  return out;
}

/** @param {string} key  a descriptions.json key, possibly with "**" segments */
function keyPattern(key) {
  const segments = key.split('.');
  if (segments.at(-1) === '**' || segments.some((s) => s === '')) throw new Error(`descriptions.json: malformed key "${key}"`);
  let source = '^';
  segments.forEach((segment, i) => {
    if (segment === '**') source += '(?:[^.]+\\.)*';
    else source += segment.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') + (i < segments.length - 1 ? '\\.' : '');
  });
  return new RegExp(`${source}$`);
}

/**
 * @param {string} kind
 * @param {Record<string, unknown>} schema     the kind's schema, changed in place
 * @param {Record<string, unknown>} entries    descriptions.json[kind]
 */
function applyDescriptions(kind, schema, entries) {
  const keys = Object.keys(entries);
  const patterns = keys.filter((k) => k.includes('**')).map((k) => /** @type {const} */ ([k, keyPattern(k)]));
  const used = new Set();
  for (const [fieldPath, node] of collectFields(schema, '', [])) {
    let key;
    if (Object.hasOwn(entries, fieldPath)) {
      key = fieldPath;
    } else {
      const hits = patterns.filter(([, re]) => re.test(fieldPath)).map(([k]) => k);
      if (hits.length > 1) throw new Error(`descriptions.json: ${kind} ${fieldPath} is matched by several keys: ${hits.join(', ')}`);
      key = hits[0];
    }
    if (key === undefined) continue;
    used.add(key);
    const entry = entries[key];
    const text = typeof entry === 'string' ? entry : isObject(entry) ? entry.description : undefined;
    if (typeof text !== 'string' || text === '') throw new Error(`descriptions.json: ${kind} "${key}" has no description`);
    node.description = text;
    if (!isObject(entry) || entry.values === undefined) continue;
    const values = entry.values;
    if (!isObject(values) || !Array.isArray(node.enum)) throw new Error(`descriptions.json: ${kind} "${key}" describes values, but ${fieldPath} is not an enum`);
    const enumValues = node.enum;
    const unknown = Object.keys(values).filter((v) => !enumValues.includes(v));
    const undescribed = enumValues.filter((v) => v !== null && !Object.hasOwn(values, String(v)));
    if (unknown.length > 0) throw new Error(`descriptions.json: ${kind} "${key}": ${unknown.join(', ')} not in the enum of ${fieldPath}`);
    if (undescribed.length > 0) throw new Error(`descriptions.json: ${kind} "${key}": no description for ${undescribed.join(', ')}`);
    node.enumDescriptions = enumValues.map((v) => (v === null ? '' : String(values[String(v)])));
  }
  const unused = keys.filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`descriptions.json: ${kind} keys that match no field: ${unused.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Output order: keywords in a fixed reading order, property and definition names sorted.

const KEYWORD_ORDER = [
  '$schema',
  '$comment',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'enumDescriptions',
  'format',
  'minimum',
  'maximum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'definitions',
];
const SCHEMA_VALUED = new Set(['additionalProperties', 'items', 'not', 'if', 'then', 'else']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);
const SCHEMA_MAPS = new Set(['properties', 'definitions']);

/** @param {string} a @param {string} b */
function byCodeUnit(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** @param {string} key */
function keywordRank(key) {
  const i = KEYWORD_ORDER.indexOf(key);
  return i === -1 ? KEYWORD_ORDER.length : i;
}

/** @param {unknown} schema @returns {unknown} */
function ordered(schema) {
  if (!isObject(schema)) return schema;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of Object.keys(schema).sort((a, b) => keywordRank(a) - keywordRank(b) || byCodeUnit(a, b))) {
    const value = schema[key];
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.keys(value)
          .sort(byCodeUnit)
          .map((name) => [name, ordered(value[name])]),
      );
    } else if (SCHEMA_VALUED.has(key)) {
      out[key] = ordered(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(ordered);
    } else {
      out[key] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * One definition per kind and structurally distinct schema.
 * @typedef {{ name: string, kind: string, apiVersions: string[], schema: Record<string, unknown> }} KindSchema
 */

/**
 * @param {string} crdFile
 * @returns {{ json: string, kinds: KindSchema[], notes: string[] }}
 */
function generate(crdFile) {
  const notes = [];
  const descriptions = readJson(path.join(SRC_DIR, 'descriptions.json'));
  const files = new Map(HAND_WRITTEN.map((name) => [name, readJson(path.join(SRC_DIR, name))]));
  const objectMeta = inlineRefs({ $ref: 'service.v1.json#/definitions/ObjectMeta' }, 'service.v1.json', files);

  /** @type {KindSchema[]} */
  const kinds = [];

  for (const name of HAND_WRITTEN) {
    const source = /** @type {Record<string, unknown>} */ (inlineRefs(files.get(name), name, files));
    const { $schema, $comment, definitions, ...schema } = source;
    const props = isObject(schema.properties) ? schema.properties : {};
    const kind = isObject(props.kind) ? props.kind.const : undefined;
    const apiVersions = isObject(props.apiVersion) ? props.apiVersion.enum : undefined;
    if (typeof kind !== 'string' || !Array.isArray(apiVersions)) throw new Error(`${name}: properties.kind.const and properties.apiVersion.enum are required`);
    kinds.push({ name: `${apiVersions[0]}.${kind}`, kind, apiVersions, schema });
  }

  const { crds, sha256 } = readIstioCrds(crdFile);
  const ignored = new Set();
  for (const kind of ISTIO_KINDS) {
    const crdSpec = crds.get(kind)?.spec;
    const versionList = isObject(crdSpec) && Array.isArray(crdSpec.versions) ? crdSpec.versions : [];
    const served = versionList.filter((v) => isObject(v) && v.served === true && typeof v.name === 'string').sort((a, b) => compareVersions(a.name, b.name));
    if (served.length === 0) throw new Error(`the ${kind} CRD serves no version`);
    /** @type {Map<string, { versions: string[], spec: Record<string, unknown>, required: string[] }>} */
    const groups = new Map();
    for (const version of served) {
      const root = version.schema?.openAPIV3Schema;
      const spec = isObject(root) && isObject(root.properties) ? root.properties.spec : undefined;
      if (!isObject(spec)) throw new Error(`the ${kind} CRD, version ${version.name}, has no openAPIV3Schema.properties.spec`);
      const converted = convertCrdSchema(spec, `${kind}/${version.name}/spec`, ignored);
      const required = Array.isArray(root.required) ? root.required.filter((r) => typeof r === 'string') : [];
      const fingerprint = JSON.stringify(ordered({ converted, required }));
      const group = groups.get(fingerprint);
      if (group) group.versions.push(version.name);
      else groups.set(fingerprint, { versions: [version.name], spec: converted, required });
    }
    if (groups.size > 1) notes.push(`${kind}: versions differ structurally: ${[...groups.values()].map((g) => g.versions.join('+')).join(' / ')}`);
    else notes.push(`${kind}: ${served.map((v) => v.name).join(', ')} share one schema (descriptions aside)`);
    for (const { versions, spec, required } of groups.values()) {
      const apiVersions = versions.map((v) => `${ISTIO_GROUP}/${v}`);
      kinds.push({
        name: `${ISTIO_GROUP}.${versions[0]}.${kind}`,
        kind,
        apiVersions,
        schema: {
          type: 'object',
          required: ['apiVersion', 'kind', ...required.filter((r) => r !== 'apiVersion' && r !== 'kind')],
          additionalProperties: false,
          properties: {
            apiVersion: { enum: apiVersions },
            kind: { const: kind },
            metadata: structuredClone(objectMeta),
            spec,
            status: { type: 'object' },
          },
        },
      });
    }
  }
  if (ignored.size > 0) notes.push(`dropped CRD keywords this script does not know: ${[...ignored].sort(byCodeUnit).join('; ')}`);

  for (const kind of Object.keys(descriptions)) {
    if (kind !== '$comment' && !kinds.some((k) => k.kind === kind)) throw new Error(`descriptions.json: unknown kind "${kind}"`);
  }
  for (const k of kinds) {
    k.schema.title = k.kind; // hover shows the closest title above the field
    if (isObject(descriptions[k.kind])) applyDescriptions(k.kind, k.schema, descriptions[k.kind]);
  }

  const root = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Kubernetes Service and Endpoints, Istio DestinationRule and ServiceEntry; documents of other kinds are not ' +
      "constrained. Generated by scripts/generate-schemas.mjs from schemas/src/*.json and Istio's CRDs " +
      `(sha256 ${sha256}); do not edit.`,
    allOf: kinds.map((k) => ({
      if: {
        type: 'object',
        properties: { kind: { const: k.kind }, apiVersion: { enum: k.apiVersions } },
        required: ['kind'],
      },
      then: { $ref: `#/definitions/${k.name}` },
    })),
    definitions: Object.fromEntries(kinds.map((k) => [k.name, k.schema])),
  };
  return { json: `${JSON.stringify(ordered(root), null, 2)}\n`, kinds, notes };
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`generate-schemas: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    const { json, notes } = generate(args.crds);
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, json);
    for (const note of notes) process.stderr.write(`generate-schemas: ${note}\n`);
    process.stderr.write(`generate-schemas: wrote ${path.relative(process.cwd(), args.out) || args.out} (${Buffer.byteLength(json)} bytes)\n`);
  } catch (err) {
    process.stderr.write(`generate-schemas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

main();
