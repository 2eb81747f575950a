// Bundles the client, the language server and the CLI. `--production` minifies for the package; `--outdir DIR` writes
// the bundles elsewhere than dist/ (the package test builds a production copy without touching the dist/ others use).
const path = require('node:path');
const esbuild = require('esbuild');
const { version, repository } = require('./package.json');

/** Where the rule pages are published, from package.json's repository (GitHub): SARIF links rules there. */
function ruleDocsBase() {
  const url = typeof repository === 'string' ? repository : repository?.url;
  const match = /github\.com[/:]([^/]+\/[^/.]+)/.exec(url ?? '');
  return match ? `https://github.com/${match[1]}/blob/main/docs/rules/` : undefined;
}

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1] ?? 'dist') : path.join(__dirname, 'dist');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The package ships no maps (.vscodeignore), so its bundles name none; development builds keep them.
  sourcemap: !production,
  minify: production,
  // jsonc-parser's UMD build breaks when bundled; its ES module build does not.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  define: { ISTIO_EGRESS_VERSION: JSON.stringify(version), ISTIO_EGRESS_RULE_DOCS: JSON.stringify(ruleDocsBase()) ?? 'undefined' },
};

const entries = [
  { entryPoints: [path.join(__dirname, 'client/src/extension.ts')], outfile: path.join(outdir, 'client.js'), external: ['vscode'] },
  // Also the `istio-egress-language-server` command of the npm package, for any LSP editor.
  { entryPoints: [path.join(__dirname, 'server/src/server.ts')], outfile: path.join(outdir, 'server.js'), banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: [path.join(__dirname, 'server/src/cli.ts')], outfile: path.join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
  // The language server's parse thread (server/src/lsp/parseWorkerClient.ts), loaded from beside server.js.
  { entryPoints: [path.join(__dirname, 'server/src/parseWorker.ts')], outfile: path.join(outdir, 'parseWorker.js') },
];

async function main() {
  // The schema validator is generated code (Ajv standalone), bundled like any module.
  require('node:child_process').execFileSync(process.execPath, ['scripts/generate-validator.mjs', '--if-stale'], { cwd: __dirname, stdio: 'inherit' });
  const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
