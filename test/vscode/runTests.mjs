// npm run test:vscode: runs test/vscode/suite.ts inside a real VS Code, which @vscode/test-electron downloads.
// Needs a machine that can download VS Code; this project's CI machines cannot, so it is not part of `npm test`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suite = path.join(root, 'dist', 'test', 'vscode-suite.js');

await esbuild.build({
  entryPoints: [path.join(root, 'test', 'vscode', 'suite.ts')],
  outfile: suite,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
});

try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error('VS Code tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
}
