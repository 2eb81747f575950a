import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
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
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'istio-egress-vsix-')), 'istio-egress.vsix');
    const vsce = path.join(PROJECT_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: PROJECT_ROOT });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const entries = await zipEntries(out);
    for (const expected of [
      'extension/dist/client.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/schemas/egress.schema.json',
      'extension/snippets/yaml.json',
      'extension/syntaxes/istio-egress.injection.json',
      'extension/docs/rules/EGR401.md',
      'extension/package.json',
      'extension/readme.md',
      'extension/images/icon.png',
    ]) {
      assert.ok(entries.includes(expected), `${expected} missing from ${entries.join(', ')}`);
    }
    const unwanted = entries.filter((e) => /node_modules|\.ts$|\/test\/|\.map$|\/server\/src|\/client\/src/.test(e));
    assert.deepEqual(unwanted, []);
    assert.ok(statSync(out).size < 5 * 1024 * 1024, 'the package stays small');
  });
});
