import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, messageText } from '../support/lspClient';

const WARNING = 2;
const HINT = 4;

/** On disk, then opened: the rule for the entry's host, which says DISABLE on port 80. */
const RULE = [
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: httpbin-org',
  '  namespace: egress',
  'spec:',
  '  host: httpbin.org',
  '  trafficPolicy:',
  '    portLevelSettings:',
  '    - port: {number: 80}',
  '      tls: {mode: DISABLE}',
  '',
].join('\n');

const ENTRY = [
  'apiVersion: networking.istio.io/v1',
  'kind: ServiceEntry',
  'metadata:',
  '  name: httpbin-org',
  '  namespace: egress',
  'spec:',
  '  hosts: [httpbin.org]',
  '  ports:',
  '  - number: 80',
  '    name: http',
  '    protocol: HTTP',
  '    targetPort: 443',
  '  resolution: DNS',
  '',
].join('\n');

const SIDECAR = [
  'apiVersion: networking.istio.io/v1',
  'kind: Sidecar',
  'metadata:',
  '  name: default',
  '  namespace: egress',
  'spec:',
  '  outboundTrafficPolicy:',
  '    mode: ALLOW_ANY',
  '    egressProxy:',
  '      host: istio-egressgateway.istio-system.svc.cluster.local',
  '      port: {number: 80}',
  '',
].join('\n');

/** Two rules for one host and namespace, exported differently: clients in `shop` see both. */
const RULES = [
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: api-policy',
  '  namespace: shop',
  'spec:',
  '  host: api.shop.svc.cluster.local',
  '  exportTo: ["."]',
  '  trafficPolicy:',
  '    connectionPool:',
  '      tcp: {maxConnections: 10}',
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: api-subsets',
  '  namespace: shop',
  'spec:',
  '  host: api',
  '  exportTo: ["*"]',
  '  subsets:',
  '  - name: v2',
  '    labels: {version: v2}',
  '',
].join('\n');

function summary(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => [d.code, d.range.start.line, d.severity]));
}

describe('ServiceEntry ports, rule scopes and deprecated fields through the server', () => {
  let client: LspTestClient;
  let dir: string;
  let ruleFile: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-entry-ports-'));
    ruleFile = path.join(dir, 'rule.yaml');
    writeFileSync(ruleFile, RULE);
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns on a targetPort 443 whose rule on disk does not originate TLS (EGR422)', async () => {
    const uri = pathToFileURL(path.join(dir, 'entry.yaml')).toString();
    await client.open(uri, ENTRY);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR422'));
    const finding = published.diagnostics.find((d) => d.code === 'EGR422');
    assert.equal(finding?.range.start.line, 11, summary(published.diagnostics));
    assert.equal(finding?.severity, WARNING);
    assert.match(finding ? messageText(finding) : '', /DestinationRule 'httpbin-org'.*does not originate TLS/);
    assert.equal(finding?.relatedInformation?.[0]?.location.uri, pathToFileURL(ruleFile).toString());
  });

  it('takes it back when the rule originates TLS, and gives a hint when the rule is for another host', async () => {
    const entryUri = pathToFileURL(path.join(dir, 'entry.yaml')).toString();
    const ruleUri = pathToFileURL(ruleFile).toString();
    await client.open(ruleUri, RULE);
    let next = client.nextDiagnostics(entryUri, (p) => !p.diagnostics.some((d) => d.code === 'EGR422'));
    await client.edit(ruleUri, { start: { line: 10, character: 18 }, end: { line: 10, character: 25 } }, 'SIMPLE');
    assert.equal(summary((await next).diagnostics), '[]');

    next = client.nextDiagnostics(entryUri, (p) => p.diagnostics.some((d) => d.code === 'EGR422'));
    await client.edit(ruleUri, { start: { line: 6, character: 8 }, end: { line: 6, character: 19 } }, 'other.example');
    const hint = (await next).diagnostics.find((d) => d.code === 'EGR422');
    assert.equal(hint?.range.start.line, 11);
    assert.equal(hint?.severity, HINT);
    assert.match(hint ? messageText(hint) : '', /no DestinationRule in these files originates TLS/);
  });

  it('reports two rules whose exportTo overlap (EGR305) until one is exported elsewhere only', async () => {
    const uri = pathToFileURL(path.join(dir, 'rules.yaml')).toString();
    await client.open(uri, RULES);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.filter((d) => d.code === 'EGR305').length === 2);
    const found = published.diagnostics.filter((d) => d.code === 'EGR305');
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.severity]),
      [
        [6, WARNING],
        [18, WARNING],
      ],
      summary(published.diagnostics),
    );
    assert.match(found[0] ? messageText(found[0]) : '', /clients in namespace shop, which see both/);
    const version = await client.edit(uri, { start: { line: 19, character: 13 }, end: { line: 19, character: 16 } }, 'frontend');
    const after = await client.diagnosticsOfVersion(uri, version);
    assert.deepEqual(
      after.filter((d) => d.code === 'EGR305'),
      [],
    );
  });

  it("hints at a Sidecar's egressProxy (EGR415)", async () => {
    const uri = pathToFileURL(path.join(dir, 'sidecar.yaml')).toString();
    await client.open(uri, SIDECAR);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR415'));
    const finding = published.diagnostics.find((d) => d.code === 'EGR415');
    assert.equal(finding?.range.start.line, 8, summary(published.diagnostics));
    assert.equal(finding?.severity, HINT);
  });
});
