/**
 * Seeded generators for the language-server fuzzer: documents (real inputs, mutated) and edit sequences.
 *
 * Everything here is a pure function of a `Random`, so a seed replays the same documents and edits whatever the
 * server answers. Texts are JS strings: "invalid UTF-8" is modelled as U+FFFD and lone surrogates, which is what a
 * client can put on the wire (JSON escapes them).
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { fragmentText, httpRoutesLines, metadataLines, portLevelSettingsLines, sequence, serviceEntryEndpointsLines, trafficPolicyLines, workloadSelectorLines } from '../support/manifests';
import type { Random } from '../support/random';

// The fuzzer's modules and tests take their draws from here, with the generators that use them.
export { Random, randomSeed } from '../support/random';

// ---------------------------------------------------------------------------------------------------------------
// Corpus

export interface CorpusFile {
  /** Path relative to the project root (or `corpus:<name>` for the shared corpus). */
  readonly name: string;
  readonly text: string;
}

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/i.test(entry)) out.push(full);
  }
  return out;
}

/** Every real input: `examples/`, `test/fixtures/**` and `../shared/corpus/docs/*.yaml` when that folder exists. */
export function loadCorpus(projectRoot: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const file of [...yamlFilesUnder(path.join(projectRoot, 'examples')), ...yamlFilesUnder(path.join(projectRoot, 'test', 'fixtures'))]) {
    files.push({ name: path.relative(projectRoot, file), text: readFileSync(file, 'utf8') });
  }
  const shared = path.resolve(projectRoot, '..', 'shared', 'corpus', 'docs');
  if (existsSync(shared)) {
    for (const entry of readdirSync(shared).sort()) {
      if (entry.endsWith('.yaml')) files.push({ name: `corpus:${entry}`, text: readFileSync(path.join(shared, entry), 'utf8') });
    }
  }
  if (files.length === 0) throw new Error(`no YAML inputs found under ${projectRoot}`);
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Options

export interface GenOptions {
  /** Size of "very long" lines and scalars. */
  readonly longBytes: number;
  /** Depth of deep nesting (flow and block). */
  readonly deepLevels: number;
  /** Probability that a generated document or an edit carries one of the big payloads (long, deep, bomb, many `---`). */
  readonly bigChance: number;
  /** Edits with ranges past the end, reversed, or inside a CRLF pair (default: on). */
  readonly weirdRanges?: boolean;
}

export const DEFAULT_GEN: GenOptions = { longBytes: 200_000, deepLevels: 1000, bigChance: 0.04 };

// ---------------------------------------------------------------------------------------------------------------
// Fragments: the pieces mutations and edits insert

const KINDS = ['Service', 'Endpoints', 'DestinationRule', 'ServiceEntry', 'VirtualService', 'Gateway', 'ConfigMap', '', '[Service]', '{a: b}', 'Servic'];
const API_VERSIONS = ['v1', 'networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3', 'networking.istio.io/v2', '', 'v1/'];

// Resource sections come from the manifest builders the other generators use; the rest are written by hand, some in
// another key order than the builders write (a port before its name), which the checks must read as well.
const TOKENS = [
  'kind: Service\n',
  'kind: Endpoints\n',
  'kind: DestinationRule\n',
  'kind: ServiceEntry\n',
  'kind: VirtualService\n',
  'apiVersion: v1\n',
  'apiVersion: networking.istio.io/v1\n',
  'apiVersion: networking.istio.io/v1beta1\n',
  fragmentText(metadataLines({ name: 'svc', namespace: 'default' })),
  'name: ',
  'namespace: ',
  'spec:\n',
  'type: ExternalName\n',
  'externalName: api.example.com\n',
  'externalName: 10.0.0.1\n',
  'clusterIP: None\n',
  'selector: {}\n',
  'selector:\n  app: x\n',
  'ports:\n- port: 443\n  name: tls\n',
  '- port: 80\n  name: http\n  protocol: TCP\n',
  'targetPort: 8080\n',
  'port: ',
  'number: ',
  'protocol: HTTPS\n',
  'subsets:\n- addresses:\n  - ip: 10.1.2.3\n  ports:\n  - port: 443\n    name: tls\n',
  '- ip: 91.198.174.192\n',
  '- ip: 256.1.1.1\n',
  '- ip: ::1\n',
  'host: ',
  'host: my-svc.default.svc.cluster.local\n',
  'host: "*.svc.cluster.local"\n',
  'host: svc.ns\n',
  fragmentText(sequence('hosts', ['api.example.com'])),
  'hosts: ["*.example.com"]\n',
  fragmentText(trafficPolicyLines({ tls: { mode: 'ISTIO_MUTUAL' } })),
  'tls:\n  mode: SIMPLE\n  insecureSkipVerify: true\n',
  'mode: ',
  'mode: DISABLE\n',
  'mode: MUTUAL\n  credentialName: cred\n',
  'caCertificates: /etc/certs/ca.pem\n',
  'sni: example.com\n',
  fragmentText(portLevelSettingsLines([{ port: 443, tls: { mode: 'SIMPLE' } }])),
  fragmentText(workloadSelectorLines({ app: 'x' })),
  'exportTo: ["."]\n',
  'exportTo: ["~", "*", "ns"]\n',
  'location: MESH_EXTERNAL\n',
  'location: MESH_INTERNAL\n',
  'resolution: DNS\n',
  'resolution: STATIC\n',
  'resolution: NONE\n',
  fragmentText(serviceEntryEndpointsLines(['1.2.3.4'])),
  fragmentText(httpRoutesLines(['ext'])),
  '# istio-egress-disable EGR402\n',
  '# istio-egress-disable-file\n',
  '# istio-egress-disable-file EGR407, EGR304\n',
  'egress-',
  ': ',
  '- ',
  '  ',
  '\n',
];

