import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, messageText } from '../support/lspClient';

/** On disk, not open: the shop namespace insists on mutual TLS, and its orders Service selects pods. */
const MESH = [
  'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector: {app: orders}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n',
].join('---\n');

const RULE = [
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: orders',
  '  namespace: shop',
  'spec:',
  '  host: orders.shop.svc.cluster.local',
  '  trafficPolicy:',
  '    tls:',
  '      mode: DISABLE',
  '',
].join('\n');

const ENTRY = [
  'apiVersion: networking.istio.io/v1',
  'kind: ServiceEntry',
  'metadata:',
  '  name: payments',
  '  namespace: shop',
  'spec:',
  '  hosts: [payments.internal.example]',
  '  ports:',
  '  - {number: 443, name: tls, protocol: TLS}',
  '  resolution: STATIC',
  '  endpoints:',
  '  - address: 198.51.100.10',
  '    labels: {version: v1}',
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: payments',
  '  namespace: shop',
  'spec:',
  '  host: payments.internal.example',
  '  subsets:',
  '  - name: v1',
  '    labels: {version: v1}',
  '  - name: v2',
  '    labels: {version: v2}',
  '',
].join('\n');

const SERVICE = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: ledger',
  '  namespace: shop',
  'spec:',
  '  selector: {app: ledger}',
  '  ports:',
  '  - name: tcp-postgres',
  '    port: 5432',
  '    appProtocol: postgresql',
  '',
].join('\n');

const messageOf = (d: Diagnostic | undefined): string => (d ? messageText(d) : '');
const summary = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => `${String(d.code)} ${d.range.start.line} ${d.severity ?? '?'}`);

describe('PeerAuthentication, subset and appProtocol checks through the server', () => {
  let client: LspTestClient;
  let dir: string;
  let meshFile: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-peers-'));
    meshFile = path.join(dir, 'mesh.yaml');
    writeFileSync(meshFile, MESH);
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports DISABLE toward pods a STRICT PeerAuthentication on disk covers (EGR425, error), pointing at the policy', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    await client.open(uri, RULE);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR425'));
    assert.deepEqual(summary(published.diagnostics), [`EGR425 9 ${DiagnosticSeverity.Error}`]);
    const finding = published.diagnostics[0];
    assert.match(messageOf(finding), /PeerAuthentication 'default' \(namespace-wide, in 'shop'\)/);
    assert.equal(finding?.relatedInformation?.[0]?.location.uri, pathToFileURL(meshFile).toString());
    assert.equal(finding?.relatedInformation?.[0]?.location.range.start.line, 7);
  });

  it('takes it back once the rule sends Istio mutual TLS', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    const version = await client.edit(uri, { start: { line: 9, character: 12 }, end: { line: 9, character: 19 } }, 'ISTIO_MUTUAL');
    const published = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(summary(published.diagnostics), []);
  });

  it('reports a subset whose labels no endpoint of the entry carries (EGR423, warning)', async () => {
    const uri = pathToFileURL(path.join(dir, 'entry.yaml')).toString();
    await client.open(uri, ENTRY);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR423'));
    assert.deepEqual(summary(published.diagnostics), [`EGR423 25 ${DiagnosticSeverity.Warning}`]);
    assert.match(messageOf(published.diagnostics[0]), /Subset 'v2' selects \{version: v2\}/);
    // Relabelling the endpoint v2 leaves subset v1 with nothing to select instead.
    const relabelled = await client.edit(uri, { start: { line: 12, character: 22 }, end: { line: 12, character: 24 } }, 'v2');
    const fixed = await client.waitForDiagnostics(uri, (p) => p.version === relabelled);
    assert.deepEqual(summary(fixed.diagnostics), [`EGR423 23 ${DiagnosticSeverity.Warning}`], 'now v1 selects nothing');
  });

  it('reports an appProtocol Istio does not know (EGR424, information), and not EGR411 on the same port', async () => {
    const uri = pathToFileURL(path.join(dir, 'service.yaml')).toString();
    await client.open(uri, SERVICE);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(summary(published.diagnostics), [`EGR424 10 ${DiagnosticSeverity.Information}`]);
    assert.match(messageOf(published.diagnostics[0]), /leaves the port to protocol sniffing/);
    const version = await client.edit(uri, { start: { line: 10, character: 17 }, end: { line: 10, character: 27 } }, 'tcp');
    const fixed = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(summary(fixed.diagnostics), []);
  });
});
