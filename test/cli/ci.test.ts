import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import Ajv04 from 'ajv-draft-04';
import type { Log } from 'sarif';
import { DIST, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const CLI = path.join(DIST, 'cli.js');
const cli = (args: string[], options: { cwd?: string; input?: string } = {}) => run(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, ...options });

const MISTAKES = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: tls, port: 443}
---
kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia
subsets:
- addresses: [{ip: 127.0.0.1}, {ip: 91.198.174.192}]
  ports: [{name: tls, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
spec:
  host: my-wikipedia
  trafficPolicy:
    tls:
      mode: SIMPLE
`;

describe('istio-egress check in CI: formats, thresholds, suppression, project file', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-ci-'));
    mkdirSync(path.join(dir, 'team-a', 'generated'), { recursive: true });
    writeFileSync(path.join(dir, 'team-a', 'wikipedia.yaml'), MISTAKES);
    writeFileSync(path.join(dir, 'team-a', 'generated', 'copy.yaml'), MISTAKES.replaceAll('my-wikipedia', 'copy'));
  });

  it('writes SARIF 2.1.0 that validates against the SARIF schema, with rules, doc URIs and 1-based regions', async () => {
    const result = await cli(['check', '--format', 'sarif', '--docs-url', 'https://docs.example.test/egress/rules', 'team-a/wikipedia.yaml'], { cwd: dir });
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout) as Log;
    const require = createRequire(__filename);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run0 = log.runs[0];
    assert.ok(run0);
    const rules = run0.tool.driver.rules ?? [];
    assert.equal(rules.find((r) => r.id === 'EGR402')?.helpUri, 'https://docs.example.test/egress/rules/EGR402.md');
    const error = run0.results?.find((r) => r.ruleId === 'EGR110');
    assert.equal(error?.level, 'error');
    assert.deepEqual(error?.locations?.[0]?.physicalLocation?.region, { startLine: 14, startColumn: 20, endLine: 14, endColumn: 29 });
    assert.equal(error?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'team-a/wikipedia.yaml');
    assert.equal(error?.ruleIndex !== undefined ? rules[error.ruleIndex]?.id : undefined, 'EGR110');
  });

  it('links no rule page on the machine that ran the check: SARIF travels, file:// paths do not', async () => {
    const result = await cli(['check', '--format', 'sarif', 'team-a/wikipedia.yaml'], { cwd: dir });
    const rules = (JSON.parse(result.stdout) as Log).runs[0]?.tool.driver.rules ?? [];
    assert.ok(rules.length > 30);
    for (const rule of rules) {
      assert.doesNotMatch(rule.helpUri ?? '', /^file:/, rule.id);
      assert.match(rule.help?.text ?? '', new RegExp(`docs/rules/${rule.id}\\.md`));
    }
  });

  it('writes GitHub annotations', async () => {
    const result = await cli(['check', '--format', 'github', 'team-a/wikipedia.yaml'], { cwd: dir });
    const lines = result.stdout.trim().split('\n');
    assert.ok(
      lines.includes(
        "::error file=team-a/wikipedia.yaml,line=14,col=20,endLine=14,endColumn=29,title=EGR110::EGR110 '127.0.0.1' is a loopback address, which the API server refuses for Endpoints.",
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.startsWith('::warning file=team-a/wikipedia.yaml,line=25,') && l.includes('EGR403')),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.startsWith('::notice ') && l.includes('EGR405')));
  });

  it('decides the exit code by --fail-on and honours --disable', async () => {
    assert.equal((await cli(['check', '--disable', 'EGR110', 'team-a/wikipedia.yaml'], { cwd: dir })).code, 0, 'only a warning and a hint left');
    assert.equal((await cli(['check', '--disable', 'EGR110', '--fail-on', 'warning', 'team-a/wikipedia.yaml'], { cwd: dir })).code, 1);
    assert.equal((await cli(['check', '--disable', 'EGR110,EGR403', '--fail-on', 'warning', 'team-a/wikipedia.yaml'], { cwd: dir })).code, 0);
    assert.equal((await cli(['check', '--disable', 'EGR110,EGR403', '--fail-on', 'hint', 'team-a/wikipedia.yaml'], { cwd: dir })).code, 1);
    assert.equal((await cli(['check', '--disable', 'nope', 'x'], { cwd: dir })).code, 2);
  });

  it('reads .istio-egress.yaml upward from each file: disabled rules, severities, ignored paths, options', async () => {
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'disable: [EGR405]\nseverity:\n  EGR110: warning\nignore:\n  - "**/generated/**"\nistioVersion: "1.28"\n');
    const result = await cli(['check', '--format', 'json', '.'], { cwd: dir });
    const findings = JSON.parse(result.stdout) as { file: string; code: string; severity: string }[];
    assert.deepEqual(
      findings.map((f) => `${f.file} ${f.code} ${f.severity}`),
      ['team-a/wikipedia.yaml EGR110 warning', 'team-a/wikipedia.yaml EGR403 warning'],
    );
    assert.equal(result.code, 0, 'no error left');
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'disable: [EGR405, bogus]\nunknownKey: 1\n');
    const warned = await cli(['check', '.'], { cwd: dir });
    assert.match(warned.stderr, /\.istio-egress\.yaml: unknown setting 'unknownKey'/);
    assert.match(warned.stderr, /disable: 'BOGUS' is not a rule code/);
  });

  it('names the document for findings read from stdin (rendered Kustomize or Helm output)', async () => {
    const result = await cli(['check', '-'], { input: MISTAKES, cwd: mkdtempSync(path.join(tmpdir(), 'istio-egress-stdin-')) });
    assert.match(result.stdout, /^-:14:20 error EGR110 .* \[Endpoints my-wikipedia\]$/m);
  });

  it('lists the rule catalogue', async () => {
    const text = await cli(['--list-rules']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^EGR402 {2}error {4}ISTIO_MUTUAL toward a destination outside the mesh$/m);
    const json = JSON.parse((await cli(['--list-rules', '--format', 'json'])).stdout) as { code: string; istio?: { since?: string } }[];
    assert.equal(json.find((r) => r.code === 'EGR401')?.istio?.since, '1.21');
  });
});
