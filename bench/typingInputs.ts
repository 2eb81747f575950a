/**
 * The inputs of the typing benchmark (`typingRuns.ts`), seeded like the others: the largest generated manifest, one
 * large single document, and a workspace folder of its own; and, in each, the place where the new key is typed.
 *
 * The large document is one DestinationRule with hundreds of `portLevelSettings` entries (each with a connection
 * pool, outlier detection, a load balancer and TLS), as a gateway toward a partner with many ports is written: one
 * document, no `---`, at least `BIG_DOCUMENT_MIN_BYTES`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Random } from '../test/support/random';
import { DEFAULT_SEED, writeSingleFile, writeWorkspace, type GeneratedFile } from './generate';
import { ISTIO_NETWORKING } from '../test/support/manifests/metadata';
import type { Options } from './options';
import { OUT, ROOT } from './paths';
import { WORKSPACE_PER_FILE } from './scenarios';
import { formatBytes } from './stats';

/** The key a person types, one character per keystroke, after an Enter that brings the indentation. */
export const TYPED_KEY = 'connectTimeout: 30s';
export const BIG_DOCUMENT_MIN_BYTES = 200_000;
/** Manifest documents of scenario (a) and files of scenario (c) without --quick. */
export const TYPING_MANIFEST_DOCUMENTS = 10_000;
export const TYPING_WORKSPACE_FILES = 1000;
export const TYPING_WORKSPACE_FILES_QUICK = 200;

/** Where the new line goes: after the end of `line`, indented by `indent`. */
export interface TypingPoint {
  readonly line: number;
  readonly character: number;
  readonly indent: string;
}

/** One typing scenario: the file typed into, and the folder the server gets (null: the file opened on its own). */
export interface TypingScenario {
  readonly label: string;
  readonly description: string;
  readonly workspaceUri: string | null;
  readonly uri: string;
  readonly text: string;
  readonly bytes: number;
  readonly point: TypingPoint;
}

/** After the `trafficPolicy:` line of the DestinationRule that holds `fromLine`, at its children's indentation. */
export function trafficPolicyPoint(text: string, fromLine: number): TypingPoint {
  const lines = text.split('\n');
  for (let i = fromLine; i >= 0; i--) {
    const line = lines[i] ?? '';
    const match = /^( *)trafficPolicy:\s*$/.exec(line);
    if (match) return { line: i, character: line.length, indent: `${match[1] ?? ''}  ` };
    if (line === '---') break;
  }
  throw new Error(`no trafficPolicy above line ${fromLine}`);
}

const LOAD_BALANCERS = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'] as const;

/**
 * One DestinationRule of at least `minBytes`, and the place in its middle `portLevelSettings` entry where the new key
 * is typed: after `maxConnections` in that entry's `connectionPool.tcp`, where `connectTimeout` is valid.
 */
export function bigDestinationRule(minBytes = BIG_DOCUMENT_MIN_BYTES, seed = DEFAULT_SEED): { text: string; entries: number; point: TypingPoint } {
  const rng = new Random(seed ^ 0xb16d0c);
  const head = [
    `apiVersion: ${ISTIO_NETWORKING}`,
    'kind: DestinationRule',
    'metadata:',
    '  name: partner-gateway',
    '  namespace: egress-demo',
    '  labels:',
    '    app.kubernetes.io/managed-by: platform-egress',
    'spec:',
    '  host: gateway.partner.example.com',
    '  exportTo:',
    '  - "."',
    '  trafficPolicy:',
    '    connectionPool:',
    '      tcp:',
    '        maxConnections: 1000',
    '    tls:',
    '      mode: SIMPLE',
    '      sni: gateway.partner.example.com',
    '    portLevelSettings:',
  ];
  const entries: string[][] = [];
  let bytes = head.join('\n').length + 1;
  while (bytes < minBytes) {
    const port = 10_000 + entries.length;
    const entry = [
      '    - port:',
      `        number: ${port}`,
      '      connectionPool:',
      '        tcp:',
      `          maxConnections: ${rng.between(10, 500)}`,
      '        http:',
      `          http1MaxPendingRequests: ${rng.between(1, 100)}`,
      `          idleTimeout: ${rng.between(5, 300)}s`,
      '      outlierDetection:',
      `        consecutive5xxErrors: ${rng.between(1, 10)}`,
      `        interval: ${rng.between(1, 30)}s`,
      `        baseEjectionTime: ${rng.between(10, 120)}s`,
      '      loadBalancer:',
      `        simple: ${rng.pick(LOAD_BALANCERS)}`,
      '      tls:',
      '        mode: SIMPLE',
      `        sni: tenant-${port}.gateway.partner.example.com`,
    ];
    entries.push(entry);
    bytes += entry.join('\n').length + 1;
  }
  const middle = Math.floor(entries.length / 2);
  const lines = [...head];
  let point: TypingPoint | undefined;
  entries.forEach((entry, i) => {
    if (i === middle) {
      const at = entry.findIndex((l) => l.includes('maxConnections:'));
      const line = entry[at] ?? '';
      point = { line: lines.length + at, character: line.length, indent: ' '.repeat(line.length - line.trimStart().length) };
    }
    lines.push(...entry);
  });
  if (!point) throw new Error('no middle entry');
  return { text: `${lines.join('\n')}\n`, entries: entries.length, point };
}