const TYPED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:- .#&*!|>[]{},?%@`"\'\t\n\n\n\r\n';

const WEIRD_NUMBERS = [
  '1e30',
  '99999999999999999999',
  '-1',
  '0',
  '65536',
  '65535',
  '-0',
  '0x1BB',
  '0o777',
  '0777',
  '+443',
  '443.0',
  '4.43e2',
  '.inf',
  '-.Inf',
  '.nan',
  '1_000',
  '0b101',
  '9007199254740993',
  '1e309',
  '443 # comment',
  '"443"',
  "'80'",
  '~',
  'null',
  'true',
  '[443]',
  '{number: 443}',
];

const UNICODE = [
  '\u202Eelgoog\u202C', // right-to-left override
  'שלום-עולם', // Hebrew (RTL)
  'مرحبا', // Arabic (RTL)
  '\u200Bsvc\u200B', // zero-width space
  's\u200Dv\u200Cc', // zero-width joiner / non-joiner
  '\u2060word\uFEFFjoiner',
  '👩‍👩‍👧‍👦', // emoji ZWJ sequence
  '🚀.example.com',
  'e\u0301\u0301\u0301', // combining accents
  'Ω≈ç√∫',
  '\u2028', // line separator
  '\u2029', // paragraph separator
  '\u0085', // NEL (a YAML 1.1 line break)
  '\u000B\u000C', // vertical tab, form feed
  'ｆｕｌｌｗｉｄｔｈ',
  'xn--bcher-kva.example',
  '\u{1D54A}\u{1D560}\u{1D563}', // astral plane
];

const BROKEN_UNICODE = ['\uFFFD', '\uD800', '\uDC00', '\uDBFF\uDBFF', '\uDFFF\uD800', '\u0000', '\uFEFF', '\uFFFE', '\uFFFF', '\u0001\u0002\u001B[31m'];

const TAGS = [
  '!!binary ',
  '!custom ',
  '!Ref ',
  '!!python/object:os.system ',
  '!<tag:example.com,2000:x> ',
  '!!int ',
  '!!str ',
  '!!map ',
  '!!seq ',
  '!!set ',
  '!!omap ',
  '!!timestamp ',
  '!!float ',
  '!!bool ',
  '!!null ',
  '! ',
  '!e!x ',
  '!!merge ',
];

const STRUCTURAL = [
  '---\n',
  '--- \n',
  '---\t# c\n',
  '--- |\n  text\n',
  '...\n',
  '... # end\n',
  '%YAML 1.1\n',
  '%YAML 1.2\n---\n',
  '%YAML 2.0\n',
  '%TAG ! tag:example.com,2000:\n',
  '%TAG !e! tag:e.com:\n---\n',
  '%FOO bar\n',
  '? ',
  '? [a, b]\n: v\n',
  '&a ',
  '*a',
  '*undefined_alias',
  '<<: *a\n',
  '<<: [*a, *b]\n',
  '|\n',
  '>-\n',
  '|2-\n',
  '|9\n  x\n',
  '>+\n\n\n',
  '"unterminated',
  "'unterminated",
  '[',
  ']',
  '{',
  '}',
  '{a: [b, {c: d}]}',
  '- - - x\n',
  '-\n',
  ':',
  '::',
  '#',
  '@',
  '`',
  '\t',
  '\r',
  '\r\n',
];

function repeat(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.ceil(bytes / Math.max(1, unit.length))));
}

