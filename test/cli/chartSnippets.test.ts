/**
 * The Helm chart variants of snippets/yaml.json (prefix egress-chart-) as a chart renders them: each expansion (the
 * defaults, and every choice) is put in templates/ of a chart whose values.yaml holds the lines its description shows,
 * and `istio-egress check --helm` (the pinned helm of the kubectl layer, never the machine's; HOME and helm's folders in
 * a temp dir, no network) must render it and find no error or warning in what it renders. test/unit/snippets.test.ts
 * checks the same snippets as text.
 *
 * Needs the built CLI: npm run build.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ensureHelm } from '../harness/kubectl';
import { toolEnv } from '../support/toolEnv';
import { DIST } from '../support/paths';
import { run } from '../support/run';
import { allExpansions, chartValuesText, expand, isChartVariant, isRecord, loadSnippets, plainCounterpart, type Snippet } from '../support/snippets';

const CHART = 'demo';
const CHART_YAML = `apiVersion: v2\nname: ${CHART}\nversion: 0.1.0\n`;

interface JsonFinding {
  file: string;
  range: { start: { line: number } };
  severity: string;
  code: string;
  message: string;
}

const snippets = loadSnippets();
const variants = snippets.filter(isChartVariant);

function snippet(prefix: string): Snippet {
  const found = snippets.find((s) => s.prefix === prefix);
  assert.ok(found, `no snippet with prefix ${prefix}`);
  return found;
}

function values(s: Snippet): string {
  const text = chartValuesText(s);
  assert.ok(text, `${s.prefix}: its description shows no values.yaml lines`);
  return text;
}

/** The template file a variant's expansion is written to, relative to the chart. */
const templateFile = (s: Snippet): string => `templates/${s.prefix}.yaml`;

/** 0-based index of the only line of `text` that matches `re`. */
function lineOf(text: string, re: RegExp): number {
  const lines = text.split('\n').flatMap((line, i) => (re.test(line) ? [i] : []));
  assert.equal(lines.length, 1, `exactly one line matching ${String(re)} in:\n${text}`);
  return lines[0] ?? -1;
}

function describeFinding(f: JsonFinding): string {
  return `${f.file}:${f.range.start.line + 1} ${f.code} ${f.severity}: ${f.message}`;
}

