import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Position } from '../../server/src/analysis/text';
import { definitionsAt, highlightsAt, referencesAt, type NavLocation } from '../../server/src/analysis/assist/navigation';
import { Project } from '../../server/src/analysis/engine/project';

// Each linking line carries a `#tag` comment so that tests name places, not line numbers.
const SERVICES = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia #svc-egress
  namespace: egress
spec:
  ports:
  - name: tls #svc-port-tls
    port: 443
  - name: http #svc-port-http
    port: 80
---
kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia #ep-egress
  namespace: egress
subsets:
- addresses:
  - ip: 91.198.174.192
  ports:
  - name: tls #ep-port-tls
    port: 443
---
kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia #svc-default
spec:
  ports:
  - name: tls #svc-default-port-tls
    port: 443
---
kind: Service
apiVersion: v1
metadata:
  name: my-httpbin #svc-httpbin
  namespace: egress
spec:
  type: ExternalName
  externalName: httpbin.org #external-name
`;

const RULES = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: short
  namespace: egress
spec:
  host: my-wikipedia #dr-short
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fqdn
  namespace: clients
spec:
  host: my-wikipedia.egress.svc.cluster.local #dr-fqdn
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: other-namespace
spec:
  host: my-wikipedia #dr-default
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: partial
spec:
  host: my-wikipedia.egress #dr-partial
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin.org #dr-httpbin
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: whole-namespace
spec:
  host: "*.egress.svc.cluster.local" #dr-wildcard
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: nowhere
spec:
  host: nothing.example.com #dr-unknown
`;

const ENTRIES = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin.org #se-httpbin
  - "*.wikipedia.org" #se-wikipedia
  ports:
  - {number: 443, name: tls, protocol: TLS}
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: routes
  namespace: egress
spec:
  hosts: [httpbin.org]
  http:
  - route:
    - destination:
        host: my-wikipedia #vs-wikipedia
  - route:
    - destination:
        host: en.wikipedia.org #vs-en-wikipedia
`;

const GATEWAYS = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: egress-gw #gw-egress
  namespace: egress
spec:
  selector: {istio: egressgateway}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: egress-gw #gw-default
spec:
  selector: {istio: egressgateway}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: through-gateway
  namespace: egress
spec:
  hosts: [httpbin.org]
  gateways:
  - egress-gw #vs-gw-short
  - default/egress-gw #vs-gw-default
  - mesh #vs-mesh
  http:
  - match:
    - gateways:
      - egress-gw #vs-match-gw
    route:
    - destination:
        host: httpbin.org #vs-gw-httpbin
`;

const FILES: Readonly<Record<string, string>> = {
  'file:///ws/services.yaml': SERVICES,
  'file:///ws/rules.yaml': RULES,
  'file:///ws/entries.yaml': ENTRIES,
  'file:///ws/gateways.yaml': GATEWAYS,
};

function project(): Project {
  const p = new Project();
  for (const [uri, text] of Object.entries(FILES)) p.setFile(uri, text);
  return p;
}

