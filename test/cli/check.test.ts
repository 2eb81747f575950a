import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CORPUS_DOCS, CORPUS_SKIP_REASON, DIST, HAS_CORPUS, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const CLI = path.join(DIST, 'cli.js');
const cli = (args: string[], options: { cwd?: string; input?: string } = {}) => run(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, ...options });

interface JsonFinding {
  file: string;
  document?: { kind: string; name: string; namespace?: string };
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

describe('istio-egress check (dist/cli.js as a process)', () => {
  it("prints the examples' findings as file:line:col severity code message and exits 1 on errors", async () => {
    const result = await cli(['check', 'examples']);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'Checked 4 files, 12 documents: 3 errors, 1 warning, 1 hint.');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'examples/1-externalname-seed.yaml:21:9 warning EGR401',
        'examples/3-selectorless-endpoints.yaml:33:13 hint EGR407',
        'examples/4-common-mistakes.yaml:9:17 error EGR101',
        'examples/4-common-mistakes.yaml:28:13 error EGR110',
        'examples/4-common-mistakes.yaml:43:13 error EGR402',
      ],
    );
    assert.match(lines[0] ?? '', /alias of 'httpbin\.org'/);
  });

  it('says what it checked when nothing is found', async () => {
    const result = await cli(['check', 'examples/2-externalname-current.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Checked 1 file, 3 documents: no findings.\n');
  });

  it('exits 0 when only warnings are found', async () => {
    const result = await cli(['check', 'examples/1-externalname-seed.yaml', 'examples/2-externalname-current.yaml']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /warning EGR401/);
  });

  it('writes JSON with 0-based LSP ranges', async () => {
    const result = await cli(['check', '--format', 'json', 'examples/4-common-mistakes.yaml']);
    assert.equal(result.code, 1);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(findings[0], {
      file: 'examples/4-common-mistakes.yaml',
      range: { start: { line: 8, character: 16 }, end: { line: 8, character: 48 } },
      severity: 'error',
      code: 'EGR101',
      message: "externalName 'https://api.payments.example.com' has a URL scheme: write the host name alone.",
      document: { kind: 'Service', name: 'payments-api', namespace: 'shop' },
    });
    assert.deepEqual(
      findings.map((f) => f.code),
      ['EGR101', 'EGR110', 'EGR402'],
    );
  });

  it('reads - from stdin and reports schema findings (EGR002) there too', async () => {
    const input = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: x\nspec:\n  host: x\n  trafficPolicy:\n    tls:\n      mode: DISABLED\n';
    const result = await cli(['check', '--format=json', '-'], { input });
    assert.equal(result.code, 1);
    const findings = (JSON.parse(result.stdout) as JsonFinding[]).filter((f) => f.severity === 'error');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.file, '-');
    assert.equal(findings[0]?.code, 'EGR002');
    assert.deepEqual(findings[0]?.range.start, { line: 8, character: 12 });
  });

  it('walks folders recursively, only *.yaml/*.yml, skipping node_modules and symlinks out of the folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-cli-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'istio-egress-outside-'));
    mkdirSync(path.join(dir, 'nested', 'deeper'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules'));
    const bad = 'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: e\nsubsets:\n- addresses:\n  - ip: 127.0.0.1\n';
    writeFileSync(path.join(dir, 'nested', 'deeper', 'e.yml'), bad);
    writeFileSync(path.join(dir, 'node_modules', 'e.yaml'), bad);
    writeFileSync(path.join(dir, 'notes.txt'), bad);
    writeFileSync(path.join(outside, 'e.yaml'), bad);
    symlinkSync(outside, path.join(dir, 'link'));
    const result = await cli(['check', dir], { cwd: dir });
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'Checked 1 file, 1 document: 1 error, 1 warning.');
    assert.deepEqual([...new Set(lines.map((l) => l.split(':')[0]))], ['nested/deeper/e.yml'], 'only the walked file reports');
    assert.ok(
      lines.some((l) => l.startsWith('nested/deeper/e.yml:7:9 error EGR110')),
      result.stdout,
    );
  });

  it('exits 2 on bad usage and on unreadable input', async () => {
    for (const args of [[], ['lint', 'x'], ['check'], ['check', '--format', 'xml', 'x'], ['check', '--bogus', 'x']]) {
      const result = await cli(args);
      if (args.length === 0) {
        assert.equal(result.code, 2, 'no arguments is a usage error');
        assert.match(result.stderr, /no command given[\s\S]*Usage: istio-egress check/);
        continue;
      }
      assert.equal(result.code, 2, `args ${args.join(' ')}`);
      assert.match(result.stderr, /istio-egress: /);
    }
    const missing = await cli(['check', 'no/such/file.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no\/such\/file\.yaml/);
  });

  it('raises no error on the Istio documentation corpus', { skip: HAS_CORPUS ? false : CORPUS_SKIP_REASON }, async () => {
    const result = await cli(['check', '--format', 'json', CORPUS_DOCS]);
    assert.equal(result.code, 0, result.stdout);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
    const seen = findings.map((f) => `${path.basename(f.file)} ${f.code} ${f.severity}`);
    // The seed's DR on the ExternalName host is dead on current Istio: a warning, never an error (RULES.md F1).
    assert.ok(seen.includes('egress-kubernetes-services-2-externalname-destinationrule.yaml EGR401 warning'), seen.join('\n'));
    // Its DISABLE rule for the selector-less Service is redundant: a hint (F5).
    assert.ok(seen.includes('egress-kubernetes-services-5-endpoints-destinationrule.yaml EGR407 hint'), seen.join('\n'));
    // ISTIO_MUTUAL toward the egress gateway is in-mesh and right (E4).
    assert.ok(!seen.some((f) => f.includes('EGR402')));
  });
});

