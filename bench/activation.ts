/**
 * Extension activation time: what VS Code spends on our client when a YAML file opens — loading `dist/client.js` and
 * calling `activate` (which only registers the command and listeners; the server starts later, on a YAML document of a
 * known kind). Each sample is a fresh Node process with a stand-in `vscode` module that answers every call.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Every name the `vscode` module exports, read from its type declarations: the stand-in must list them all. */
function vscodeExportNames(): string[] {
  const declarations = readFileSync(path.join(__dirname, '..', 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...declarations.matchAll(/^\s*export (?:class|namespace|enum|const|function|let) (\w+)/gm)].map((m) => m[1] ?? ''))];
}

const CHILD = `
const Module = require('node:module');
const standIn = () => new Proxy(function () {}, {
  get: (_target, key) => (key === Symbol.iterator ? function* () {} : key === 'then' ? undefined : key === 'forEach' ? () => undefined : standIn()),
  apply: () => standIn(),
  construct: () => standIn(),
});
const load = Module._load;
// A plain object of every export: bundlers copy a CommonJS module's own keys into the import's namespace object.
const vscode = Object.fromEntries(JSON.parse(process.argv[2]).map((key) => [key, standIn()]));
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const started = performance.now();
const extension = require(process.argv[1]);
extension.activate({ subscriptions: [], asAbsolutePath: (p) => p, extensionPath: '.' });
process.stdout.write(String(performance.now() - started));
`;

/** Milliseconds from `require` of the client bundle to the return of `activate`, one fresh process per sample. */
export function measureActivation(distDir: string, samples: number): number[] {
  const client = path.resolve(distDir, 'client.js');
  const names = JSON.stringify(vscodeExportNames());
  return Array.from({ length: samples }, () => Number(execFileSync(process.execPath, ['-e', CHILD, client, names], { encoding: 'utf8' })));
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const times = measureActivation(process.argv[2] ?? 'dist', 7).sort((a, b) => a - b);
  console.log(`activation: median ${times[3]?.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(', ')})`);
}
