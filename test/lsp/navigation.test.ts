import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Definition, Location, LocationLink, Position } from 'vscode-languageserver-protocol';
import { egressGatewayManifest } from '../support/egressGatewayManifest';
import { LspTestClient } from '../support/lspClient';

// On disk only, found by the workspace indexer: two Services of one name in different namespaces, and an alias.
const SERVICES = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
  namespace: egress
spec:
  ports:
  - name: tls
    port: 443
---
kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - name: tls
    port: 443
---
kind: Service
apiVersion: v1
metadata:
  name: my-httpbin
spec:
  type: ExternalName
  externalName: httpbin.org
`;

const ENTRIES = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin.org
  ports:
  - {number: 443, name: tls, protocol: TLS}
  resolution: DNS
`;

// Opened in the editor.
const RULES = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: short
  namespace: egress
spec:
  host: my-wikipedia
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fqdn
  namespace: clients
spec:
  host: my-wikipedia.egress.svc.cluster.local
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: default-namespace
spec:
  host: my-wikipedia
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin.org
`;

const ENDPOINTS = `kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia
  namespace: egress
subsets:
- addresses:
  - ip: 91.198.174.192
  ports:
  - name: tls
    port: 443
---
kind: Service
apiVersion: v1
metadata:
  name: legacy-api
spec:
  ports:
  - name: http
    port: 80
---
kind: Endpoints
apiVersion: v1
metadata:
  name: legacy-api
subsets:
- addresses:
  - ip: 10.1.2.3
  ports:
  - name: http
    port: 80
`;

/** The position one character into the `nth` (0-based) occurrence of `needle` in `text`. */
function inside(text: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `'${needle}' #${nth} not found`);
  }
  const before = text.slice(0, offset + 1);
  const line = before.split('\n').length - 1;
  return { line, character: offset + 1 - (before.lastIndexOf('\n') + 1) };
}

/** `file:line` for every location, in answer order. */
function places(answer: Definition | LocationLink[] | Location[] | null): string[] {
  const list = answer === null ? [] : Array.isArray(answer) ? answer : [answer];
  return list.map((l) => ('targetUri' in l ? `${path.basename(l.targetUri)}:${l.targetSelectionRange.start.line}` : `${path.basename(l.uri)}:${l.range.start.line}`));
}

