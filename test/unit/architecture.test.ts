import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Import directions (docs/architecture.md): the analysis core knows nothing of editors, the CLI or the cluster probe;
 * its folders import only those below them; the client uses server/src only through server/src/shared/, which in turn
 * keeps the language server and the CLI out of the client's bundle.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One import or re-export: `from` and `to` are paths relative to the scanned root (forward slashes), or `to` is a package name. */
export interface ImportEdge {
  readonly from: string;
  readonly line: number;
  readonly specifier: string;
  /** The resolved file for a relative specifier; the package name (`vscode-languageserver` for `vscode-languageserver/node`) otherwise. */
  readonly to: string;
  readonly relative: boolean;
}

// `import … from '…'`, `import type … from '…'`, `export … from '…'`, `export type … from '…'`, at the start of a line
// (so JSDoc lines, which start with `*`, do not count), plus side-effect `import '…'` and literal dynamic `import('…')`.
const STATIC_IMPORT = /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\*\s*(?:as\s+[\w$]+\s*)?|\{[^}]*\}\s*)?from\s*(['"])([^'"\n]+)\1/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The file a relative specifier names, as TypeScript's bundler resolution finds it; the bare joined path when none exists. */
function resolveRelative(root: string, fromFile: string, specifier: string): string {
  const base = path.resolve(root, path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? base;
  return path.relative(root, found).split(path.sep).join('/');
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import edge of the `.ts` files under `server/src` and `client/src` of `root`. */
export function scanImports(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of [...tsFiles(path.join(root, 'server/src')), ...tsFiles(path.join(root, 'client/src'))]) {
    const from = path.relative(root, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const seen = new Set<string>();
    for (const pattern of [STATIC_IMPORT, SIDE_EFFECT_IMPORT, DYNAMIC_IMPORT]) {
      for (const m of text.matchAll(pattern)) {
        const specifier = m[2] ?? '';
        const line = lineAt(text, m.index + m[0].length);
        if (seen.has(`${line}:${specifier}`)) continue;
        seen.add(`${line}:${specifier}`);
        const relative = specifier.startsWith('.');
        edges.push({ from, line, specifier, relative, to: relative ? resolveRelative(root, from, specifier) : packageName(specifier) });
      }
    }
  }
  return edges;
}

export interface ImportViolation {
  readonly rule: string;
  readonly edge: ImportEdge;
}

/** What the client and the server share: the only folder of server/src the client imports from. */
const SHARED = 'server/src/shared/';

// The shared folder is the adapters' common API (it imports the probe and the core's options), so it sits above the core.
const FORBIDDEN_IN_ANALYSIS_DIRS = ['server/src/lsp/', 'server/src/cli/', 'server/src/probe/', SHARED, 'client/'];
const EDITOR_PACKAGES = ['vscode', 'vscode-languageserver', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-languageclient'];
/** The client bundles what it imports from the shared folder, and the language server and the CLI load it too. */
const FORBIDDEN_IN_SHARED_DIRS = ['server/src/lsp/', 'server/src/cli/', 'client/'];

/**
 * The layers of the core, bottom up: the model, the workspace's lookups (index, relations), the rules, the engine that
 * runs them, and the features on top. A folder never imports one above it, so no two folders import each other.
 */
const LAYERS: readonly { readonly folder: string; readonly above: readonly string[]; readonly rule: string }[] = [
  { folder: 'server/src/analysis/model/', above: ['workspace/', 'rules/', 'engine/', 'assist/', 'refactor/'], rule: 'the model imports a layer above it' },
  { folder: 'server/src/analysis/workspace/', above: ['rules/', 'engine/', 'assist/', 'refactor/'], rule: 'the workspace lookups import the rules or the engine' },
  { folder: 'server/src/analysis/rules/', above: ['engine/', 'assist/', 'refactor/'], rule: 'a rule imports the engine or a feature' },
];

/** The edges that break an import-direction rule. */
export function importViolations(edges: readonly ImportEdge[]): ImportViolation[] {
  const violations: ImportViolation[] = [];
  for (const edge of edges) {
    if (edge.from.startsWith('server/src/analysis/')) {
      if (edge.relative && FORBIDDEN_IN_ANALYSIS_DIRS.some((dir) => edge.to.startsWith(dir))) violations.push({ rule: 'the analysis core imports an adapter', edge });
      if (!edge.relative && EDITOR_PACKAGES.includes(edge.to)) violations.push({ rule: 'the analysis core imports an editor package', edge });
    }
    for (const layer of LAYERS) {
      if (edge.from.startsWith(layer.folder) && layer.above.some((folder) => edge.to.startsWith(`server/src/analysis/${folder}`))) violations.push({ rule: layer.rule, edge });
    }
    if (edge.from.startsWith(SHARED)) {
      if (edge.relative && FORBIDDEN_IN_SHARED_DIRS.some((dir) => edge.to.startsWith(dir)))
        violations.push({ rule: 'the shared folder imports the language server, the CLI or the client', edge });
      if (!edge.relative && EDITOR_PACKAGES.includes(edge.to)) violations.push({ rule: 'the shared folder imports an editor package', edge });
    }
    if (edge.from.startsWith('client/src/') && edge.to.startsWith('server/src/') && !edge.to.startsWith(SHARED)) {
      violations.push({ rule: `the client imports from server/src outside ${SHARED}`, edge });
    }
  }
  return violations;
}

export function describeViolation(v: ImportViolation): string {
  return `${v.edge.from}:${v.edge.line} imports '${v.edge.specifier}' (${v.edge.to}): ${v.rule}`;
}

describe('import directions', () => {
  const edges = scanImports(ROOT);

  it('finds the imports of server/src and client/src', () => {
    assert.ok(
      edges.some((e) => e.from.startsWith('server/src/analysis/')),
      'no import found under server/src/analysis',
    );
    assert.ok(
      edges.some((e) => e.from.startsWith('client/src/') && e.to === 'vscode'),
      'the client does not import vscode?',
    );
    assert.ok(
      edges.some((e) => e.from.startsWith('client/src/') && e.to.startsWith(SHARED)),
      'the client imports nothing from the shared folder?',
    );
    const unresolved = edges.filter((e) => e.relative && !existsSync(path.join(ROOT, e.to)));
    assert.deepEqual(
      unresolved.map((e) => `${e.from}:${e.line} '${e.specifier}'`),
      [],
      'relative imports that name no file',
    );
  });

  it('keeps the analysis core free of adapters and editor packages, its layers in order, the client to the shared folder', () => {
    const violations = importViolations(edges);
    assert.deepEqual(violations.map(describeViolation), []);
  });
});

describe('the import scan on a temporary tree', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'istio-egress-architecture-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('server/src/lsp/protocol.ts', 'export const X = 1;\n');
  write('server/src/shared/protocol.ts', 'export const S = 1;\n');
  write(
    'server/src/shared/leaky.ts',
    "import type { Connection } from 'vscode-languageserver/node';\nimport { X } from '../lsp/protocol';\nexport { S } from './protocol';\nexport type L = [Connection, typeof X];\n",
  );
  write('server/src/probe/index.ts', 'export const P = 1;\n');
  write('server/src/cli/main.ts', 'export const C = 1;\n');
  write('server/src/analysis/workspace/workspaceIndex.ts', 'export class WorkspaceIndex {}\n');
  write('server/src/analysis/workspace/placed.ts', 'export type Placed = number;\n');
  write('server/src/analysis/model/ok.ts', "import { parse } from 'yaml';\n/** import { X } from '../../lsp/protocol'; in a comment */\nexport const ok = parse;\n");
  write(
    'server/src/analysis/model/bad.ts',
    [
      "import type { Connection } from 'vscode-languageserver/node';",
      'import {',
      '  X,',
      "} from '../../lsp/protocol';",
      "export { C } from '../../cli/main';",
      'export const load = () => import("../../probe");',
      "import { S } from '../../shared/protocol';",
      '',
    ].join('\n'),
  );
  write('server/src/analysis/engine/project.ts', 'export class Project {}\n');
  write('server/src/analysis/rules/known.ts', "import type { Placed } from '../workspace/placed';\nexport type K = Placed;\n");
  write('server/src/analysis/rules/fixes/fresh.ts', "import { Project } from '../../engine/project';\nexport const W = Project;\n");
  write('server/src/analysis/workspace/cycle.ts', "import type { K } from '../rules/known';\nexport type C = K;\n");
  write(
    'client/src/extension.ts',
    "import * as vscode from 'vscode';\nimport { P } from '../../server/src/probe';\nimport { C } from '../../server/src/cli/main';\nimport { S } from '../../server/src/shared/protocol';\nexport { vscode, P, C, S };\n",
  );

  const edges = scanImports(root);

  it('reports each forbidden import with its file, line and specifier, and only those', () => {
    assert.deepEqual(importViolations(edges).map(describeViolation).sort(), [
      "client/src/extension.ts:2 imports '../../server/src/probe' (server/src/probe/index.ts): the client imports from server/src outside server/src/shared/",
      "client/src/extension.ts:3 imports '../../server/src/cli/main' (server/src/cli/main.ts): the client imports from server/src outside server/src/shared/",
      "server/src/analysis/model/bad.ts:1 imports 'vscode-languageserver/node' (vscode-languageserver): the analysis core imports an editor package",
      "server/src/analysis/model/bad.ts:4 imports '../../lsp/protocol' (server/src/lsp/protocol.ts): the analysis core imports an adapter",
      "server/src/analysis/model/bad.ts:5 imports '../../cli/main' (server/src/cli/main.ts): the analysis core imports an adapter",
      "server/src/analysis/model/bad.ts:6 imports '../../probe' (server/src/probe/index.ts): the analysis core imports an adapter",
      "server/src/analysis/model/bad.ts:7 imports '../../shared/protocol' (server/src/shared/protocol.ts): the analysis core imports an adapter",
      "server/src/analysis/rules/fixes/fresh.ts:1 imports '../../engine/project' (server/src/analysis/engine/project.ts): a rule imports the engine or a feature",
      "server/src/analysis/workspace/cycle.ts:1 imports '../rules/known' (server/src/analysis/rules/known.ts): the workspace lookups import the rules or the engine",
      "server/src/shared/leaky.ts:1 imports 'vscode-languageserver/node' (vscode-languageserver): the shared folder imports an editor package",
      "server/src/shared/leaky.ts:2 imports '../lsp/protocol' (server/src/lsp/protocol.ts): the shared folder imports the language server, the CLI or the client",
    ]);
  });
});
