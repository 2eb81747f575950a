import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, messageText } from '../support/lspClient';

/**
 * The egress-gateway recipe split the way people keep it: the Gateway on disk, the route and the gateway's
 * DestinationRule open in the editor. Findings that join them (EGR419, EGR420) must follow edits to any of the three.
 */
const GATEWAY = [
  'apiVersion: networking.istio.io/v1',
  'kind: Gateway',
  'metadata:',
  '  name: istio-egressgateway',
  'spec:',
  '  selector:',
  '    istio: egressgateway',
  '  servers:',
  '  - port: {number: 80, name: http, protocol: HTTP}',
  '    hosts: [edition.cnn.com]',
  '',
].join('\n');

const ROUTES = [
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata:',
  '  name: cnn-through-egress-gateway',
  'spec:',
  '  hosts: [edition.cnn.com]',
  '  gateways: [istio-egressgateway, mesh]',
  '  http:',
  '  - match: [{gateways: [mesh], port: 80}]',
  '    route:',
  '    - destination:',
  '        host: istio-egressgateway.istio-system.svc.cluster.local',
  '        subset: cnn',
  '        port: {number: 443}',
  '  - match: [{gateways: [istio-egressgateway], port: 80}]',
  '    route:',
  '    - destination: {host: edition.cnn.com, port: {number: 80}}',
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: ServiceEntry',
  'metadata:',
  '  name: cnn',
  'spec:',
  '  hosts: [edition.cnn.com]',
  '  ports: [{number: 80, name: http, protocol: HTTP}]',
  '  resolution: DNS',
  '',
].join('\n');

const RULE = [
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: egressgateway-for-cnn',
  'spec:',
  '  host: istio-egressgateway.istio-system.svc.cluster.local',
  '  subsets:',
  '  - name: cnn',
  '    trafficPolicy:',
  '      portLevelSettings:',
  '      - port: {number: 80}',
  '        tls: {mode: ISTIO_MUTUAL, sni: edition.cnn.com}',
  '',
].join('\n');

/** A gateway of one's own on disk: Istio's gateway chart released as 'istio-partner-egress', and its Service. */
const PARTNER_EGRESS = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: istio-partner-egress, namespace: egress}',
  'spec:',
  '  selector: {matchLabels: {istio: partner-egress}}',
  '  template:',
  '    metadata:',
  '      annotations: {inject.istio.io/templates: gateway}',
  '      labels: {app: istio-partner-egress, istio: partner-egress}',
  '    spec:',
  '      containers: [{name: istio-proxy, image: auto}]',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: istio-partner-egress, namespace: egress}',
  'spec:',
  '  selector: {istio: partner-egress}',
  '  ports: [{name: http, port: 80}]',
  '',
].join('\n');

const PARTNER_ROUTES = [
  'apiVersion: networking.istio.io/v1',
  'kind: Gateway',
  'metadata: {name: partner-egress, namespace: egress}',
  'spec:',
  '  selector: {istio: istio-partner-egress}',
  '  servers:',
  '  - port: {number: 80, name: http, protocol: HTTP}',
  "    hosts: ['*/api.partner.example']",
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata: {name: partner-through-egress, namespace: egress}',
  'spec:',
  '  hosts: [api.partner.example]',
  '  gateways: [partner-egress, mesh]',
  '  http:',
  '  - match: [{gateways: [mesh], port: 80}]',
  '    route:',
  '    - destination: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 80}}',
  '',
].join('\n');