/** A very long scalar, line or comment (`longBytes` long). */
export function longLine(rng: Random, opts: GenOptions): string {
  const n = opts.longBytes;
  return rng.weighted<() => string>([
    [3, () => `description: ${repeat('a', n)}\n`],
    [2, () => `name: ${repeat('abc-', n)}\n`],
    [2, () => `# ${repeat('comment ', n)}\n`],
    [2, () => `data: "${repeat('\\u00e9x', n)}"\n`],
    [1, () => `host: ${repeat('a.', n)}com\n`],
    [1, () => `k: ${repeat('word ', n)}\n`],
    [1, () => `${repeat('k', n)}: v\n`],
    [1, () => `block: |\n  ${repeat('x', n)}\n`],
    [1, () => `flow: [${repeat('1, ', n)}2]\n`],
  ])();
}

/** A nesting depth: up to `deepLevels`, and now and then up to three times that. */
function depth(rng: Random, opts: GenOptions): number {
  return rng.between(Math.min(100, opts.deepLevels), rng.chance(0.2) ? 3 * opts.deepLevels : opts.deepLevels);
}

/** Deeply nested flow collections (closed or not). */
export function deepFlow(rng: Random, opts: GenOptions): string {
  const d = depth(rng, opts);
  return rng.weighted<() => string>([
    [3, () => `deep: ${'['.repeat(d)}x${']'.repeat(d)}\n`],
    [2, () => `deep: ${'{a: '.repeat(d)}x${'}'.repeat(d)}\n`],
    [2, () => `deep: ${'['.repeat(d)}\n`],
    [1, () => `deep: ${'[{a: '.repeat(d)}x${'}]'.repeat(d)}\n`],
    [1, () => `${'['.repeat(d)}${']'.repeat(d - 1)}\n`],
  ])();
}

/** Deeply nested block collections: compact sequences on one line, or one-space-indented mappings. */
export function deepBlock(rng: Random, opts: GenOptions): string {
  const d = depth(rng, opts);
  return rng.weighted<() => string>([
    [3, () => `deep:\n${'- '.repeat(d)}x\n`],
    [
      2,
      () => {
        // Mappings at one space per level: d*d/2 characters, so capped by the long-line budget.
        const levels = Math.min(d, Math.floor(Math.sqrt(2 * opts.longBytes)));
        let out = '';
        for (let i = 0; i < levels; i++) out += `${' '.repeat(i)}a${i}:\n`;
        return `${out}${' '.repeat(levels)}x\n`;
      },
    ],
    [
      1,
      () => {
        const levels = Math.min(d, Math.floor(Math.sqrt(2 * opts.longBytes)));
        let out = 'deep:\n';
        for (let i = 0; i < levels; i++) out += `${' '.repeat(i)}- \n`;
        return out;
      },
    ],
  ])();
}

