import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/analysis/engine/analysis';
import { FIXTURES, loadFixtureCases } from '../support/fixtures';

describe('rule fixtures (test/fixtures/<rule>/…, expectations written inline as "# expect: CODE severity")', () => {
  const cases = loadFixtureCases();

  it('found fixture cases', () => {
    assert.ok(cases.length >= 10, `only ${cases.length} cases`);
  });

  for (const fixture of cases) {
    it(fixture.name, () => {
      const project = new Analysis(fixture.options);
      for (const file of fixture.files) project.setFile(file.uri, file.text);
      const actual = fixture.files
        .flatMap((file) => project.findings(file.uri))
        .map((f) => `${path.relative(FIXTURES, fileURLToPath(f.uri))}:${f.range.start.line + 1} ${f.code} ${f.severity}`)
        .sort();
      assert.deepEqual(actual, fixture.expected);
    });
  }
});