describe('Helm chart snippets (egress-chart-…) render with the pinned helm to configuration the CLI accepts', () => {
  let helm: string;
  let home: string;
  const env = (): NodeJS.ProcessEnv => toolEnv(home);
  const cli = (args: string[], cwd: string) => run(process.execPath, [path.join(DIST, 'cli.js'), ...args], { cwd, env: env() });

  /** A temp folder holding the chart `demo` (Chart.yaml, values.yaml, the template); returns the folder. */
  function chart(template: { file: string; text: string }, valuesYaml: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-chart-snippet-'));
    const root = path.join(dir, CHART);
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(path.join(root, 'Chart.yaml'), CHART_YAML);
    writeFileSync(path.join(root, 'values.yaml'), valuesYaml);
    writeFileSync(path.join(root, ...template.file.split('/')), template.text);
    return dir;
  }

  async function check(dir: string): Promise<{ code: number | null; findings: JsonFinding[]; stderr: string }> {
    const result = await cli(['check', '--format', 'json', '--helm', helm, CHART], dir);
    let findings: JsonFinding[];
    try {
      findings = JSON.parse(result.stdout) as JsonFinding[];
    } catch {
      assert.fail(`not JSON (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
    }
    return { code: result.code, findings, stderr: result.stderr };
  }

  before(async () => {
    helm = await ensureHelm();
    home = mkdtempSync(path.join(tmpdir(), 'istio-egress-helm-home-'));
  });

  it('has chart variants to render', () => {
    assert.ok(variants.length >= 4, variants.map((s) => s.prefix).join(', '));
  });

  for (const s of variants) {
    describe(s.prefix, () => {
      for (const { label, text } of allExpansions(s)) {
        it(`(${label}) renders with the values its description shows, to the kinds of ${plainCounterpart(s)}`, async () => {
          const dir = chart({ file: templateFile(s), text }, values(s));
          const rendered = await run(helm, ['template', CHART, CHART, '--namespace', 'egress'], { cwd: dir, env: env() });
          assert.equal(rendered.code, 0, rendered.stderr);
          const docs = parseAllDocuments(rendered.stdout).map((doc) => {
            assert.deepEqual(
              doc.errors.map((e) => e.message),
              [],
              rendered.stdout,
            );
            const js: unknown = doc.toJS();
            assert.ok(isRecord(js), rendered.stdout);
            return js;
          });
          const kinds = (list: readonly Record<string, unknown>[]): string[] => list.map((d) => String(d['kind'])).sort();
          const plain = parseAllDocuments(expand(snippet(plainCounterpart(s)).body)).map((d) => d.toJS() as Record<string, unknown>);
          assert.deepEqual(kinds(docs), kinds(plain));
          for (const doc of docs) {
            const metadata = doc['metadata'];
            assert.ok(isRecord(metadata), rendered.stdout);
            assert.match(String(metadata['name']), new RegExp(`^${CHART}-[a-z0-9-]+$`), 'named after the release');
            assert.equal(metadata['namespace'], 'egress', 'in the release namespace');
          }
        });

        it(`(${label}) is checked as rendered (no EGR005/EGR008) with no error or warning, exit 0`, async () => {
          const dir = chart({ file: templateFile(s), text }, values(s));
          const { code, findings, stderr } = await check(dir);
          assert.deepEqual(findings.filter((f) => f.code === 'EGR005' || f.code === 'EGR008').map(describeFinding), [], 'the chart rendered');
          assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map(describeFinding), []);
          assert.equal(code, 0, stderr);
        });
      }
    });
  }

  describe('the check can fail: values that make a variant wrong are found on the template line that reads them', () => {
    it('egress-chart-destinationrule with a URL for its host: EGR201 on the host line, and on the value in values.yaml', async () => {
      const s = snippet('egress-chart-destinationrule');
      const text = expand(s.body);
      const dir = chart({ file: templateFile(s), text }, 'db:\n  host: https://db.example.com\n');
      const { code, findings, stderr } = await check(dir);
      assert.equal(code, 1, stderr);
      assert.deepEqual(findings.filter((f) => f.code === 'EGR005' || f.code === 'EGR008').map(describeFinding), []);
      const onTemplate = findings.find((f) => f.code === 'EGR201' && f.file === path.join(CHART, 'templates', `${s.prefix}.yaml`));
      assert.ok(onTemplate, findings.map(describeFinding).join('\n'));
      assert.equal(onTemplate.severity, 'error');
      assert.equal(onTemplate.range.start.line, lineOf(text, /^  host: /), 'the `host:` line of the template');
      assert.match(onTemplate.message, /rendered by helm from this line; from values: db\.host = https:\/\/db\.example\.com in values\.yaml/);
      const onValues = findings.find((f) => f.code === 'EGR201' && f.file === path.join(CHART, 'values.yaml'));
      assert.equal(onValues?.range.start.line, 1, 'the `host:` line of values.yaml');
    });

    it('egress-chart-selectorless with a host name among its addresses: EGR110 on the template line of the address', async () => {
      const s = snippet('egress-chart-selectorless');
      const text = expand(s.body);
      const dir = chart({ file: templateFile(s), text }, 'db:\n  addresses:\n    - 203.0.113.10\n    - db.example.com\n  port: 443\n');
      const { code, findings, stderr } = await check(dir);
      assert.equal(code, 1, stderr);
      const error = findings.find((f) => f.code === 'EGR110');
      assert.ok(error, findings.map(describeFinding).join('\n'));
      assert.equal(error.severity, 'error');
      assert.equal(error.file, path.join(CHART, 'templates', `${s.prefix}.yaml`));
      assert.equal(error.range.start.line, lineOf(text, /^      - ip: /), 'the `- ip:` line inside the range');
      assert.match(error.message, /db\.example\.com/);
    });
  });
});
