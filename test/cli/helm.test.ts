/**
 * `check --helm`: charts in the checked folders are rendered with `helm template` (the pinned helm of the kubectl
 * layer, never the machine's; HOME and helm's folders in a temp dir, no network) and their findings put back on the
 * template lines that produced them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureHelm } from '../harness/kubectl';
import { toolEnv } from '../support/toolEnv';
import { DIST } from '../support/paths';
import { run } from '../support/run';

const CHART = 'apiVersion: v2\nname: payments-egress\nversion: 0.1.0\n';
const VALUES = 'partner:\n  host: api.partner.example\n  port: 443\nlegacy:\n  enabled: false\n';
const ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: {{ .Release.Name }}-partner
spec:
  hosts:
  - {{ .Values.partner.host }}
  location: MESH_EXTERNAL
  ports:
  - number: {{ .Values.partner.port }}
    name: tls
    protocol: TLS
  resolution: DNS
`;
const RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {{ .Release.Name }}-partner
spec:
  host: {{ .Values.partner.host | quote }}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
`;
const LEGACY = `{{- if .Values.legacy.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: legacy
spec:
  type: ExternalName
  externalName: {{ .Values.legacy.host }}
{{- end }}
`;

interface JsonFinding {
  file: string;
  range: { start: { line: number } };
  severity: string;
  code: string;
  message: string;
}

describe('istio-egress check --helm: charts checked as they render', () => {
  let helm: string;
  let home: string;
  const env = (): NodeJS.ProcessEnv => toolEnv(home);
  const cli = (args: string[], cwd: string) => run(process.execPath, [path.join(DIST, 'cli.js'), ...args], { cwd, env: env() });

  function chart(extra: Record<string, string> = {}): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-chart-'));
    const root = path.join(dir, 'payments-egress');
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    const files: Record<string, string> = {
      'Chart.yaml': CHART,
      'values.yaml': VALUES,
      'templates/serviceentry.yaml': ENTRY,
      'templates/destinationrule.yaml': RULE,
      'templates/legacy.yaml': LEGACY,
      ...extra,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    return dir;
  }

  before(async () => {
    helm = await ensureHelm();
    home = mkdtempSync(path.join(tmpdir(), 'istio-egress-helm-home-'));
  });

  it('with --no-render, templates get one note each and no finding', async () => {
    const dir = chart();
    const result = await cli(['check', '--format', 'json', '--no-render', 'payments-egress'], dir);
    assert.equal(result.code, 0, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual([...new Set(findings.map((f) => f.code))], ['EGR005']);
  });

  it('with --helm, finds ISTIO_MUTUAL toward the rendered external host, on the template line that wrote it', async () => {
    const dir = chart();
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const error = findings.find((f) => f.code === 'EGR402');
    assert.ok(error, JSON.stringify(findings, null, 2));
    assert.equal(error.file, path.join('payments-egress', 'templates', 'destinationrule.yaml'));
    assert.equal(error.range.start.line, 8, 'the `mode: ISTIO_MUTUAL` line of the template');
    assert.match(error.message, /api\.partner\.example.*rendered by helm from this line/);
    assert.deepEqual(
      findings.filter((f) => f.code === 'EGR005'),
      [],
      'rendered templates are checked, not noted',
    );
    assert.ok(!findings.some((f) => f.file.endsWith('legacy.yaml')), 'a template the values switch off renders nothing');
  });

  it('applies --values after the chart’s own values', async () => {
    const dir = chart();
    writeFileSync(path.join(dir, 'prod.yaml'), 'legacy:\n  enabled: true\n  host: https://legacy.partner.example\n');
    const result = await cli(['check', '--format', 'json', '--helm', helm, '--values', 'prod.yaml', 'payments-egress'], dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const url = findings.find((f) => f.code === 'EGR101');
    assert.equal(url?.file, path.join('payments-egress', 'templates', 'legacy.yaml'));
    assert.equal(url?.range.start.line, 7, 'the externalName line of the template');
  });

  it('exits 2 when the helm it was given cannot run; notes a chart whose dependencies are not downloaded', async () => {
    const dir = chart();
    const missing = await cli(['check', '--helm', path.join(home, 'no-such-helm'), 'payments-egress'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /helm template failed: helm not found at/);
    const withDependency = chart({ 'Chart.yaml': `${CHART}dependencies:\n- name: common\n  version: 1.0.0\n  repository: https://charts.example.test\n` });
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], withDependency);
    assert.equal(result.code, 0, result.stderr);
    const note = (JSON.parse(result.stdout) as JsonFinding[]).find((f) => f.code === 'EGR008');
    assert.equal(note?.severity, 'info');
    assert.match(String(note?.message), /dependencies are not downloaded .*helm dependency build/);
  });

  it('warns, and says how to give the values, when the chart needs values its values.yaml does not set', async () => {
    const dir = chart({ 'templates/required.yaml': ENTRY.replace('{{ .Values.partner.host }}', '{{ required "partner.backup is required" .Values.partner.backup }}') });
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const warning = findings.find((f) => f.code === 'EGR008');
    assert.equal(warning?.severity, 'warning', JSON.stringify(findings, null, 2));
    assert.equal(warning?.file, path.join('payments-egress', 'templates', 'required.yaml'));
    assert.equal(warning?.range.start.line, 6);
    assert.match(String(warning?.message), /partner\.backup is required.*name their files in \.istio-egress\.yaml/);

    // Rendered with values files of its own, the chart is rendered as deployed: the failure is an error.
    writeFileSync(path.join(dir, 'prod.yaml'), 'partner:\n  host: api.partner.example\n');
    const withValues = await cli(['check', '--format', 'json', '--helm', helm, '--values', 'prod.yaml', 'payments-egress'], dir);
    const error = (JSON.parse(withValues.stdout) as JsonFinding[]).find((f) => f.code === 'EGR008');
    assert.equal(error?.severity, 'error');
    assert.match(String(error?.message), /fails here \(with values\.yaml, prod\.yaml\): partner\.backup is required/);
  });

  it('reports a template helm cannot render on the line helm blames (EGR008), and exits 1', async () => {
    const broken = ENTRY.replace('metadata:\n', 'metadata:\n  labels:\n    {{- include "payments.labels" . | nindent 4 }}\n');
    const dir = chart({ 'templates/serviceentry.yaml': broken });
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const error = findings.find((f) => f.code === 'EGR008');
    assert.equal(error?.file, path.join('payments-egress', 'templates', 'serviceentry.yaml'));
    assert.equal(error?.severity, 'error');
    assert.equal(error?.range.start.line, 4);
    assert.match(String(error?.message), /no template "payments\.labels"/);
  });

  it('renders with the release, namespace and values files of the project file’s charts: entry', async () => {
    const dir = chart();
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'charts:\n- path: payments-egress\n  namespace: egress\n  values: [prod.yaml]\n');
    writeFileSync(path.join(dir, 'prod.yaml'), 'legacy:\n  enabled: true\n  host: https://legacy.partner.example\n');
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const url = findings.find((f) => f.code === 'EGR101');
    assert.equal(url?.file, path.join('payments-egress', 'templates', 'legacy.yaml'), JSON.stringify(findings, null, 2));
    assert.match(String(url?.message), /legacy\.host = https:\/\/legacy\.partner\.example in prod\.yaml/);
  });

  it('renders with the helm on PATH when none is named, and only notes a chart when there is none', async () => {
    const dir = chart();
    const withHelm = await run(process.execPath, [path.join(DIST, 'cli.js'), 'check', '--format', 'json', 'payments-egress'], { cwd: dir, env: { ...env(), PATH: path.dirname(helm) } });
    assert.equal(withHelm.code, 1, withHelm.stderr);
    assert.ok(
      (JSON.parse(withHelm.stdout) as JsonFinding[]).some((f) => f.code === 'EGR402'),
      withHelm.stdout,
    );

    const empty = mkdtempSync(path.join(tmpdir(), 'istio-egress-no-tools-'));
    const without = await run(process.execPath, [path.join(DIST, 'cli.js'), 'check', '--format', 'json', 'payments-egress'], { cwd: dir, env: { ...env(), PATH: empty } });
    assert.equal(without.code, 0, without.stderr);
    const findings = JSON.parse(without.stdout) as JsonFinding[];
    const note = findings.find((f) => f.code === 'EGR008');
    assert.equal(note?.file, path.join('payments-egress', 'Chart.yaml'));
    assert.equal(note?.severity, 'info');
    assert.match(String(note?.message), /helm not found at helm; set istioEgress\.helmPath \(or --helm\)/);
    assert.ok(
      findings.some((f) => f.code === 'EGR005'),
      'the templates keep their notes',
    );
  });

  it('follows a subchart: a value the parent sets for it is named where the parent sets it', async () => {
    const subRule = RULE.replace('{{ .Values.partner.host | quote }}', '{{ .Values.host | quote }}').replace('mode: ISTIO_MUTUAL', 'mode: {{ .Values.tlsMode }}');
    const subEntry = ENTRY.replace('{{ .Values.partner.host }}', '{{ .Values.host }}').replace('{{ .Values.partner.port }}', '443');
    const dir = chart({
      'values.yaml': `${VALUES}partner-db:\n  tlsMode: ISTIO_MUTUAL\n`,
      'templates/_helpers.tpl': '{{- define "payments.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\n{{- end }}\n',
      'templates/destinationrule.yaml': RULE.replace('mode: ISTIO_MUTUAL', 'mode: DISABLE').replace(
        'metadata:\n',
        'metadata:\n  labels:\n    {{- include "payments.labels" . | nindent 4 }}\n',
      ),
      'charts/partner-db/Chart.yaml': 'apiVersion: v2\nname: partner-db\nversion: 0.1.0\n',
      'charts/partner-db/values.yaml': 'host: db.partner.example\ntlsMode: DISABLE\n',
      'charts/partner-db/templates/serviceentry.yaml': subEntry,
      'charts/partner-db/templates/destinationrule.yaml': subRule,
    });
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const errors = findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => `${f.file}:${f.range.start.line} ${f.code}`),
      [`${path.join('payments-egress', 'charts', 'partner-db', 'templates', 'destinationrule.yaml')}:8 EGR402`, `${path.join('payments-egress', 'values.yaml')}:6 EGR402`],
      JSON.stringify(findings, null, 2),
    );
    assert.match(String(errors[0]?.message), /from values: partner-db\.tlsMode = ISTIO_MUTUAL in values\.yaml/);
  });

  it('puts "does not render valid YAML" on the template line that broke it, a warning when an empty value did', async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: remote-{{ .Values.clusterName }}\nstringData:\n  {{ .Values.clusterName }}: |\n    server: https://example.invalid\n';
    const dir = chart({ 'values.yaml': `${VALUES}clusterName: ""\n`, 'templates/secret.yaml': secret });
    const result = await cli(['check', '--format', 'json', '--helm', helm, 'payments-egress'], dir);
    const problem = (JSON.parse(result.stdout) as JsonFinding[]).find((f) => f.code === 'EGR008');
    assert.equal(problem?.file, path.join('payments-egress', 'templates', 'secret.yaml'));
    assert.equal(problem?.range.start.line, 5, 'the `{{ .Values.clusterName }}: |` line');
    assert.equal(problem?.severity, 'warning');
    assert.match(String(problem?.message), /does not render valid YAML.*clusterName is empty in the chart's own values/);
  });
});