describe('navigation over the workspace: definitions, references, highlights', () => {
  let client: LspTestClient;
  let dir: string;
  let rulesUri: string;
  let endpointsUri: string;
  let servicesUri: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-nav-'));
    mkdirSync(path.join(dir, 'services'));
    writeFileSync(path.join(dir, 'services', 'services.yaml'), SERVICES);
    writeFileSync(path.join(dir, 'entries.yaml'), ENTRIES);
    servicesUri = pathToFileURL(path.join(dir, 'services', 'services.yaml')).toString();
    rulesUri = pathToFileURL(path.join(dir, 'rules.yaml')).toString();
    endpointsUri = pathToFileURL(path.join(dir, 'endpoints.yaml')).toString();
    client = new LspTestClient();
    const init = await client.initialize([pathToFileURL(dir).toString()]);
    assert.equal(init.capabilities.definitionProvider, true);
    assert.equal(init.capabilities.referencesProvider, true);
    assert.equal(init.capabilities.documentHighlightProvider, true);
    const end = Date.now() + 10_000;
    while (!client.logs.some((l) => /indexed \d+ workspace files/.test(l)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(
      client.logs.some((l) => /indexed 2 workspace files/.test(l)),
      client.logs.join('\n'),
    );
    await client.open(rulesUri, RULES);
    await client.open(endpointsUri, ENDPOINTS);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes from a DR host to the Service in a file that is not open, in the rule’s namespace', async () => {
    const short = await client.definition(rulesUri, inside(RULES, 'my-wikipedia\n'));
    assert.deepEqual(short, [{ uri: servicesUri, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 20 } } }]);
    assert.deepEqual(places(await client.definition(rulesUri, inside(RULES, 'my-wikipedia.egress.svc'))), ['services.yaml:3']);
    assert.deepEqual(places(await client.definition(rulesUri, inside(RULES, 'my-wikipedia\n', 1))), ['services.yaml:13'], 'the default-namespace Service');
  });

  it('goes from Endpoints to their Service, and from an Endpoints port name to the Service port', async () => {
    assert.deepEqual(places(await client.definition(endpointsUri, inside(ENDPOINTS, 'my-wikipedia'))), ['services.yaml:3']);
    assert.deepEqual(places(await client.definition(endpointsUri, inside(ENDPOINTS, 'tls'))), ['services.yaml:7']);
    assert.deepEqual(places(await client.definition(endpointsUri, inside(ENDPOINTS, 'http\n', 1))), ['endpoints.yaml:18']);
  });

  it('goes from an ExternalName target and a DR on an external host to the ServiceEntry', async () => {
    await client.open(servicesUri, SERVICES);
    assert.deepEqual(places(await client.definition(servicesUri, inside(SERVICES, 'httpbin.org'))), ['entries.yaml:6']);
    assert.deepEqual(places(await client.definition(rulesUri, inside(RULES, 'httpbin.org'))), ['entries.yaml:6']);
  });

  it('finds a Service’s Endpoints and every rule naming it, short or FQDN, and not the same name elsewhere', async () => {
    const at = inside(SERVICES, 'my-wikipedia');
    assert.deepEqual(places(await client.references(servicesUri, at, false)), ['endpoints.yaml:3', 'rules.yaml:6', 'rules.yaml:14']);
    assert.deepEqual(places(await client.references(servicesUri, at, true)), ['endpoints.yaml:3', 'rules.yaml:6', 'rules.yaml:14', 'services.yaml:3']);
    const other = inside(SERVICES, 'my-wikipedia', 1);
    assert.deepEqual(places(await client.references(servicesUri, other, true)), ['rules.yaml:21', 'services.yaml:13']);
  });

  it('finds the rules and aliases on a ServiceEntry host', async () => {
    const entriesUri = pathToFileURL(path.join(dir, 'entries.yaml')).toString();
    assert.deepEqual(places(await client.references(entriesUri, inside(ENTRIES, 'httpbin.org'), false)), ['rules.yaml:28', 'services.yaml:25']);
  });

  it('highlights the names that belong together in a file: rules on one Service, a Service with its Endpoints and ports', async () => {
    const rules = await client.highlights(rulesUri, inside(RULES, 'my-wikipedia.egress.svc'));
    assert.deepEqual(
      rules?.map((h) => [h.range.start.line, h.kind]),
      [
        [6, 2],
        [14, 2],
      ],
    );
    const service = await client.highlights(endpointsUri, inside(ENDPOINTS, 'legacy-api'));
    assert.deepEqual(
      service?.map((h) => [h.range.start.line, h.kind]),
      [
        [15, 3],
        [24, 2],
      ],
    );
    const port = await client.highlights(endpointsUri, inside(ENDPOINTS, 'http\n', 1));
    assert.deepEqual(
      port?.map((h) => [h.range.start.line, h.kind]),
      [
        [18, 3],
        [29, 2],
      ],
    );
  });

  it('goes from a route subset to the subset a DestinationRule defines, and finds the routes that use it', async () => {
    const routesUri = pathToFileURL(path.join(dir, 'routes.yaml')).toString();
    const text = egressGatewayManifest(['cnn'], 'cnn');
    await client.open(routesUri, text);
    await client.waitForDiagnostics(routesUri);
    // 'cnn\n' ends the rule's name (0), its subset (1) and the route's subset (2).
    assert.deepEqual(places(await client.definition(routesUri, inside(text, 'cnn\n', 2))), ['routes.yaml:7']);
    assert.deepEqual(places(await client.references(routesUri, inside(text, 'cnn\n', 1), false)), ['routes.yaml:19']);
    await client.close(routesUri);
  });

  it('answers empty, without an error, off a name or outside any known file', async () => {
    const kind = inside(RULES, 'DestinationRule');
    assert.equal(await client.definition(rulesUri, kind), null);
    assert.deepEqual(await client.references(rulesUri, kind, true), []);
    assert.deepEqual(await client.highlights(rulesUri, kind), []);
    assert.equal(await client.definition(rulesUri, { line: 999, character: 0 }), null);
    assert.equal(await client.definition('file:///nowhere/unknown.yaml', { line: 0, character: 0 }), null);
    assert.deepEqual(await client.references('file:///nowhere/unknown.yaml', { line: 0, character: 0 }, true), []);
    assert.ok(client.alive);
    assert.deepEqual(
      client.logs.filter((l) => / failed:/.test(l)),
      [],
    );
  });
});