describe('istio-egress check on charts, overlays and piped streams', () => {
  it('gives a chart folder one note per template file and no error from the templates', async () => {
    const result = await cli(['check', '--format', 'json', '--no-render', 'test/fixtures/EGR005/chart']);
    // The one error is the plain (action-free) document the fixture puts in service.yaml on purpose.
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const templates = findings.filter((f) => f.code === 'EGR005').map((f) => path.basename(f.file));
    assert.deepEqual(templates, ['destinationrule.yaml', 'service.yaml', 'serviceentry.yaml']);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error').map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code}`),
      ['service.yaml:24 EGR101'],
    );
  });

  it('checks a kustomize tree as built: namespaces, selector labels and patches, with one note per build', async () => {
    const result = await cli(['check', 'test/fixtures/EGR006']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .filter((l) => !/ EGR003 /.test(l) && !l.startsWith('Checked '));
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'test/fixtures/EGR006/overlay/overlays/prod/kustomization.yaml:1:1 info EGR006',
        'test/fixtures/EGR006/tenants/a/kustomization.yaml:1:1 info EGR006',
        'test/fixtures/EGR006/tenants/b/kustomization.yaml:1:1 info EGR006',
      ],
    );
  });

  it('reports a route to a subset that no DestinationRule defines, and skips a binary file with one note', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-cli-subset-'));
    writeFileSync(
      path.join(dir, 'gateway.yaml'),
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: egw\nspec:\n  host: istio-egressgateway.istio-system.svc.cluster.local\n  subsets:\n  - name: edition\n---\n' +
        'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: cnn\nspec:\n  hosts: [edition.cnn.com]\n  http:\n  - route:\n    - destination:\n        host: istio-egressgateway.istio-system.svc.cluster.local\n        subset: cnn\n',
    );
    writeFileSync(path.join(dir, 'secrets.yaml'), Buffer.from([0x00, 0x9f, 0x92, 0x96, 0x00, 0x01, 0xff, 0x0a]));
    const result = await cli(['check', '.'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .filter((l) => !/ EGR304 /.test(l));
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['gateway.yaml:20:17 warning EGR412', 'secrets.yaml:1:1 info EGR007', lines.at(-1)?.split(' ').slice(0, 3).join(' ')],
    );
    assert.match(lines[0] ?? '', /'egw' has 'edition'/);
    assert.match(lines.at(-1) ?? '', /^Checked 2 files, 2 documents: /);
  });

  it('checks routes and entries across the files of a folder (EGR414, EGR416, EGR417) in JSON', async () => {
    const result = await cli(['check', '--format', 'json', 'test/fixtures/EGR414', 'test/fixtures/EGR416/tcp-ports.yaml', 'test/fixtures/EGR417/same-file.yaml']);
    assert.equal(result.code, 0, result.stderr);
    const report: unknown = JSON.parse(result.stdout);
    assert.ok(Array.isArray(report), result.stdout.slice(0, 200));
    const found = report.map((f: unknown) => (typeof f === 'object' && f !== null && 'code' in f && 'severity' in f ? `${String(f.code)} ${String(f.severity)}` : '?')).sort();
    // EGR414's fixture registers api.partner.example:443 as TLS too: checked together, its entry and EGR417's HTTPS
    // one (another folder) also conflict, as hints.
    assert.deepEqual(found, ['EGR414 warning', 'EGR414 warning', 'EGR416 hint', 'EGR416 hint', 'EGR417 hint', 'EGR417 hint', 'EGR417 warning', 'EGR417 warning']);
  });

  it('names the document of each finding in a long piped stream', async () => {
    const doc = (i: number): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: alias-${i}\n  namespace: ns-${i}\nspec:\n  type: ExternalName\n  externalName: https://host-${i}.example.com\n`;
    const input = Array.from({ length: 3000 }, (_, i) => doc(i)).join('---\n');
    const result = await cli(['check', '--format', 'json', '-'], { input });
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const errors = findings.filter((f) => f.code === 'EGR101');
    assert.equal(errors.length, 3000);
    assert.deepEqual(errors[2999]?.document, { kind: 'Service', name: 'alias-2999', namespace: 'ns-2999' });
    assert.deepEqual(errors[1234]?.document, { kind: 'Service', name: 'alias-1234', namespace: 'ns-1234' });
  });
});
