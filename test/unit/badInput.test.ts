import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Project } from '../../server/src/analysis/engine/project';
import { spacesForTabs } from '../../server/src/analysis/rules/yamlSyntax';
import type { Finding } from '../../server/src/analysis/findings';

function apply(text: string, finding: Finding): string {
  const lines = text.split('\n');
  const edits = [...(finding.fixes?.[0]?.edits ?? [])].sort((a, b) => b.range.start.line - a.range.start.line);
  for (const edit of edits) {
    const line = lines[edit.range.start.line] ?? '';
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  }
  return lines.join('\n');
}

function findings(text: string): Finding[] {
  const project = new Project();
  project.setFile('file:///bad/input.yaml', text);
  return project.findings('file:///bad/input.yaml');
}

describe('bad input: one clear finding, nothing lost', () => {
  it('a tab in the indentation: one finding per tab line, a fix per line, no knock-on schema findings', () => {
    let text = 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n\tnamespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  -\tname: http\n    port: 80\n';
    const before = findings(text);
    assert.deepEqual(
      before.map((f) => `${f.range.start.line + 1} ${f.code}`),
      ['4 EGR001', '5 EGR001', '9 EGR001'],
    );
    assert.ok(
      before.every((f) => f.fixes?.[0]?.preferred),
      'each has a preferred fix',
    );
    for (const finding of [...before].reverse()) text = apply(text, finding);
    assert.equal(text, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n');
    assert.deepEqual(
      findings(text).map((f) => f.code),
      [],
    );
  });

  it('turns tabs into spaces only before the content of a line', () => {
    assert.equal(spacesForTabs('\t\tkey: a\tb', 0)?.newText, '    ');
    assert.equal(spacesForTabs('  -\tkey: v', 0)?.newText, '  - ');
    assert.equal(spacesForTabs('key: \tv', 0), undefined);
  });

  it('a binary file named .yaml: one note, no syntax errors', () => {
    const binary = `${'\u0000\u0001garbage: [\u00ff'.repeat(200)}\n`;
    assert.deepEqual(
      findings(binary).map((f) => `${f.code} ${f.severity}`),
      ['EGR007 info'],
    );
    const latin1 = `${'caf\uFFFD: ol\uFFFD\n'.repeat(10)}`;
    assert.deepEqual(
      findings(latin1).map((f) => f.code),
      ['EGR007'],
    );
  });

  it('reports one syntax error per place and message, and counts what is past the first ten', () => {
    const broken = `flow: [${'1, '.repeat(5000)}\nmore: ]]]\n`;
    const syntax = findings(broken).filter((f) => f.code === 'EGR001');
    assert.ok(syntax.length <= 11, `${syntax.length} syntax findings`);
    const keys = syntax.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicates');
  });
});