function middleModeLine(file: GeneratedFile): number {
  const anchor = file.anchors.find((a) => a.type === 'modeValue' && a.role === 'middle');
  if (!anchor) throw new Error('generated file has no middle mode anchor');
  return anchor.line;
}

/** Writes the three inputs under bench/out/typing/ (the manifest is the bench's own) and returns the scenarios. */
export function writeTypingInputs(options: Options, log: (line: string) => void): TypingScenario[] {
  const dir = path.join(OUT, 'typing');
  mkdirSync(dir, { recursive: true });
  const rel = (p: string): string => path.relative(ROOT, p);

  const documents = options.quick ? Math.max(...options.sizes) : TYPING_MANIFEST_DOCUMENTS;
  const manifest = writeSingleFile(OUT, documents);
  const manifestBytes = Buffer.byteLength(manifest.text);

  const big = bigDestinationRule();
  const bigPath = path.join(dir, 'partner-gateway.yaml');
  writeFileSync(bigPath, big.text);
  const bigBytes = Buffer.byteLength(big.text);

  const files = options.quick ? TYPING_WORKSPACE_FILES_QUICK : TYPING_WORKSPACE_FILES;
  const workspaceDir = path.join(dir, 'workspace');
  const workspace = writeWorkspace(workspaceDir, files, WORKSPACE_PER_FILE);
  const probe = workspace.probe;
  if (!probe) throw new Error('the typing workspace has no DestinationRule with mode DISABLE');

  log(`typing input: ${rel(manifest.path)} — ${documents} documents, ${formatBytes(manifestBytes)}`);
  log(`typing input: ${rel(bigPath)} — one DestinationRule with ${big.entries} portLevelSettings entries, ${formatBytes(bigBytes)}`);
  log(`typing input: ${rel(workspaceDir)}/ — ${files} files × ${WORKSPACE_PER_FILE} documents, ${formatBytes(workspace.bytes)}; typed into ${rel(probe.path)}`);

  return [
    {
      label: `${documents.toLocaleString('en-US')} documents`,
      description: `the ${documents.toLocaleString('en-US')}-document manifest (${formatBytes(manifestBytes)}), opened on its own`,
      workspaceUri: null,
      uri: pathToFileURL(manifest.path).toString(),
      text: manifest.text,
      bytes: manifestBytes,
      point: trafficPolicyPoint(manifest.text, middleModeLine(manifest)),
    },
    {
      label: `one ${formatBytes(bigBytes)} document`,
      description: `one DestinationRule of ${big.entries} port-level settings (${formatBytes(bigBytes)}), opened on its own`,
      workspaceUri: null,
      uri: pathToFileURL(bigPath).toString(),
      text: big.text,
      bytes: bigBytes,
      point: big.point,
    },
    {
      label: `workspace of ${files.toLocaleString('en-US')} files`,
      description: `one file of a ${files.toLocaleString('en-US')}-file workspace folder (${WORKSPACE_PER_FILE} documents each, ${formatBytes(workspace.bytes)} in all), opened once the folder is indexed`,
      workspaceUri: pathToFileURL(workspaceDir).toString(),
      uri: pathToFileURL(probe.path).toString(),
      text: probe.text,
      bytes: Buffer.byteLength(probe.text),
      point: trafficPolicyPoint(probe.text, probe.anchor.line),
    },
  ];
}
