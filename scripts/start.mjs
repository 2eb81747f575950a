// `npm start`: build the bundles, check the examples with the CLI, and package the extension.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (title, command, args) => {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

if (step('build', process.execPath, ['esbuild.js', '--production']) !== 0) process.exit(1);

const status = step('istio-egress check examples/', process.execPath, ['dist/cli.js', 'check', 'examples/']);
// examples/4-common-mistakes.yaml holds errors on purpose, so exit status 1 is the expected answer here.
console.log(`\nistio-egress check exited with ${status} (${status === 1 ? 'errors found, as examples/4 intends' : status === 0 ? 'no errors' : 'failure'})`);
if (status !== 0 && status !== 1) process.exit(status);

// The package script of package.json, so `npm start` and `npm run package` make the same .vsix.
const npm = process.env.npm_execpath;
const packaged = npm ? step('package', process.execPath, [npm, 'run', 'package']) : step('package', 'npm', ['run', 'package']);
if (packaged !== 0) process.exit(1);
const size = statSync(path.join(root, 'istio-egress.vsix')).size;
console.log(`\nistio-egress.vsix: ${(size / 1024).toFixed(0)} KiB. Install it with: code --install-extension istio-egress.vsix`);
