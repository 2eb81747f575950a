import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names.sort()));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('the packaged extension (.vsix)', () => {
  it('holds the bundles, schemas, snippets, grammar and rule pages, and no sources, tests or node_modules', async () => {
    // What `npm run package` makes: a production build, packaged from a copy so the dist/ other tests run stays as is.
    const work = mkdtempSync(path.join(tmpdir(), 'istio-egress-vsix-'));
    const out = path.join(work, 'istio-egress.vsix');
    const copy = path.join(work, 'extension');
    for (const entry of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'images', 'schemas', 'snippets', 'syntaxes', 'docs']) {
      cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
    }
    const build = await run(process.execPath, [path.join(PROJECT_ROOT, 'esbuild.js'), '--production', '--outdir', path.join(copy, 'dist')], { cwd: PROJECT_ROOT });
    assert.equal(build.code, 0, build.stderr + build.stdout);
    const vsce = path.join(PROJECT_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    // The flags of `npm run package` (package.json), so the test packages as the README's commands do.
    const manifest: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const script = typeof manifest === 'object' && manifest !== null && 'scripts' in manifest ? JSON.stringify(manifest.scripts) : '';
    const flags = /vsce package ([^"]*?) --out /.exec(script)?.[1]?.split(' ') ?? [];
    assert.ok(flags.includes('--no-dependencies'), `vsce flags read from the package script: ${script}`);
    const result = await run(process.execPath, [vsce, 'package', ...flags, '--out', out], { cwd: copy });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const entries = await zipEntries(out);
    for (const expected of [
      'extension/dist/client.js',
      'extension/dist/server.js',
      // The server's parse thread: without it, large files are parsed on the thread that answers requests.
      'extension/dist/parseWorker.js',
      'extension/schemas/egress.schema.json',
      'extension/snippets/yaml.json',
      'extension/syntaxes/istio-egress.injection.json',
      'extension/docs/rules/EGR401.md',
      'extension/docs/istio-behaviour.md',
      'extension/package.json',
      'extension/readme.md',
      'extension/images/icon.png',
    ]) {
      assert.ok(entries.includes(expected), `${expected} missing from ${entries.join(', ')}`);
    }
    // The pictures the README shows travel with it, so the page is whole in the editor's extension view.
    const readme = readFileSync(path.join(copy, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\((images\/[^)\s]+)\)/g)].map((m) => `extension/${m[1] ?? ''}`);
    assert.ok(pictures.length >= 2, 'the README shows the extension at work');
    for (const picture of pictures) assert.ok(entries.includes(picture), `${picture} missing from the .vsix`);
    // The README states the package's size: keep it true (within a fifth).
    const stated = /`\.vsix` is about ([\d.]+) MiB/.exec(readme)?.[1];
    assert.ok(stated, 'the README states the .vsix size');
    const actual = statSync(out).size / (1024 * 1024);
    assert.ok(Math.abs(actual - Number(stated)) / actual < 0.2, `README says ${stated} MiB, the .vsix is ${actual.toFixed(2)} MiB`);
    // Nothing the extension does not run: no CLI bundle, no sources, no maps.
    const unwanted = entries.filter((e) => /node_modules|\.ts$|\/test\/|\.map$|\/server\/src|\/client\/src|dist\/cli\.js/.test(e));
    assert.deepEqual(unwanted, []);
    // A shipped bundle that names a map the package lacks makes debuggers and stack traces look for it in vain.
    for (const bundle of ['client.js', 'server.js', 'parseWorker.js']) {
      assert.doesNotMatch(readFileSync(path.join(copy, 'dist', bundle), 'utf8'), /sourceMappingURL/, bundle);
    }
    assert.ok(statSync(out).size < 5 * 1024 * 1024, 'the package stays small');
  });
});
