import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient, messageText } from '../support/lspClient';
import { WIKIPEDIA_ENDPOINTS_FLOW_STYLE, WIKIPEDIA_SERVICE_FLOW_STYLE, wikipediaDestinationRule } from '../support/seedManifests';

/** A finding as the "nothing new appeared" check compares them: positions move when lines are inserted, these do not. */
function identity(d: Diagnostic): string {
  return `${String(d.code)} ${messageText(d)}`;
}

/** What `after` has that `before` had not, counting duplicates. */
function appeared(before: readonly Diagnostic[], after: readonly Diagnostic[]): string[] {
  const remaining = before.map(identity);
  return after.map(identity).filter((id) => {
    const i = remaining.indexOf(id);
    if (i === -1) return true;
    remaining.splice(i, 1);
    return false;
  });
}

function assertResolved(target: Diagnostic, before: readonly Diagnostic[], after: readonly Diagnostic[], allowedNew: readonly string[] = []): void {
  assert.ok(!after.some((d) => identity(d) === identity(target)), `${String(target.code)} is still reported`);
  assert.deepEqual(
    appeared(before, after).map((id) => id.split(' ')[0]),
    allowedNew,
    `new findings: ${appeared(before, after).join(' | ')}`,
  );
}

interface Applied {
  readonly action: CodeAction;
  readonly titles: string[];
  readonly fixed: string;
  readonly target: Diagnostic;
  readonly before: Diagnostic[];
  readonly after: Diagnostic[];
}