describe('egress gateway wiring through the server (Gateway on disk, route and rule open)', () => {
  let client: LspTestClient;
  let dir: string;
  let gatewayFile: string;
  const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-gateways-'));
    gatewayFile = path.join(dir, 'gateway.yaml');
    writeFileSync(gatewayFile, GATEWAY);
    writeFileSync(path.join(dir, 'partner-egress.yaml'), PARTNER_EGRESS);
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns on the mesh route to a gateway port no server listens on (EGR419), naming the Gateway on disk', async () => {
    await client.open(uriOf('routes.yaml'), ROUTES);
    const published = await client.waitForDiagnostics(uriOf('routes.yaml'), (p) => p.diagnostics.some((d) => d.code === 'EGR419'));
    const port = published.diagnostics.find((d) => d.code === 'EGR419');
    assert.equal(port?.severity, 2);
    assert.equal(port?.range.start.line, 13);
    assert.match(port ? messageText(port) : '', /listen on 80, not on port 443/);
    assert.equal(port?.relatedInformation?.[0]?.location.uri, pathToFileURL(gatewayFile).toString());
  });

  it('warns on the rule that sends mutual TLS to the plain-text server (EGR420) once the route uses port 80', async () => {
    const routes = uriOf('routes.yaml');
    const version = await client.edit(routes, { start: { line: 13, character: 23 }, end: { line: 13, character: 26 } }, '80');
    const fixed = await client.waitForDiagnostics(routes, (p) => p.version === version);
    // Only the subset is left, which no DestinationRule in the files defines yet.
    assert.deepEqual(
      fixed.diagnostics.map((d) => d.code),
      ['EGR412'],
    );
    await client.open(uriOf('rule.yaml'), RULE);
    await client.waitForDiagnostics(routes, (p) => p.diagnostics.length === 0);
    const published = await client.waitForDiagnostics(uriOf('rule.yaml'), (p) => p.diagnostics.some((d) => d.code === 'EGR420'));
    const mode = published.diagnostics.find((d) => d.code === 'EGR420');
    assert.equal(mode?.range.start.line, 11);
    assert.match(mode ? messageText(mode) : '', /has no TLS and reads plain text/);
  });

  it('takes EGR420 back when the Gateway, opened and edited, terminates ISTIO_MUTUAL', async () => {
    const gateway = pathToFileURL(gatewayFile).toString();
    await client.open(gateway, readFileSync(gatewayFile, 'utf8'));
    await client.edit(gateway, { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, '    tls: {mode: ISTIO_MUTUAL}\n');
    const cleared = await client.waitForDiagnostics(uriOf('rule.yaml'), (p) => !p.diagnostics.some((d) => d.code === 'EGR420'));
    assert.deepEqual(
      cleared.diagnostics.map((d) => d.code),
      [],
    );
  });

  it("offers mesh and the workspace's Gateways for a route's gateways, qualified from another namespace", async () => {
    const uri = uriOf('bind.yaml');
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bind\n  namespace: shop\nspec:\n  hosts: [a.example]\n  gateways:\n  - \n';
    await client.open(uri, text);
    const items = await client.completion(uri, { line: 8, character: 4 });
    const offered = items.filter((i) => i.kind === 18 || i.kind === 12).map((i) => i.label);
    assert.deepEqual(offered, ['mesh', 'default/istio-egressgateway']);
    await client.close(uri);
  });

  it("warns on a Gateway selecting the chart release's name (EGR418), then on the mesh route to another gateway's Service (EGR421), and fixes it", async () => {
    const uri = uriOf('partner-routes.yaml');
    await client.open(uri, PARTNER_ROUTES);
    const first = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR418'));
    const selector = first.diagnostics.find((d) => d.code === 'EGR418');
    assert.equal(selector?.range.start.line, 4);
    assert.match(selector ? messageText(selector) : '', /carries istio=istio-partner-egress: Deployment 'istio-partner-egress' \(app=istio-partner-egress, istio=partner-egress\) does not/);
    // Select the label the chart writes: the Gateway now belongs to the Service on disk, which the route does not use.
    const version = await client.edit(uri, { start: { line: 4, character: 20 }, end: { line: 4, character: 40 } }, 'partner-egress');
    const second = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(
      second.diagnostics.map((d) => d.code),
      ['EGR421'],
    );
    const misnamed = second.diagnostics[0];
    assert.ok(misnamed);
    assert.equal(misnamed.range.start.line, 18);
    const actions = (await client.codeActions(uri, misnamed.range, [misnamed])) ?? [];
    const fix = actions.find((a) => a.title === "Change the host to 'istio-partner-egress.egress.svc.cluster.local'");
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    await client.close(uri);
  });

  it('warns on a route bound to the Gateway on disk for a host its server does not take (EGR426)', async () => {
    const uri = uriOf('other-host.yaml');
    const text = [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: bom-through-egress}',
      'spec:',
      '  hosts: [www.bom.gov.au]',
      '  gateways: [istio-egressgateway]',
      '  http:',
      '  - route:',
      '    - destination: {host: www.bom.gov.au}',
      '',
    ].join('\n');
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR426'));
    const finding = published.diagnostics.find((d) => d.code === 'EGR426');
    assert.equal(finding?.range.start.line, 5);
    assert.equal(finding?.relatedInformation?.[0]?.location.uri, pathToFileURL(gatewayFile).toString());
    await client.close(uri);
  });

  it("leads from a route's gateways entry to the Gateway on disk (go to definition)", async () => {
    const uri = uriOf('bound.yaml');
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bound}\nspec:\n  hosts: [edition.cnn.com]\n  gateways:\n  - istio-egressgateway\n';
    await client.open(uri, text);
    const found = await client.definition(uri, { line: 6, character: 6 });
    const locations = Array.isArray(found) ? found : found ? [found] : [];
    assert.deepEqual(
      locations.map((l) => ('uri' in l ? [l.uri, l.range.start.line] : [l.targetUri, l.targetRange.start.line])),
      [[pathToFileURL(gatewayFile).toString(), 3]],
    );
    await client.close(uri);
  });
});