/** Billion laughs: each level an anchored sequence of aliases to the previous one. */
export function aliasBomb(rng: Random): string {
  const width = rng.between(5, 10);
  const levels = rng.between(6, 12);
  let out = `a0: &a0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) out += `a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]\n`;
  const top = `*a${levels - 1}`;
  return rng.weighted<() => string>([
    [2, () => out],
    [1, () => `${out}spec: ${top}\n`],
    [1, () => `${out}ports: ${top}\nhosts: ${top}\n`],
    [1, () => `${out}metadata:\n  labels: {l: ${top}}\n`],
    [1, () => `${out}<<: ${top}\n`],
  ])();
}

function manySeparators(rng: Random): string {
  const n = rng.between(50, 3000);
  const unit = rng.pick(['---\n', '---\n...\n', '--- \n', '---\nkind: Service\n', '...\n', '--- # c\n', '---\r\n']);
  return unit.repeat(n);
}

/** A random string of UTF-16 code units, control characters and surrogates included. */
export function randomCodeUnits(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += rng.weighted<() => string>([
      [4, () => String.fromCharCode(rng.between(0x20, 0x7e))],
      [2, () => String.fromCharCode(rng.int(0x20))],
      [1, () => String.fromCharCode(rng.between(0x80, 0xffff))],
      [1, () => String.fromCharCode(rng.between(0xd800, 0xdfff))],
      [1, () => rng.pick(BROKEN_UNICODE)],
    ])();
  }
  return out;
}

function sliceOf(rng: Random, corpus: readonly CorpusFile[]): string {
  const text = rng.pick(corpus).text;
  const lines = text.split(/(?<=\n)/);
  const start = rng.int(lines.length);
  return lines.slice(start, start + rng.between(1, 8)).join('');
}

/** A big payload: long line, deep nesting, alias bomb or many separators. */
export function bigFragment(rng: Random, opts: GenOptions): string {
  return rng.weighted<() => string>([
    [2, () => longLine(rng, opts)],
    [2, () => deepFlow(rng, opts)],
    [2, () => deepBlock(rng, opts)],
    [2, () => aliasBomb(rng)],
    [1, () => manySeparators(rng)],
  ])();
}

/** Something to insert: a typed character most of the time, else tokens, specials, corpus slices, rarely big. */
export function fragment(rng: Random, corpus: readonly CorpusFile[], opts: GenOptions): string {
  if (rng.chance(opts.bigChance / 4)) return bigFragment(rng, opts);
  return rng.weighted<() => string>([
    [30, () => TYPED_CHARS.charAt(rng.int(TYPED_CHARS.length))],
    [14, () => rng.pick(TOKENS)],
    [6, () => rng.pick(STRUCTURAL)],
    [4, () => rng.pick(WEIRD_NUMBERS)],
    [3, () => rng.pick(UNICODE)],
    [3, () => rng.pick(BROKEN_UNICODE)],
    [3, () => rng.pick(TAGS)],
    [6, () => sliceOf(rng, corpus)],
    [2, () => randomCodeUnits(rng, rng.between(1, 40))],
    [2, () => `kind: ${rng.pick(KINDS)}\n`],
    [1, () => `apiVersion: ${rng.pick(API_VERSIONS)}\n`],
  ])();
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of whole texts

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function insertAt(text: string, offset: number, insert: string): string {
  return text.slice(0, offset) + insert + text.slice(offset);
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function randomLineStart(rng: Random, text: string): number {
  return rng.pick(lineStartOffsets(text));
}

function mapSomeLines(rng: Random, text: string, p: number, f: (line: string) => string): string {
  return splitLines(text)
    .map((line) => (rng.chance(p) ? f(line) : line))
    .join('');
}

/** Replaces the value of some `key: value` lines whose key matches. */
function replaceValues(rng: Random, text: string, keys: RegExp, values: () => string): string {
  let changed = false;
  const out = splitLines(text).map((line) => {
    const m = /^(\s*(?:-\s+)?)([\w.-]+)(:[ \t]*)([^\r\n]*)(\r?\n?)$/.exec(line);
    if (!m || !keys.test(m[2] ?? '') || !rng.chance(0.6)) return line;
    changed = true;
    return `${m[1]}${m[2]}${m[3]}${values()}${m[5]}`;
  });
  return changed ? out.join('') : `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${rng.pick(['port', 'name', 'host'])}: ${values()}\n`;
}

export interface Mutator {
  readonly name: string;
  readonly weight: number;
  apply(rng: Random, text: string, corpus: readonly CorpusFile[], opts: GenOptions): string;
}

export const MUTATORS: readonly Mutator[] = [
  { name: 'cut', weight: 6, apply: (rng, t) => t.slice(0, rng.int(t.length + 1)) },
  { name: 'no-final-newline', weight: 3, apply: (_rng, t) => t.replace(/[\r\n]+$/, '') },
  {
    name: 'cut-middle',
    weight: 4,
    apply: (rng, t) => {
      const a = rng.int(t.length + 1);
      return t.slice(0, a) + t.slice(Math.min(t.length, a + rng.between(1, 200)));
    },
  },
  {
    name: 'duplicate-key',
    weight: 5,
    apply: (rng, t) => {
      const lines = splitLines(t);
      const keyed = lines.map((l, i) => (/^\s*(?:-\s+)?[\w.-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!keyed.length) return t;
      const i = rng.pick(keyed);
      const line = lines[i] ?? '';
      lines.splice(i + rng.between(1, 3), 0, line.endsWith('\n') ? line : `${line}\n`);
      return lines.join('');
    },
  },
  {
    name: 'wrong-indentation',
    weight: 6,
    apply: (rng, t) => mapSomeLines(rng, t, 0.1, (l) => (rng.chance(0.5) ? ' '.repeat(rng.between(1, 3)) + l : l.replace(/^ {1,3}/, ''))),
  },
  { name: 'tabs', weight: 4, apply: (rng, t) => mapSomeLines(rng, t, 0.3, (l) => l.replace(/^( +)/, (s) => '\t'.repeat(Math.max(1, s.length >> 1))).replace(/: /, ':\t')) },
  {
    name: 'line-endings',
    weight: 5,
    apply: (rng, t) =>
      rng.weighted<() => string>([
        [3, () => t.replace(/\r?\n/g, '\r\n')],
        [2, () => t.replace(/\r?\n/g, '\r')],
        [2, () => mapSomeLines(rng, t, 0.3, (l) => l.replace(/\n$/, rng.pick(['\r\n', '\r', '\n\r', '\r\r\n'])))],
      ])(),
  },
  {
    name: 'bom',
    weight: 3,
    apply: (rng, t) => (rng.chance(0.6) ? `\uFEFF${t}` : insertAt(t, rng.chance(0.5) ? randomLineStart(rng, t) : rng.int(t.length + 1), '\uFEFF')),
  },
  {
    name: 'nul-and-broken-unicode',
    weight: 4,
    apply: (rng, t) => {
      let out = t;
      for (let n = rng.between(1, 4); n > 0; n--) out = insertAt(out, rng.int(out.length + 1), rng.pick(BROKEN_UNICODE));
      return out;
    },
  },
  {
    name: 'split-surrogate-pair',
    weight: 1,
    apply: (rng, t) => {
      const base = insertAt(t, rng.int(t.length + 1), rng.pick(['🚀', '👩‍👩‍👧', '\u{1D54A}']));
      const pairs = [...base.matchAll(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)].map((m) => m.index);
      if (!pairs.length) return base;
      const at = rng.pick(pairs) + 1;
      return insertAt(base, at, rng.pick(['x', '\n', ': ', '']));
    },
  },
  { name: 'long-line', weight: 2, apply: (rng, t, _c, opts) => insertAt(t, randomLineStart(rng, t), longLine(rng, opts)) },
  { name: 'deep-flow', weight: 2, apply: (rng, t, _c, opts) => insertAt(t, randomLineStart(rng, t), deepFlow(rng, opts)) },
  { name: 'deep-block', weight: 2, apply: (rng, t, _c, opts) => insertAt(t, randomLineStart(rng, t), deepBlock(rng, opts)) },
  {
    name: 'anchors-aliases',
    weight: 4,
    apply: (rng, t) => {
      let out = replaceValues(rng, t, /^(name|host|port|number|mode|namespace|spec|metadata|ports|hosts|tls)$/, () =>
        rng.pick(['&a x', '*a', '*b', '&b [1]', '&a {k: v}', '*undefined', '&x &y z', '&a *a']),
      );
      if (rng.chance(0.3)) out = `${out}${out.endsWith('\n') ? '' : '\n'}<<: *a\n`;
      if (rng.chance(0.3)) out = `${out}${out.endsWith('\n') ? '' : '\n'}*a : key-alias\n`;
      if (rng.chance(0.2)) out = `${out}${out.endsWith('\n') ? '' : '\n'}r: &r [*r]\n`;
      return out;
    },
  },
  { name: 'alias-bomb', weight: 2, apply: (rng, t) => insertAt(t, rng.chance(0.5) ? t.length : randomLineStart(rng, t), aliasBomb(rng)) },
  { name: 'tags', weight: 3, apply: (rng, t) => replaceValues(rng, t, /./, () => `${rng.pick(TAGS)}${rng.pick(['R0lGODlhDAAMAIQAAP//9/X', 'x', '443', '[a]', '{a: 1}', '', '"s"'])}`) },
  { name: 'huge-port', weight: 4, apply: (rng, t) => replaceValues(rng, t, /^(port|number|targetPort|nodePort)$/, () => rng.pick(WEIRD_NUMBERS)) },
  {
    name: 'unicode-names',
    weight: 4,
    apply: (rng, t) => replaceValues(rng, t, /^(name|namespace|host|externalName|ip|mode|kind|sni)$/, () => rng.pick(UNICODE) + (rng.chance(0.5) ? rng.pick(UNICODE) : '')),
  },
  { name: 'many-separators', weight: 2, apply: (rng, t) => insertAt(t, randomLineStart(rng, t), manySeparators(rng)) },
  { name: 'end-markers', weight: 3, apply: (rng, t) => mapSomeLines(rng, t, 0.1, (l) => rng.pick(['...\n', '---\n', '... x\n', '---x\n', '--- \n']) + l) },
  {
    name: 'directives',
    weight: 3,
    apply: (rng, t) => rng.pick(['%YAML 1.1\n---\n', '%YAML 1.1\n', '%YAML 1.2\n%YAML 1.2\n---\n', '%TAG ! tag:x.com,2000:\n---\n', '%FOO\n---\n', '%YAML 1.3\n---\n']) + t,
  },
  { name: 'random-bytes', weight: 3, apply: (rng, t) => insertAt(t, rng.int(t.length + 1), randomCodeUnits(rng, rng.between(1, 60))) },
  { name: 'splice', weight: 4, apply: (rng, t, corpus) => insertAt(t, randomLineStart(rng, t), sliceOf(rng, corpus)) },
  {
    name: 'swap-lines',
    weight: 3,
    apply: (rng, t) => {
      const lines = splitLines(t);
      if (lines.length < 2) return t;
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      const a = lines[i] ?? '';
      lines[i] = lines[j] ?? '';
      lines[j] = a;
      return lines.join('');
    },
  },
  {
    name: 'unbalanced',
    weight: 3,
    apply: (rng, t) => insertAt(t, rng.int(t.length + 1), rng.pick(['"', "'", '[', '{', ']', '}', '`', '|', '>', '&', '*', '!', '%', '@', '? ', ': ', '- '])),
  },
  {
    name: 'type-confusion',
    weight: 5,
    apply: (rng, t) => replaceValues(rng, t, /./, () => rng.pick(['[1, 2]', '{}', '[]', 'null', '~', 'true', '123', '"str"', '{a: [b]}', '- x', '|\n  text', '!!binary AAAA', ''])),
  },
  { name: 'kind-swap', weight: 4, apply: (rng, t) => replaceValues(rng, t, /^kind$/, () => rng.pick(KINDS)) },
  { name: 'api-swap', weight: 2, apply: (rng, t) => replaceValues(rng, t, /^apiVersion$/, () => rng.pick(API_VERSIONS)) },
  {
    name: 'block-scalar',
    weight: 2,
    apply: (rng, t) =>
      replaceValues(rng, t, /./, () => `${rng.pick(['|', '>', '|-', '>+', '|2', '|9-', '|0'])}\n${rng.pick(['  text\n', ' a\n  b\n', '\ttab\n', '\n\n  late\n'])}`.replace(/\n$/, '')),
  },
  { name: 'complex-keys', weight: 2, apply: (rng, t) => insertAt(t, randomLineStart(rng, t), rng.pick(['? [a, b]\n: v\n', '? |\n  block key\n: v\n', '[a]: b\n', '{a: b}: c\n', '? \n'])) },
];

