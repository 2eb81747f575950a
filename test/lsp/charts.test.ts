/**
 * The language server renders the workspace's Helm charts with the pinned helm of the kubectl layer (never the
 * machine's; HOME and helm's folders in a temp dir, no network) and puts the findings on the template and values
 * lines that produced them; a save renders again; an untrusted workspace runs no helm.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../server/src/shared/protocol';
import { ensureHelm } from '../harness/kubectl';
import { toolEnv } from '../support/toolEnv';
import { LspTestClient } from '../support/lspClient';

const CHART = 'apiVersion: v2\nname: payments-egress\nversion: 0.1.0\n';
const VALUES = 'partner:\n  host: api.partner.example\n  tlsMode: ISTIO_MUTUAL\n';
const ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: {{ .Release.Name }}-partner
spec:
  hosts:
  - {{ .Values.partner.host }}
  location: MESH_EXTERNAL
  ports:
  - number: 443
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
      mode: {{ .Values.partner.tlsMode }}
`;

const summary = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);

describe('the language server renders Helm charts', () => {
  let helm: string;
  let home: string;
  const servers: LspTestClient[] = [];
  const env = (): NodeJS.ProcessEnv => toolEnv(home);

  /** A workspace folder with the chart in `chart/`; returns the folder and a uri maker. */
  function workspace(files: Record<string, string> = {}): { dir: string; uri: (name: string) => string; write: (name: string, text: string) => void } {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-lsp-chart-'));
    const write = (name: string, text: string): void => {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    };
    const all: Record<string, string> = {
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': VALUES,
      'chart/templates/serviceentry.yaml': ENTRY,
      'chart/templates/destinationrule.yaml': RULE,
      ...files,
    };
    for (const [name, text] of Object.entries(all)) write(name, text);
    return { dir, uri: (name) => pathToFileURL(path.join(dir, name)).toString(), write };
  }

  async function start(dir: string, options: { trusted?: boolean; helmPath?: string } = {}): Promise<LspTestClient> {
    const client = new LspTestClient({ env: env() });
    servers.push(client);
    const settings = { helmPath: options.helmPath ?? helm };
    client.settings = settings;
    await client.initialize([pathToFileURL(dir).toString()], {
      settings,
      ...(options.trusted === undefined ? {} : { workspaceTrusted: options.trusted }),
    });
    return client;
  }

  before(async () => {
    helm = await ensureHelm();
    home = mkdtempSync(path.join(tmpdir(), 'istio-egress-helm-home-'));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(home, { recursive: true, force: true });
  });

  it('puts a finding caused by a value on the template line that reads it, and in values.yaml on the value', async () => {
    const ws = workspace();
    const client = await start(ws.dir);
    const template = ws.uri('chart/templates/destinationrule.yaml');
    const values = ws.uri('chart/values.yaml');
    await client.open(template, RULE);
    const rendered = await client.waitForDiagnostics(template, (p) => p.diagnostics.some((d) => d.code === 'EGR402'), 30_000);
    assert.deepEqual(summary(rendered.diagnostics), ['8:6 EGR402'], 'on `mode: {{ .Values.partner.tlsMode }}`, and no EGR005 note any more');
    const [finding] = rendered.diagnostics;
    assert.match(String(finding?.message), /api\.partner\.example.*rendered by helm from this line; from values: partner\.tlsMode = ISTIO_MUTUAL in values\.yaml/);
    assert.deepEqual(
      finding?.relatedInformation?.map((r) => `${path.relative(ws.dir, fileURLToPath(r.location.uri))} ${r.location.range.start.line}:${r.location.range.start.character}`),
      ['chart/values.yaml 2:2', 'chart/templates/serviceentry.yaml 6:2'],
      'the value, and the ServiceEntry host on the template line that writes it',
    );
    await client.open(values, VALUES);
    const inValues = await client.waitForDiagnostics(values, (p) => p.diagnostics.length > 0, 10_000);
    assert.deepEqual(summary(inValues.diagnostics), ['2:2 EGR402']);
    assert.match(String(inValues.diagnostics[0]?.message), /templates\/destinationrule\.yaml with partner\.tlsMode = ISTIO_MUTUAL/);
    assert.ok(
      client.logs.some((l) => /rendered chart .*chart: helm template chart .*--namespace default.*: 2 documents/.test(l)),
      client.logs.join('\n'),
    );

    // The value fixed and saved: the chart renders again and the finding goes, in both files.
    const fixed = VALUES.replace('ISTIO_MUTUAL', 'DISABLE');
    ws.write('chart/values.yaml', fixed);
    await client.replaceAll(values, fixed);
    await client.save(values);
    const clean = await client.nextDiagnostics(template, (p) => !p.diagnostics.some((d) => d.code === 'EGR402'), 30_000);
    assert.deepEqual(summary(clean.diagnostics), []);
  });

  it('renders with the release, namespace and values files the project file names, and reports a broken template where helm blames it', async () => {
    const ws = workspace({
      '.istio-egress.yaml': 'charts:\n- path: chart\n  release: payments\n  namespace: egress\n  values: [env/prod.yaml]\n',
      'env/prod.yaml': 'partner:\n  tlsMode: DISABLE\n',
    });
    const client = await start(ws.dir);
    const template = ws.uri('chart/templates/destinationrule.yaml');
    await client.open(template, RULE);
    await client.waitForLog(/rendered chart .*helm template payments .*--namespace egress --values .*prod\.yaml/, 30_000);
    const rendered = await client.waitForDiagnostics(template, (p) => !p.diagnostics.some((d) => d.code === 'EGR005'), 30_000);
    assert.deepEqual(summary(rendered.diagnostics), [], 'DISABLE from prod.yaml wins over ISTIO_MUTUAL');

    const broken = RULE.replace('metadata:\n', 'metadata:\n  labels:\n    {{- include "payments.labels" . | nindent 4 }}\n');
    ws.write('chart/templates/destinationrule.yaml', broken);
    await client.replaceAll(template, broken);
    await client.save(template);
    const failed = await client.nextDiagnostics(template, (p) => p.diagnostics.some((d) => d.code === 'EGR008'), 30_000);
    const error = failed.diagnostics.find((d) => d.code === 'EGR008');
    assert.equal(error?.severity, 1);
    assert.equal(error?.range.start.line, 4, 'the include line');
    assert.equal(error?.range.start.character, 7, 'at the include, as helm says (line 5, column 8)');
    assert.match(String(error?.message), /no template "payments\.labels"/);
    assert.ok(
      failed.diagnostics.some((d) => d.code === 'EGR005'),
      'until it renders again, the template keeps its note',
    );
  });

  it('runs no helm in an untrusted workspace until the client says it is trusted', async () => {
    const ws = workspace();
    const client = await start(ws.dir, { trusted: false });
    const template = ws.uri('chart/templates/destinationrule.yaml');
    const chartYaml = ws.uri('chart/Chart.yaml');
    await client.open(chartYaml, CHART);
    const untrusted = await client.waitForDiagnostics(chartYaml, (p) => p.diagnostics.length > 0, 30_000);
    assert.deepEqual(summary(untrusted.diagnostics), ['0:0 EGR008']);
    assert.match(String(untrusted.diagnostics[0]?.message), /not trusted/);
    await client.open(template, RULE);
    const noted = await client.waitForDiagnostics(template, () => true, 10_000);
    assert.deepEqual(summary(noted.diagnostics), ['3:8 EGR005']);
    assert.ok(!client.logs.some((l) => /rendered chart/.test(l)), 'helm ran in an untrusted workspace');

    await client.notify(WORKSPACE_TRUSTED_NOTIFICATION);
    const rendered = await client.nextDiagnostics(template, (p) => p.diagnostics.some((d) => d.code === 'EGR402'), 30_000);
    assert.deepEqual(summary(rendered.diagnostics), ['8:6 EGR402']);
  });

  it('says on Chart.yaml how to enable rendering when helm is not there', async () => {
    const ws = workspace();
    const client = await start(ws.dir, { helmPath: path.join(home, 'no-such-helm') });
    const chartYaml = ws.uri('chart/Chart.yaml');
    await client.open(chartYaml, CHART);
    const missing = await client.waitForDiagnostics(chartYaml, (p) => p.diagnostics.length > 0, 30_000);
    assert.deepEqual(
      missing.diagnostics.map((d) => `${String(d.code)} ${d.severity}`),
      ['EGR008 3'],
    );
    assert.match(String(missing.diagnostics[0]?.message), /helm not found at .*no-such-helm; set istioEgress\.helmPath/);
  });

  it('keeps schema completion working on the YAML around template actions', async () => {
    const ws = workspace();
    const client = await start(ws.dir, { trusted: false });
    const uri = ws.uri('chart/templates/typing.yaml');
    // Control lines and an include: as written, not YAML at all.
    const text = `{{- if .Values.enabled }}\n${RULE.replace('metadata:\n', 'metadata:\n  labels:\n    {{- include "payments.labels" . | nindent 4 }}\n').replace('    tls:\n      mode: {{ .Values.partner.tlsMode }}\n', '    \n')}{{- end }}\n`;
    await client.open(uri, text);
    const items = await client.completion(uri, { line: 10, character: 4 });
    const labels = items.map((i) => i.label);
    for (const key of ['tls', 'loadBalancer', 'connectionPool']) assert.ok(labels.includes(key), `${key} in ${labels.join(', ')}`);
  });
});
