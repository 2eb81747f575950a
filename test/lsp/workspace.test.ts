import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';

const EXTERNAL_NAME = 'kind: Service\napiVersion: v1\nmetadata:\n  name: my-httpbin\nspec:\n  type: ExternalName\n  externalName: httpbin.org\n';
const SELECTORLESS = 'kind: Service\napiVersion: v1\nmetadata:\n  name: my-httpbin\nspec:\n  ports:\n  - {name: http, port: 80}\n';
const RULE = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-httpbin\nspec:\n  host: my-httpbin\n';

describe('workspace index: files that are not open take part in cross-file rules', () => {
  let client: LspTestClient;
  let dir: string;
  let serviceFile: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-ws-'));
    mkdirSync(path.join(dir, 'services'));
    mkdirSync(path.join(dir, 'node_modules'));
    serviceFile = path.join(dir, 'services', 'httpbin.yaml');
    writeFileSync(serviceFile, EXTERNAL_NAME);
    // Files that must never be indexed: under node_modules, or of no relevant kind.
    writeFileSync(path.join(dir, 'node_modules', 'svc.yaml'), EXTERNAL_NAME.replace('my-httpbin', 'hidden'));
    writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 2\n');
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers for file-watch events', async () => {
    const end = Date.now() + 5000;
    while (!client.registrations.includes('workspace/didChangeWatchedFiles') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'), client.registrations.join(', '));
  });

  it('sees the ExternalName Service on disk from an open DestinationRule', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    await client.open(uri, RULE);
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR401'));
    assert.equal(published.diagnostics.find((d) => d.code === 'EGR401')?.relatedInformation?.[0]?.location.uri, pathToFileURL(serviceFile).toString());
  });

  it('follows a change on disk announced by a file-watch event', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    writeFileSync(serviceFile, SELECTORLESS);
    const next = client.nextDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'EGR401'));
    await client.watchedFilesChanged([{ uri: pathToFileURL(serviceFile).toString(), type: 2 }]);
    const published = await next;
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      [],
    );
  });

  it('forgets a deleted file', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    rmSync(serviceFile);
    const next = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR304'));
    await client.watchedFilesChanged([{ uri: pathToFileURL(serviceFile).toString(), type: 3 }]);
    const published = await next;
    assert.match(String(published.diagnostics[0]?.message), /No Service 'my-httpbin'/);
  });

  it('honours .istio-egress.yaml, and follows its changes', async () => {
    const uri = pathToFileURL(path.join(dir, 'rule.yaml')).toString();
    const config = path.join(dir, '.istio-egress.yaml');
    writeFileSync(config, 'disable: [EGR304]\n');
    const silenced = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.watchedFilesChanged([{ uri: pathToFileURL(config).toString(), type: 1 }]);
    await silenced;
    // A finding the project file hides gets no quick fix and no "Suppress" action either.
    const whole = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    assert.deepEqual(
      ((await client.codeActions(uri, whole, [])) ?? []).map((a) => a.title),
      [],
    );
    writeFileSync(config, 'severity:\n  EGR304: warning\n');
    const warned = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR304' && d.severity === 2));
    await client.watchedFilesChanged([{ uri: pathToFileURL(config).toString(), type: 2 }]);
    const published = await warned;
    assert.equal(published.diagnostics.length, 1);
    rmSync(config);
    const restored = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR304' && d.severity === 4));
    await client.watchedFilesChanged([{ uri: pathToFileURL(config).toString(), type: 3 }]);
    await restored;
  });

  it('never indexed node_modules', async () => {
    const uri = pathToFileURL(path.join(dir, 'hidden-rule.yaml')).toString();
    await client.open(uri, RULE.replaceAll('my-httpbin', 'hidden'));
    const published = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['EGR304'],
    );
  });
});

/**
 * A suite's server, started on a fresh temp folder holding `files` (relative path → text) and stopped, the folder
 * removed, after the suite.
 */
function serverOnFolder(prefix: string, files: () => Record<string, string>): { client: () => LspTestClient; uri: (relative: string) => string; file: (relative: string) => string } {
  let client: LspTestClient | undefined;
  let dir = '';
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    for (const [relative, text] of Object.entries(files())) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    }
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });
  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (relative: string): string => path.join(dir, relative);
  return {
    client: () => {
      if (!client) throw new Error('the server is not started');
      return client;
    },
    file,
    uri: (relative) => pathToFileURL(file(relative)).toString(),
  };
}

describe('workspace index: kustomizations on disk change the resources they build', () => {
  // The Service says staging; the overlay that builds it says prod, and kustomize's namespace wins.
  const server = serverOnFolder('istio-egress-kust-', () => ({
    'overlay/kustomization.yaml': 'namespace: prod\nresources:\n- service.yaml\n- rule.yaml\n',
    'overlay/service.yaml': EXTERNAL_NAME.replace('name: my-httpbin', 'name: web\n  namespace: staging'),
  }));

  it('puts a Service in the overlay namespace, so a rule on its prod name finds it', async () => {
    const uri = server.uri('overlay/rule.yaml');
    await server.client().open(uri, RULE.replace('host: my-httpbin', 'host: web.prod.svc.cluster.local'));
    const published = await server.client().waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR401'));
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['EGR401'],
    );
  });

  it('follows the kustomization when it changes on disk', async () => {
    const uri = server.uri('overlay/rule.yaml');
    writeFileSync(server.file('overlay/kustomization.yaml'), 'namespace: qa\nresources:\n- service.yaml\n- rule.yaml\n');
    const next = server.client().nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR304'));
    await server.client().watchedFilesChanged([{ uri: server.uri('overlay/kustomization.yaml'), type: 2 }]);
    const published = await next;
    assert.match(String(published.diagnostics.find((d) => d.code === 'EGR304')?.message), /No Service 'web' in namespace 'prod'/);
  });
});

describe('workspace index: cross-file findings wait for the first walk of the workspace', () => {
  // Enough files that the walk takes a while; the Service the rule names is read last.
  const server = serverOnFolder('istio-egress-walk-', () => {
    const files: Record<string, string> = { 'z-httpbin.yaml': EXTERNAL_NAME };
    for (let i = 0; i < 400; i++) files[`a-${String(i).padStart(3, '0')}.yaml`] = EXTERNAL_NAME.replace('my-httpbin', `filler-${i}`);
    return files;
  });

  it('never says "no Service defines this host" about a Service the walk had not read yet', async () => {
    const uri = server.uri('rule.yaml');
    await server.client().open(uri, RULE);
    await server.client().waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR401'), 30_000);
    const seen = server
      .client()
      .publications(uri)
      .flatMap((p) => p.diagnostics.map((d) => String(d.code)));
    assert.ok(!seen.includes('EGR304'), `published: ${seen.join(', ')}`);
  });
});
