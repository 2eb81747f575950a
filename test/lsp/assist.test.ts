import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { egressGatewayManifest } from '../support/egressGatewayManifest';
import { hoverText, LspTestClient } from '../support/lspClient';
import { WIKIPEDIA_ENDPOINTS_FLOW_STYLE } from '../support/seedManifests';

const SERVICES = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: tls, port: 443}
---
kind: Service
apiVersion: v1
metadata:
  name: legacy-api
  namespace: shop
spec:
  ports:
  - {name: http, port: 80, targetPort: 443}
---
kind: Service
apiVersion: v1
metadata:
  name: my-httpbin
spec:
  type: ExternalName
  externalName: httpbin.org
`;

const RULES = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: wiki
spec:
  host: my-wikipedia
  trafficPolicy:
    tls:
      mode: 
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: legacy
  namespace: shop
spec:
  host: legacy-api
  trafficPolicy:
    tls:
      mode: 
    portLevelSettings:
    - port:
        number: 
---
kind: Endpoints
apiVersion: v1
metadata:
  name: 
subsets:
- addresses:
  - ip: 10.1.2.3
  ports:
  - name: 
---

`;

const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

describe('completions and hovers that know the workspace', () => {
  let client: LspTestClient;
  const services = 'file:///ws/services.yaml';
  const rules = 'file:///ws/rules.yaml';

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
    await client.open(services, SERVICES);
    await client.open(rules, RULES);
    await client.waitForDiagnostics(rules);
  });

  after(() => client.stop());

  it('offers Services for a DR host: short name in the same namespace, FQDN across, the alias target instead of the alias', async () => {
    const items = await client.completion(rules, { line: 5, character: 11 });
    const ours = items.filter((i) => i.kind === 18).map((i) => i.label);
    assert.deepEqual(ours, ['my-wikipedia', 'legacy-api.shop.svc.cluster.local', 'httpbin.org']);
    const target = items.find((i) => i.label === 'httpbin.org');
    assert.match(target?.detail ?? '', /target of ExternalName default\/my-httpbin/);
    assert.deepEqual(items.find((i) => i.label === 'my-wikipedia')?.textEdit, { range: { start: { line: 5, character: 8 }, end: { line: 5, character: 20 } }, newText: 'my-wikipedia' });
  });

  it('orders tls.mode with the one that fits first: DISABLE for a tls port', async () => {
    const items = await client.completion(rules, { line: 8, character: 12 });
    const modes = items.filter((i) => ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'].includes(i.label)).sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(labels(modes), ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']);
    assert.match(modes[0]?.detail ?? '', /recommended: the port says the workload already speaks TLS/);
    assert.equal(modes[0]?.preselect, true);
    assert.match(modes[3]?.detail ?? '', /breaks external destinations/);
    assert.equal(modes.length, 4, 'the schema enum does not add duplicates');
  });

  it('recommends SIMPLE when the workload speaks HTTP to an external 443', async () => {
    const items = await client.completion(rules, { line: 19, character: 12 });
    const first = items.filter((i) => i.kind === 20).sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0];
    assert.equal(first?.label, 'SIMPLE');
  });

  it("offers the target Service's ports for portLevelSettings", async () => {
    const items = await client.completion(rules, { line: 22, character: 16 });
    assert.deepEqual(labels(items.filter((i) => i.kind === 12)), ['80']);
  });

  it('offers selector-less Services without Endpoints as an Endpoints name, and their port names', async () => {
    const names = await client.completion(rules, { line: 27, character: 8 });
    assert.deepEqual(labels(names.filter((i) => i.kind === 18)), ['my-wikipedia']);
    await client.replaceAll(rules, RULES.replace('  name: \nsubsets:', '  name: my-wikipedia\nsubsets:'));
    const ports = await client.completion(rules, { line: 32, character: 10 });
    assert.deepEqual(labels(ports.filter((i) => i.kind === 12)), ['tls']);
    await client.replaceAll(rules, RULES);
  });

  it("offers the subsets that the DestinationRules for a route's host define", async () => {
    const routes = 'file:///ws/routes.yaml';
    const text = egressGatewayManifest(['cnn', 'wikipedia'], '');
    await client.open(routes, text);
    await client.waitForDiagnostics(routes);
    const items = await client.completion(routes, { line: text.split('\n').indexOf('        subset: '), character: 16 });
    assert.deepEqual(labels(items.filter((i) => i.kind === 18)), ['cnn', 'wikipedia']);
    assert.match(items.find((i) => i.label === 'cnn')?.detail ?? '', /subset of DestinationRule 'egressgateway-for-cnn'/);
    await client.close(routes);
  });

  it('completes apiVersion and kind together at the top of a new document', async () => {
    const items = await client.completion(rules, { line: 34, character: 0 });
    const pairs = items.filter((i) => i.kind === 15);
    assert.deepEqual(labels(pairs), ['Service (v1)', 'Endpoints (v1)', 'DestinationRule (networking.istio.io/v1)', 'ServiceEntry (networking.istio.io/v1)']);
    assert.equal(pairs[2]?.textEdit && 'newText' in pairs[2].textEdit ? pairs[2].textEdit.newText : '', 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\n');
  });

  it('completes in documents that do not parse yet: a missing colon, a half-typed key, a trailing "- "', async () => {
    const uri = 'file:///ws/half-typed.yaml';
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata\n  name: broken\nspec:\n  host: \n  trafficPo\n  exportTo:\n  - \n';
    await client.open(uri, text);
    const hosts = await client.completion(uri, { line: 5, character: 8 });
    assert.deepEqual(
      hosts
        .filter((i) => i.kind === 18)
        .map((i) => i.label)
        .slice(0, 2),
      ['my-wikipedia', 'legacy-api.shop.svc.cluster.local'],
    );
    const keys = await client.completion(uri, { line: 6, character: 11 });
    assert.ok(
      keys.some((i) => i.label === 'trafficPolicy'),
      keys.map((i) => i.label).join(', '),
    );
    await client.close(uri);
  });

  it('quick-fixes ISTIO_MUTUAL toward an external Service with the mode that fits the port', async () => {
    const uri = 'file:///ws/mtls.yaml';
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: payments\nspec:\n  ports:\n  - {name: http, port: 80, targetPort: 443}\n---\n' +
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: payments\nspec:\n  host: payments\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';
    await client.open(uri, text);
    const { diagnostics } = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR402'));
    const finding = diagnostics.find((d) => d.code === 'EGR402');
    assert.ok(finding);
    const actions = (await client.codeActions(uri, finding.range, [finding])) ?? [];
    const action = actions[0];
    assert.ok(action && 'edit' in action);
    assert.equal(action.title, 'Use tls.mode SIMPLE', 'payments speaks HTTP to an external 443');
    assert.deepEqual(action.edit?.changes?.[uri], [{ range: finding.range, newText: 'SIMPLE' }]);
    await client.close(uri);
  });

  it('hovers a Service name with its DNS name, cluster IP and Endpoints', async () => {
    const text = hoverText(await client.hover(services, { line: 3, character: 10 }));
    assert.match(text, /In-cluster DNS name: `my-wikipedia\.default\.svc\.cluster\.local`/);
    assert.match(text, /Endpoints: \*\*none known\*\*/);
  });

  it('hovers externalName with the CNAME and the Host header caveat', async () => {
    const text = hoverText(await client.hover(services, { line: 23, character: 18 }));
    assert.match(text, /CNAME to `httpbin\.org`/);
    assert.match(text, /Host: my-httpbin\.default\.svc\.cluster\.local/);
  });

  it('hovers a DR host with the Service it resolves to and the TLS mode per port', async () => {
    const text = hoverText(await client.hover(rules, { line: 16, character: 10 }));
    assert.match(text, /Service `shop\/legacy-api` \(services\.yaml:12\)/);
    assert.match(text, /Port 80 \(http\): TLS/);
  });

  it('hovers an Endpoints name with the Service it serves, its addresses and the Kubernetes 1.33 deprecation', async () => {
    const uri = 'file:///ws/endpoints.yaml';
    await client.open(uri, WIKIPEDIA_ENDPOINTS_FLOW_STYLE);
    const text = hoverText(await client.hover(uri, { line: 3, character: 10 }));
    assert.match(text, /Serves Service `default\/my-wikipedia` \(services\.yaml:4\)/);
    assert.match(text, /Addresses: 1 ready/);
    assert.match(text, /deprecated from Kubernetes 1\.33[\s\S]*EndpointSlice[\s\S]*kubernetes\.io\/service-name: my-wikipedia/);
    await client.close(uri);
  });

  it('hovers an Endpoints IP with its address class', async () => {
    const text = hoverText(await client.hover(rules, { line: 30, character: 10 }));
    assert.match(text, /`10\.1\.2\.3` is a \*\*private\*\*/);
  });
});
