import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CATALOGUE } from '../../server/src/analysis/rules';
import { loadFixtureCases } from '../support/fixtures';
import { PROJECT_ROOT } from '../support/paths';

describe('rule catalogue', () => {
  it('has unique EGR codes and names', () => {
    const codes = CATALOGUE.map((r) => r.code);
    assert.deepEqual([...new Set(codes)], codes);
    assert.deepEqual([...new Set(CATALOGUE.map((r) => r.name))].length, CATALOGUE.length);
    for (const code of codes) assert.match(code, /^EGR\d{3}$/);
  });

  for (const rule of CATALOGUE) {
    it(`${rule.code} has a doc page with a wrong and a right example`, () => {
      const page = path.join(PROJECT_ROOT, 'docs', 'rules', `${rule.code}.md`);
      assert.ok(existsSync(page), `${page} is missing`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# ${rule.code}`, 'm'));
      assert.match(text, /## Wrong/);
      assert.match(text, /## Right/);
    });
  }

  it('every analysis rule has a fixture that fires it and one where it stays silent', () => {
    const cases = loadFixtureCases();
    for (const rule of CATALOGUE) {
      // The size limit is the server's: tested through it (test/lsp/limits.test.ts).
      if (rule.code === 'EGR004') continue;
      // Rendering runs helm: tested through the CLI and the server with the pinned helm (test/cli/helm.test.ts, test/lsp/charts.test.ts).
      if (rule.code === 'EGR008') continue;
      const own = cases.filter((c) => c.rule === rule.code);
      assert.ok(
        own.some((c) => c.expected.some((e) => e.includes(` ${rule.code} `))),
        `${rule.code}: no fixture fires it`,
      );
      assert.ok(
        own.some((c) => c.files.some((f) => !f.text.includes(`expect: ${rule.code}`))),
        `${rule.code}: no fixture file where it stays silent`,
      );
    }
  });
});

describe('README', () => {
  it('runs every rule of the rules folder: the registry is what `npm run docs:rules` generates from the rule files', async () => {
    const { REGISTRY, registrySource } = await import('../../scripts/rulesRegistry');
    assert.equal(readFileSync(REGISTRY, 'utf8'), await registrySource(), 'server/src/analysis/rules/registry.ts is stale: run npm run docs:rules');
  });

  it('lists every rule of the catalogue, as `npm run docs:rules` renders it', async () => {
    const { readmeWithTable } = await import('../../scripts/rulesTable');
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithTable(readme), 'README rules table is stale: run npm run docs:rules');
    for (const rule of CATALOGUE) assert.ok(readme.includes(`| ${rule.code} |`), rule.code);
  });
});

describe('README settings', () => {
  it('lists every setting of package.json, as `npm run docs:settings` renders it', async () => {
    const { readmeWithSettings } = await import('../../scripts/settingsTable');
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    assert.equal(readme, readmeWithSettings(readme), 'README settings table is stale: run npm run docs:settings');
    const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(`| \`${key}\` |`), key);
  });
});