/** The file and position of a tagged line, on its value (the text after `: ` or `- `). */
function tagged(tag: string): { uri: string; position: Position } {
  for (const [uri, text] of Object.entries(FILES)) {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(`#${tag}`));
    const content = lines[line];
    if (content === undefined) continue;
    const written = content.slice(0, content.indexOf(' #'));
    const colon = written.lastIndexOf(': ');
    const start = colon >= 0 ? colon + 2 : written.lastIndexOf('- ') + 2;
    // One character into the value, past an opening quote.
    return { uri, position: { line, character: start + (/["']/.test(written.charAt(start)) ? 2 : 1) } };
  }
  throw new Error(`no line tagged #${tag}`);
}

/** The tag of the line a location starts on: answers read as tag lists. */
function tagOf(location: { uri?: string; range: NavLocation['range'] }, uri?: string): string {
  const text = FILES[location.uri ?? uri ?? ''] ?? '';
  const line = text.split('\n')[location.range.start.line] ?? '';
  return /#([\w-]+)/.exec(line)?.[1] ?? `untagged ${location.uri ?? uri}:${location.range.start.line}`;
}

const definitions = (tag: string): string[] => {
  const { uri, position } = tagged(tag);
  return definitionsAt(project(), uri, position).map((l) => tagOf(l));
};
const references = (tag: string, includeDeclaration: boolean): string[] => {
  const { uri, position } = tagged(tag);
  return referencesAt(project(), uri, position, includeDeclaration).map((l) => tagOf(l));
};

describe('navigation: go to definition', () => {
  it('leads from a short DR host to the Service in the rule’s own namespace', () => {
    assert.deepEqual(definitions('dr-short'), ['svc-egress']);
    assert.deepEqual(definitions('dr-default'), ['svc-default']);
  });

  it('leads from an FQDN host, and from a partial `name.ns` host, to the Service it spells', () => {
    assert.deepEqual(definitions('dr-fqdn'), ['svc-egress']);
    assert.deepEqual(definitions('dr-partial'), ['svc-egress']);
  });

  it('covers the name’s exact range: the Service’s name value', () => {
    const { uri, position } = tagged('dr-short');
    const [location] = definitionsAt(project(), uri, position);
    assert.deepEqual(location, { uri: 'file:///ws/services.yaml', range: { start: { line: 3, character: 8 }, end: { line: 3, character: 20 } } });
  });

  it('leads from an external host to the ServiceEntry listing it: DR host, externalName, route destination', () => {
    assert.deepEqual(definitions('dr-httpbin'), ['se-httpbin']);
    assert.deepEqual(definitions('external-name'), ['se-httpbin']);
    assert.deepEqual(definitions('vs-en-wikipedia'), ['se-wikipedia'], 'a wildcard host covers it');
    assert.deepEqual(definitions('vs-wikipedia'), ['svc-egress'], 'a short route host expands in the VirtualService’s namespace');
  });

  it('leads from Endpoints to their Service, and from an Endpoints port name to the Service port', () => {
    assert.deepEqual(definitions('ep-egress'), ['svc-egress']);
    assert.deepEqual(definitions('ep-port-tls'), ['svc-port-tls']);
  });

  it('leads from a wildcard rule host to the Services it covers, in that namespace only', () => {
    assert.deepEqual(definitions('dr-wildcard'), ['svc-egress', 'svc-httpbin']);
  });

  it("leads from a route's gateway names to the Gateway, short names in the route's namespace; mesh is no Gateway", () => {
    assert.deepEqual(definitions('vs-gw-short'), ['gw-egress']);
    assert.deepEqual(definitions('vs-match-gw'), ['gw-egress']);
    assert.deepEqual(definitions('vs-gw-default'), ['gw-default']);
    assert.deepEqual(definitions('vs-mesh'), []);
  });

  it('finds nothing for unknown hosts and for places that are no name', () => {
    assert.deepEqual(definitions('dr-unknown'), []);
    assert.deepEqual(definitionsAt(project(), 'file:///ws/rules.yaml', { line: 1, character: 3 }), []);
    assert.deepEqual(definitionsAt(project(), 'file:///ws/rules.yaml', { line: 500, character: 0 }), []);
    assert.deepEqual(definitionsAt(project(), 'file:///ws/absent.yaml', { line: 0, character: 0 }), []);
  });
});

describe('navigation: find references', () => {
  it('lists a Service’s Endpoints and the rules and routes naming it, in every spelling, without other namespaces', () => {
    assert.deepEqual(references('svc-egress', false), ['vs-wikipedia', 'dr-short', 'dr-fqdn', 'dr-partial', 'ep-egress']);
  });

  it('adds the declaration when asked, and gives the same answer from any of the names', () => {
    const expected = ['vs-wikipedia', 'dr-short', 'dr-fqdn', 'dr-partial', 'svc-egress', 'ep-egress'];
    assert.deepEqual(references('svc-egress', true), expected);
    assert.deepEqual(references('dr-fqdn', true), expected);
    assert.deepEqual(references('ep-egress', true), expected);
  });

  it('keeps the Service of the same name in another namespace apart', () => {
    assert.deepEqual(references('svc-default', true), ['dr-default', 'svc-default']);
  });

  it('lists the rules, routes and ExternalName Services on a ServiceEntry host', () => {
    assert.deepEqual(references('se-httpbin', false), ['vs-gw-httpbin', 'dr-httpbin', 'external-name']);
    assert.deepEqual(references('se-httpbin', true), ['se-httpbin', 'vs-gw-httpbin', 'dr-httpbin', 'external-name']);
  });

  it('lists Endpoints ports of a Service port name, not those of another Service', () => {
    assert.deepEqual(references('svc-port-tls', true), ['svc-port-tls', 'ep-port-tls']);
    assert.deepEqual(references('svc-port-http', false), []);
    assert.deepEqual(references('svc-default-port-tls', false), []);
  });
});

describe('navigation: references of a Gateway', () => {
  it('lists the routes bound to it, in every spelling, without the namesake in another namespace', () => {
    assert.deepEqual(references('gw-egress', false), ['vs-gw-short', 'vs-match-gw']);
    assert.deepEqual(references('gw-default', true), ['gw-default', 'vs-gw-default']);
  });
});

describe('navigation: document highlights', () => {
  it('marks the names in the file that stand for the same thing, declarations as writes', () => {
    const { uri, position } = tagged('svc-egress');
    const highlights = highlightsAt(project(), uri, position).map((h) => `${tagOf(h, uri)} ${h.role}`);
    assert.deepEqual(highlights, ['svc-egress declaration', 'ep-egress reference']);
  });

  it('marks port names across the Service and its Endpoints', () => {
    const { uri, position } = tagged('ep-port-tls');
    assert.deepEqual(
      highlightsAt(project(), uri, position).map((h) => tagOf(h, uri)),
      ['svc-port-tls', 'ep-port-tls'],
    );
  });

  it('marks nothing off a name', () => {
    assert.deepEqual(highlightsAt(project(), 'file:///ws/services.yaml', { line: 0, character: 2 }), []);
  });
});
