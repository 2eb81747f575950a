import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';

/** On disk, not open: a Service with one port, and an entry registering an external API on 443. */
const REGISTRY = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n',
  'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: partner-api\n  namespace: shop\nspec:\n  hosts: [api.partner.example]\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n  resolution: DNS\n',
].join('---\n');

const ROUTES = [
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata:',
  '  name: reviews',
  '  namespace: shop',
  'spec:',
  '  hosts: [reviews]',
  '  http:',
  '  - route:',
  '    - destination:',
  '        host: reviews',
  '        port: {number: 8080}',
  '    mirror:',
  '      host: shadow.partner.example',
  '',
].join('\n');

describe('route checks through the server, against files on disk', () => {
  let client: LspTestClient;
  let dir: string;
  let registryFile: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-routes-'));
    registryFile = path.join(dir, 'registry.yaml');
    writeFileSync(registryFile, REGISTRY);
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a route's port the Service does not expose (EGR414) and a mirror to an unregistered host (EGR413)", async () => {
    const uri = pathToFileURL(path.join(dir, 'routes.yaml')).toString();
    await client.open(uri, ROUTES);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR414'));
    const port = published.diagnostics.find((d) => d.code === 'EGR414');
    assert.equal(port?.range.start.line, 11);
    assert.equal(port?.relatedInformation?.[0]?.location.uri, pathToFileURL(registryFile).toString());
    const mirror = published.diagnostics.find((d) => d.code === 'EGR413');
    assert.equal(mirror?.range.start.line, 13, JSON.stringify(published.diagnostics.map((d) => [d.code, d.range.start.line])));
  });

  it('takes both back as the route is fixed, keystroke by keystroke', async () => {
    const uri = pathToFileURL(path.join(dir, 'routes.yaml')).toString();
    let version = await client.edit(uri, { start: { line: 11, character: 23 }, end: { line: 11, character: 27 } }, '9080');
    let diagnostics = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(
      diagnostics.diagnostics.map((d) => d.code),
      ['EGR413'],
    );
    version = await client.edit(uri, { start: { line: 13, character: 12 }, end: { line: 13, character: 34 } }, 'api.partner.example');
    diagnostics = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(
      diagnostics.diagnostics.map((d) => d.code),
      [],
    );
  });

  it('reports a route entry without destination as the error Istio refuses it with (EGR427), and takes it back once fixed', async () => {
    const uri = pathToFileURL(path.join(dir, 'weights.yaml')).toString();
    const text =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: weights\n  namespace: shop\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - weight: 100\n';
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR427'));
    const finding = published.diagnostics.find((d) => d.code === 'EGR427');
    assert.equal(finding?.severity, 1);
    assert.equal(finding?.range.start.line, 9);
    const version = await client.edit(uri, { start: { line: 9, character: 6 }, end: { line: 9, character: 6 } }, 'destination: {host: reviews, port: {number: 9080}}\n      ');
    const fixed = await client.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(
      fixed.diagnostics.map((d) => d.code),
      [],
    );
    await client.close(uri);
  });
});