export function mutate(rng: Random, text: string, corpus: readonly CorpusFile[], opts: GenOptions, count: number): { text: string; applied: string[] } {
  const big = new Set(['long-line', 'deep-flow', 'deep-block', 'alias-bomb', 'many-separators']);
  let out = text;
  const applied: string[] = [];
  for (let i = 0; i < count; i++) {
    let m = rng.weighted(MUTATORS.map((x) => [x.weight, x] as const));
    // Big payloads are rare (they dominate the run time); re-draw most of them.
    while (big.has(m.name) && !rng.chance(opts.bigChance * 5)) m = rng.weighted(MUTATORS.map((x) => [x.weight, x] as const));
    out = m.apply(rng, out, corpus, opts);
    applied.push(m.name);
  }
  return { text: out, applied };
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

export interface GeneratedDocument {
  readonly text: string;
  /** How it was made, for reports. */
  readonly recipe: string;
}

export function generateDocument(rng: Random, corpus: readonly CorpusFile[], opts: GenOptions = DEFAULT_GEN): GeneratedDocument {
  const base = rng.weighted<() => GeneratedDocument>([
    [
      60,
      () => {
        const f = rng.pick(corpus);
        return { text: f.text, recipe: f.name };
      },
    ],
    [
      20,
      () => {
        const picked = Array.from({ length: rng.between(2, 4) }, () => rng.pick(corpus));
        return { text: picked.map((f) => f.text.replace(/\n?$/, '\n')).join(rng.pick(['---\n', '...\n---\n', '---\r\n'])), recipe: picked.map((f) => f.name).join(' + ') };
      },
    ],
    [4, () => ({ text: '', recipe: 'empty' })],
    [4, () => ({ text: Array.from({ length: rng.between(1, 30) }, () => fragment(rng, corpus, opts)).join(''), recipe: 'fragments' })],
    [
      opts.bigChance * 100,
      () => {
        const f = rng.pick(corpus);
        const payload = bigFragment(rng, opts);
        return { text: insertAt(f.text, randomLineStart(rng, f.text), payload), recipe: `${f.name} + big payload` };
      },
    ],
  ])();
  const count = rng.weighted([
    [3, 0],
    [4, 1],
    [3, 2],
    [2, 3],
    [1, 5],
  ] as const);
  const { text, applied } = mutate(rng, base.text, corpus, opts, count);
  return { text, recipe: applied.length ? `${base.recipe} | ${applied.join(', ')}` : base.recipe };
}

// ---------------------------------------------------------------------------------------------------------------
// Edits

export type Edit = { readonly kind: 'incremental'; readonly range: Range; readonly text: string } | { readonly kind: 'full'; readonly text: string };

function position(line: number, character: number): Position {
  return { line, character };
}

/**
 * Edits for one document, like an editor's: typing runs at a cursor, deletions, line operations, pasted slices,
 * occasionally ranges past the end or reversed, zero-length, and rarely a full replacement.
 */
export class EditGenerator {
  private cursor = 0;

  constructor(
    private readonly rng: Random,
    private readonly corpus: readonly CorpusFile[],
    private readonly opts: GenOptions = DEFAULT_GEN,
  ) {}

  next(doc: DocView): Edit {
    const rng = this.rng;
    const text = doc.getText();
    const length = text.length;
    if (this.cursor > length) this.cursor = length;
    const at = (offset: number): Position => doc.positionAt(offset);
    const kind = rng.weighted([
      [40, 'type'],
      [14, 'delete'],
      [10, 'replace'],
      [6, 'line-delete'],
      [4, 'line-duplicate'],
      [6, 'indent'],
      [4, 'paste'],
      [this.opts.weirdRanges === false ? 0 : 5, 'weird-range'],
      [2, 'full'],
      [this.opts.bigChance * 5, 'big'],
    ] as const);
    switch (kind) {
      case 'type': {
        if (rng.chance(0.15)) this.cursor = rng.int(length + 1);
        const insert = rng.chance(0.8) ? TYPED_CHARS.charAt(rng.int(TYPED_CHARS.length)) : fragment(rng, this.corpus, this.opts);
        const p = at(this.cursor);
        this.cursor += insert.length;
        return { kind: 'incremental', range: { start: p, end: p }, text: insert };
      }
      case 'delete': {
        const start = rng.chance(0.5) ? Math.max(0, this.cursor - rng.between(1, 3)) : rng.int(length + 1);
        const end = Math.min(
          length,
          start +
            rng.weighted([
              [6, rng.between(0, 3)],
              [3, rng.between(4, 80)],
              [1, rng.int(length + 1)],
            ] as const),
        );
        this.cursor = start;
        return { kind: 'incremental', range: { start: at(start), end: at(end) }, text: '' };
      }
      case 'replace': {
        const start = rng.int(length + 1);
        const end = Math.min(length, start + rng.between(0, 40));
        const insert = fragment(rng, this.corpus, this.opts);
        this.cursor = start + insert.length;
        return { kind: 'incremental', range: { start: at(start), end: at(end) }, text: insert };
      }
      case 'line-delete': {
        const line = rng.int(doc.lineCount);
        const n = rng.between(1, 4);
        return { kind: 'incremental', range: { start: position(line, 0), end: position(line + n, 0) }, text: '' };
      }
      case 'line-duplicate': {
        const line = rng.int(doc.lineCount);
        const content = text.slice(doc.offsetAt(position(line, 0)), doc.offsetAt(position(line + 1, 0)));
        const target = position(rng.int(doc.lineCount + 1), 0);
        return { kind: 'incremental', range: { start: target, end: target }, text: content.endsWith('\n') || content.endsWith('\r') ? content : `${content}\n` };
      }
      case 'indent': {
        const line = rng.int(doc.lineCount);
        if (rng.chance(0.5)) {
          const p = position(line, 0);
          return { kind: 'incremental', range: { start: p, end: p }, text: rng.pick(['  ', ' ', '\t', '    ']) };
        }
        return { kind: 'incremental', range: { start: position(line, 0), end: position(line, rng.between(1, 4)) }, text: '' };
      }
      case 'paste': {
        const p = at(rng.int(length + 1));
        return { kind: 'incremental', range: { start: p, end: p }, text: sliceOf(rng, this.corpus) };
      }
      case 'weird-range': {
        const lines = doc.lineCount;
        const weird = rng.weighted<() => Range>([
          // Past the end of the document.
          [3, () => ({ start: position(lines + rng.int(5), rng.int(50)), end: position(lines + rng.int(10), rng.int(50)) })],
          // Past the end of a line.
          [
            3,
            () => {
              const line = rng.int(lines);
              return { start: position(line, rng.between(50, 5000)), end: position(line + rng.int(2), rng.between(50, 5000)) };
            },
          ],
          // Reversed (end before start).
          [
            2,
            () => {
              const a = rng.int(length + 1);
              const b = rng.int(length + 1);
              return { start: at(Math.max(a, b)), end: at(Math.min(a, b)) };
            },
          ],
          // Zero-length at the very end.
          [2, () => ({ start: at(length), end: at(length) })],
          // Inside a CRLF pair or a surrogate pair, if any (a position the protocol does not define).
          [
            1,
            () => {
              const i = text.search(/\r\n|[\uD800-\uDBFF][\uDC00-\uDFFF]/);
              const p = i >= 0 ? at(i + 1) : at(rng.int(length + 1));
              return { start: p, end: p };
            },
          ],
        ])();
        return { kind: 'incremental', range: weird, text: rng.chance(0.5) ? '' : fragment(rng, this.corpus, this.opts) };
      }
      case 'full': {
        this.cursor = 0;
        if (rng.chance(0.5)) return { kind: 'full', text: generateDocument(rng, this.corpus, this.opts).text };
        return { kind: 'full', text: mutate(rng, text, this.corpus, this.opts, rng.between(1, 3)).text };
      }
      case 'big': {
        const p = at(rng.chance(0.5) ? rng.int(length + 1) : doc.offsetAt(position(rng.int(doc.lineCount), 0)));
        return { kind: 'incremental', range: { start: p, end: p }, text: bigFragment(rng, this.opts) };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Line geometry as the protocol defines it (`\n`, `\r\n` and `\r` all end a line)

/** What the edit generator and the checks read of a document. */
export interface DocView {
  readonly version: number;
  readonly lineCount: number;
  getText(): string;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/**
 * The text an editor holds, as a reference: every change applied by the protocol's rules, line starts recomputed
 * from scratch (no incremental bookkeeping to get wrong). A position past a line's end means that line's end, a line
 * past the last line means the end of the text, a negative line the start; a reversed range is taken start-first.
 */
export class RefDocument implements DocView {
  private text: string;
  private starts: number[] | undefined;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.text = text;
  }

  getText(): string {
    return this.text;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 13 && t.charCodeAt(i + 1) === 10) i++;
        if (c === 10 || c === 13) starts.push(i + 1);
      }
      this.starts = starts;
    }
    return this.starts;
  }

  /** Offset of the end of a line's content (before its line break). */
  private contentEnd(line: number): number {
    const starts = this.lineStarts();
    let end = starts[line + 1] ?? this.text.length;
    if (end > (starts[line] ?? 0) && line + 1 < starts.length) {
      end--;
      if (this.text.charCodeAt(end) === 10 && end > (starts[line] ?? 0) && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return end;
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line] ?? 0;
    return Math.min(start + Math.max(0, position.character), this.contentEnd(position.line));
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    // An offset inside a line break (between `\r` and `\n`) is the end of the line's content.
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - (starts[low] ?? 0) };
  }

  apply(change: TextDocumentContentChangeEvent): void {
    if ('range' in change) {
      const { start, end } = change.range;
      const reversed = start.line > end.line || (start.line === end.line && start.character > end.character);
      const a = this.offsetAt(reversed ? end : start);
      const b = this.offsetAt(reversed ? start : end);
      this.text = this.text.slice(0, Math.min(a, b)) + change.text + this.text.slice(Math.max(a, b));
    } else {
      this.text = change.text;
    }
    this.starts = undefined;
  }
}

/** Length of every line, without its line terminator. */
export function lineLengths(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// WTF-8: regression files keep lone surrogates (which UTF-8 cannot encode) byte-exactly

export function encodeWtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(bytes);
}

/** Decodes UTF-8 that may hold encoded lone surrogates (WTF-8); any other invalid byte becomes U+FFFD. */
export function decodeWtf8(buffer: Uint8Array): string {
  let out = '';
  let i = 0;
  const cont = (k: number): number => {
    const b = buffer[i + k];
    return b !== undefined && (b & 0xc0) === 0x80 ? b & 63 : -1;
  };
  while (i < buffer.length) {
    const b = buffer[i] ?? 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if (b >= 0xc2 && b < 0xe0 && cont(1) >= 0) {
      out += String.fromCharCode(((b & 31) << 6) | cont(1));
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0 && cont(1) >= 0 && cont(2) >= 0) {
      const c = ((b & 15) << 12) | (cont(1) << 6) | cont(2);
      if (c < 0x800) {
        out += '\uFFFD';
        i += 1;
      } else {
        out += String.fromCharCode(c);
        i += 3;
      }
    } else if (b >= 0xf0 && b < 0xf5 && cont(1) >= 0 && cont(2) >= 0 && cont(3) >= 0) {
      const c = ((b & 7) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
      if (c < 0x10000 || c > 0x10ffff) {
        out += '\uFFFD';
        i += 1;
      } else {
        out += String.fromCodePoint(c);
        i += 4;
      }
    } else {
      out += '\uFFFD';
      i += 1;
    }
  }
  return out;
}