describe('quick fixes through the built server: apply, re-analyse, the finding is gone and nothing new appears', () => {
  let client: LspTestClient;
  let counter = 0;

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    assert.equal(client.stderr.join(''), '', 'nothing written to stderr');
  });

  /** Opens `text` alone, applies the code action titled `title` for the first `code` finding, sends the result back. */
  async function applyFix(text: string, code: string, title: string | RegExp): Promise<Applied> {
    const uri = `file:///quickfix/case-${++counter}.yaml`;
    await client.open(uri, text);
    const before = await client.diagnosticsOfVersion(uri, 1);
    const target = before.find((d) => d.code === code);
    assert.ok(target, `no ${code} among ${before.map((d) => String(d.code)).join(', ')}`);
    const actions = ((await client.codeActions(uri, target.range, [target])) ?? []).filter((a): a is CodeAction => 'edit' in a);
    const titles = actions.map((a) => a.title);
    const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
    assert.ok(action, `no action ${String(title)} among ${titles.join(' | ')}`);
    const changes = action.edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes), [uri], 'edits stay in this file');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), changes[uri] ?? []);
    const version = await client.replaceAll(uri, fixed);
    const after = await client.diagnosticsOfVersion(uri, version);
    await client.close(uri);
    return { action, titles, fixed, target, before, after };
  }

  it('EGR003: changes an older networking.istio.io version to v1', async () => {
    const text =
      'apiVersion: networking.istio.io/v1beta1\nkind: ServiceEntry\nmetadata:\n  name: httpbin-org\nspec:\n  hosts: [httpbin.org]\n' +
      '  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - {number: 443, name: https, protocol: HTTPS}\n';
    const { action, titles, fixed, target, before, after } = await applyFix(text, 'EGR003', 'Change apiVersion to networking.istio.io/v1');
    assert.equal(action.isPreferred, true);
    assert.deepEqual(titles, ['Change apiVersion to networking.istio.io/v1', 'Suppress EGR003 on this line', 'Suppress EGR003 in this file']);
    assert.equal(fixed, text.replace('v1beta1', 'v1'));
    assertResolved(target, before, after);
  });

  it('EGR101: reduces a URL in externalName to its lower-case host', async () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: my-httpbin\nspec:\n  type: ExternalName\n  externalName: https://HttpBin.org:443/get\n---\n' +
      // The target is registered, as it should be from Istio 1.21 on (else EGR408 would rightly appear once the name is valid).
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: httpbin-org\nspec:\n  hosts: [httpbin.org]\n' +
      '  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - {number: 443, name: https, protocol: HTTPS}\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR101', "Change externalName to 'httpbin.org'");
    assert.equal(action.isPreferred, true);
    assert.match(fixed, /\n {2}externalName: httpbin\.org\n/);
    assertResolved(target, before, after);
  });

  it('EGR403: DISABLE where the workload already speaks TLS (selector-less Service guarded against a mesh-wide ISTIO_MUTUAL)', async () => {
    const text = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: https, port: 443}
---
kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia
subsets:
- addresses: [{ip: 91.198.174.192}]
  ports: [{name: https, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
spec:
  host: my-wikipedia.default.svc.cluster.local
  trafficPolicy:
    tls:
      mode: SIMPLE
      sni: en.wikipedia.org
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: mesh-wide-mtls
  namespace: istio-system
spec:
  host: "*.local"
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
`;
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR403', 'Use tls.mode DISABLE');
    assert.equal(action.isPreferred, true);
    assert.match(fixed, /\n {6}mode: DISABLE\n {6}sni: en\.wikipedia\.org\n/);
    assertResolved(target, before, after);
  });

  it("EGR402 on the destination's own rule: SIMPLE where the workload speaks HTTP to an external 443", async () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: payments\nspec:\n  ports:\n  - {name: http, port: 80, targetPort: 443}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: payments\nsubsets:\n- addresses: [{ip: 203.0.113.7}]\n  ports: [{name: http, port: 443}]\n---\n' +
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: payments\nspec:\n  host: payments\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR402', 'Use tls.mode SIMPLE');
    assert.equal(action.isPreferred, true);
    assert.match(fixed, /mode: SIMPLE\n$/);
    // TLS origination now exists, so the hint that it verifies against the system CAs (EGR405) is new and expected:
    // it is the one thing left for the user to decide (a private CA needs caCertificates).
    assertResolved(target, before, after, ['EGR405']);
  });

  it('EGR402 through a mesh-wide wildcard: adds an exact DISABLE rule next to the Service, in another file, leaving the wildcard alone', async () => {
    const meshUri = 'file:///quickfix/mesh-wide.yaml';
    const serviceUri = 'file:///quickfix/wikipedia.yaml';
    const mesh =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: mesh-wide-mtls\n  namespace: istio-system\nspec:\n' +
      '  host: "*.local"\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';
    const service = `${WIKIPEDIA_SERVICE_FLOW_STYLE}---\n${WIKIPEDIA_ENDPOINTS_FLOW_STYLE}`;
    await client.open(serviceUri, service);
    await client.open(meshUri, mesh);
    const meshBefore = (await client.waitForDiagnostics(meshUri, (p) => p.diagnostics.some((d) => d.code === 'EGR402'))).diagnostics;
    const serviceBefore = (await client.waitForDiagnostics(serviceUri)).diagnostics;
    const target = meshBefore.find((d) => d.code === 'EGR402');
    assert.ok(target);
    const actions = ((await client.codeActions(meshUri, target.range, [target])) ?? []).filter((a): a is CodeAction => 'edit' in a);
    const action = actions[0];
    assert.equal(action?.title, "Add a DestinationRule with tls.mode DISABLE for 'my-wikipedia.default.svc.cluster.local'");
    assert.equal(action.isPreferred, true);
    assert.ok(!actions.some((a) => /Use tls\.mode/.test(a.title)), 'the shared wildcard is not edited');
    const changes = action.edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes), [serviceUri]);
    const fixed = TextDocument.applyEdits(TextDocument.create(serviceUri, 'yaml', 1, service), changes[serviceUri] ?? []);
    const [serviceDoc = '', endpointsDoc = ''] = service.split('---\n');
    assert.equal(
      fixed,
      `${serviceDoc}---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  host: my-wikipedia\n` +
        `  trafficPolicy:\n    tls:\n      mode: DISABLE\n---\n${endpointsDoc}`,
      'right after the Service, in its namespace (none written: the same one)',
    );
    // The edited file is published first in a run, then the other open files: once the wildcard's file is republished,
    // the Service's file is settled too.
    const meshNext = client.nextDiagnostics(meshUri);
    await client.replaceAll(serviceUri, fixed);
    const meshAfter = (await meshNext).diagnostics;
    const serviceAfter = (await client.waitForDiagnostics(serviceUri)).diagnostics;
    assertResolved(target, [...meshBefore, ...serviceBefore], [...meshAfter, ...serviceAfter]);
    await client.close(meshUri);
    await client.close(serviceUri);
  });

  it("EGR301: creates the missing Endpoints with the Service's ports and a placeholder address", async () => {
    const text = 'kind: Service\napiVersion: v1\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: 443\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR301', /^Create Endpoints 'my-wikipedia'/);
    assert.equal(action.isPreferred, false, 'the user must still put the real address in');
    assert.match(action.title, /placeholder IP 192\.0\.2\.1/);
    assert.equal(
      fixed,
      `${text}---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses:\n  - ip: 192.0.2.1 # placeholder: the external server's IP address\n  ports:\n  - name: http\n    port: 443\n`,
    );
    assertResolved(target, before, after);
  });

  it("EGR302: creates a selector-less Service with the Endpoints' ports", async () => {
    const text =
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: legacy-db\n  namespace: shop\nsubsets:\n- addresses: [{ip: 10.20.30.40}]\n' +
      '  ports:\n  - {name: tcp-postgres, port: 5432}\n  - {name: tls, port: 6432}';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR302', "Create selector-less Service 'legacy-db'");
    assert.equal(action.isPreferred, false);
    assert.equal(
      fixed,
      `${text}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: legacy-db\n  namespace: shop\nspec:\n  ports:\n  - name: tcp-postgres\n    port: 5432\n  - name: tls\n    port: 6432`,
    );
    assertResolved(target, before, after);
  });

  it('EGR303: renames an Endpoints port to the Service port of the same number', async () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - {name: https, port: 443}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses: [{ip: 91.198.174.192}]\n  ports:\n  - name: tls\n    port: 443\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR303', "Rename Endpoints port 'tls' to 'https'");
    assert.equal(action.isPreferred, true);
    assert.match(fixed, /\n {2}- name: https\n {4}port: 443\n$/);
    assertResolved(target, before, after);
  });

  it("EGR303: names an unnamed Endpoints port (flow style) after the Service's only port", async () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - {name: https, port: 443}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses: [{ip: 91.198.174.192}]\n  ports: [{port: 8443}]\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR303', "Name this Endpoints port 'https'");
    assert.equal(action.isPreferred, false, 'the numbers differ: a guess from the single port, not a sure match');
    assert.match(fixed, /ports: \[\{name: https, port: 8443\}\]\n$/);
    assertResolved(target, before, after);
  });

  it('suppresses a finding on its line, indented like the line, after the real fixes', async () => {
    const text =
      'apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';
    const { action, fixed, target, before, after } = await applyFix(text, 'EGR003', 'Suppress EGR003 on this line');
    assert.equal(action.isPreferred, false);
    assert.ok(fixed.startsWith('# istio-egress-disable EGR003\napiVersion: networking.istio.io/v1alpha3\n'));
    assertResolved(target, before, after);
  });

  it('suppresses a finding by adding its code to the directive already on the line above', async () => {
    const text = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: https, port: 443}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
spec:
  host: my-wikipedia
  trafficPolicy:
    tls:
      # istio-egress-disable EGR405
      mode: SIMPLE
`;
    const { titles, fixed, target, before, after } = await applyFix(text, 'EGR403', 'Suppress EGR403 on this line');
    assert.deepEqual(titles, ['Use tls.mode DISABLE', 'Suppress EGR403 on this line', 'Suppress EGR403 in this file']);
    assert.match(fixed, /\n {6}# istio-egress-disable EGR405, EGR403\n {6}mode: SIMPLE\n$/);
    assertResolved(target, before, after);
  });

  it('suppresses a finding in the whole file with a directive at the top', async () => {
    const text = `${WIKIPEDIA_SERVICE_FLOW_STYLE}---\n${wikipediaDestinationRule({ host: 'my-wikipedia', tlsMode: 'ISTIO_MUTUAL' })}`;
    const { fixed, target, before, after } = await applyFix(text, 'EGR402', 'Suppress EGR402 in this file');
    assert.equal(fixed, `# istio-egress-disable-file EGR402\n${text}`);
    assertResolved(target, before, after);
  });
});
