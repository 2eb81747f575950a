import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import { deleteDocument, replaceDocument } from '../../server/src/analysis/refactor/documentEdits';
import { serviceToServiceEntry } from '../../server/src/analysis/refactor/toServiceEntry';
import type { RelativeEdit, RelativeFix } from '../../server/src/analysis/edits';
import { fileRange } from '../../server/src/analysis/workspace/placed';
import { Project } from '../../server/src/analysis/engine/project';
import {
  HTTPBIN_DESTINATION_RULE,
  HTTPBIN_SERVICE,
  httpbinOrgDestinationRule,
  WIKIPEDIA_ENDPOINTS,
  WIKIPEDIA_SERVICE,
  wikipediaDestinationRule,
  wikipediaEndpoints,
  wikipediaService,
} from '../support/seedManifests';

type Files = Record<string, string>;
type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

const SVC = 'file:///unit/svc.yaml';
const OTHER = 'file:///unit/other.yaml';

/** The seed's rule for my-wikipedia, on the short host name. */
const WIKI_RULE = wikipediaDestinationRule({ host: 'my-wikipedia' });

function projectOf(files: Files): Project {
  const project = new Project();
  for (const [uri, text] of Object.entries(files)) project.setFile(uri, text);
  return project;
}

function plan(files: Files, name: string, namespace = 'default'): RelativeFix | undefined {
  const project = projectOf(files);
  const index = project.index();
  const service = index.service(namespace, name);
  assert.ok(service, `Service ${namespace}/${name}`);
  return serviceToServiceEntry(service, index, project.options);
}

function applyAll(files: Files, edits: readonly RelativeEdit[]): Files {
  const out: Files = { ...files };
  for (const uri of new Set(edits.map((e) => e.at.uri))) {
    const mine = edits.filter((e) => e.at.uri === uri).map((e) => ({ range: fileRange(e.at, e.range), newText: e.newText }));
    out[uri] = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, files[uri] ?? ''), mine);
  }
  return out;
}

/** Every resource of the files, as plain objects; fails on YAML errors. */
function resources(files: Files): Json[] {
  return Object.entries(files).flatMap(([uri, text]) =>
    parseAllDocuments(text).flatMap((doc) => {
      assert.deepEqual(doc.errors, [], `YAML errors in ${uri}`);
      const value: unknown = doc.toJS();
      return isJson(value) ? [value] : [];
    }),
  );
}

function ofKind(all: Json[], kind: string): Json[] {
  return all.filter((r) => r.kind === kind);
}

function spec(resource: Json | undefined): Json {
  return (resource?.spec ?? {}) as Json;
}

/** Errors and warnings of a fresh analysis of the files. */
function problems(files: Files): string[] {
  const project = projectOf(files);
  return Object.keys(files).flatMap((uri) =>
    project
      .findings(uri)
      .filter((f) => f.severity === 'error' || f.severity === 'warning')
      .map((f) => `${f.code} ${f.message}`),
  );
}

describe('ExternalName Service → ServiceEntry', () => {
  it('turns the seed into a DNS entry for the target, with the rule moved to it and its TLS intact', () => {
    const files = { [SVC]: `${HTTPBIN_SERVICE}---\n${HTTPBIN_DESTINATION_RULE}` };
    const fix = plan(files, 'my-httpbin');
    assert.ok(fix);
    assert.equal(fix.title, "Convert to a ServiceEntry for 'httpbin.org' and move its DestinationRule to 'httpbin.org': workloads then call httpbin.org, not my-httpbin");
    const after = applyAll(files, fix.edits);
    const all = resources(after);
    assert.deepEqual(ofKind(all, 'Service'), []);
    const [entry] = ofKind(all, 'ServiceEntry');
    assert.equal(entry?.apiVersion, 'networking.istio.io/v1');
    assert.deepEqual(spec(entry), {
      hosts: ['httpbin.org'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    });
    const [rule] = ofKind(all, 'DestinationRule');
    assert.deepEqual(spec(rule), { host: 'httpbin.org', trafficPolicy: { tls: { mode: 'DISABLE' } } });
    assert.deepEqual(problems(after), []);
  });

  it('moves a rule in another file, named by short host, and keeps every TLS setting of it', () => {
    const rule =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: origination\nspec:\n  host: my-httpbin\n  trafficPolicy:\n' +
      '    portLevelSettings:\n    - port:\n        number: 443\n      tls:\n        mode: SIMPLE\n        sni: httpbin.org\n        caCertificates: /etc/ca.pem\n';
    const service = HTTPBIN_SERVICE.replace(
      '  - name: http\n    protocol: TCP\n    port: 80\n',
      // The workload speaks plain HTTP to 443 and the rule originates TLS there (an `https` port would be double TLS, EGR403).
      '  - name: http-api\n    port: 443\n  - name: web\n    appProtocol: kubernetes.io/h2c\n    port: 8080\n',
    );
    const files = { [SVC]: service, [OTHER]: `# rules\n${rule}` };
    const before = spec(ofKind(resources(files), 'DestinationRule')[0]);
    const fix = plan(files, 'my-httpbin');
    assert.ok(fix);
    assert.deepEqual([...new Set(fix.edits.map((e) => e.at.uri))].sort(), [OTHER, SVC]);
    const after = applyAll(files, fix.edits);
    const all = resources(after);
    const [entry] = ofKind(all, 'ServiceEntry');
    assert.deepEqual(spec(entry).ports, [
      { number: 443, name: 'http-api', protocol: 'HTTP' },
      { number: 8080, name: 'web', protocol: 'HTTP2' },
    ]);
    const moved = spec(ofKind(all, 'DestinationRule')[0]);
    assert.equal(moved.host, 'httpbin.org');
    assert.deepEqual(moved.trafficPolicy, before.trafficPolicy);
    assert.match(after[OTHER] ?? '', /^# rules\n/, 'the rest of the rule file is untouched');
    assert.deepEqual(problems(after), []);
  });

  it('only removes the alias when the target has its entry and rule already (no second owner of the host)', () => {
    const entry =
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: httpbin-org\nspec:\n  hosts:\n  - httpbin.org\n  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - number: 80\n    name: http\n    protocol: HTTP\n';
    const targetRule = httpbinOrgDestinationRule();
    const files = { [SVC]: `${HTTPBIN_SERVICE}---\n${HTTPBIN_DESTINATION_RULE}---\n${entry}---\n${targetRule}` };
    const fix = plan(files, 'my-httpbin');
    assert.ok(fix);
    assert.match(
      fix.title,
      /^Remove this alias \('httpbin\.org' has a ServiceEntry already\) and remove its DestinationRule \('httpbin\.org' has one already\): workloads then call httpbin\.org, not my-httpbin$/,
    );
    const all = resources(applyAll(files, fix.edits));
    assert.deepEqual(
      all.map((r) => `${String(r.kind)} ${String((r.metadata as Json).name)}`),
      ['ServiceEntry httpbin-org', 'DestinationRule httpbin-org'],
    );
  });

  it('is not offered for a target that is no host name', () => {
    assert.equal(plan({ [SVC]: HTTPBIN_SERVICE.replace('httpbin.org', '203.0.113.10') }, 'my-httpbin'), undefined);
  });
});

describe('selector-less Service + Endpoints → ServiceEntry', () => {
  it('makes a STATIC entry on the cluster name with the Endpoints IPs, deletes the Endpoints, leaves the rule as it is', () => {
    const files = { [SVC]: `${WIKIPEDIA_SERVICE}---\n${WIKI_RULE}`, [OTHER]: WIKIPEDIA_ENDPOINTS };
    const fix = plan(files, 'my-wikipedia');
    assert.ok(fix);
    assert.match(fix.title, /workloads keep calling my-wikipedia\.default\.svc\.cluster\.local, which then resolves only with Istio DNS proxying/);
    const after = applyAll(files, fix.edits);
    assert.equal(after[OTHER], '', 'the Endpoints file held only the Endpoints');
    assert.equal(after[SVC]?.endsWith(WIKI_RULE), true, 'the DestinationRule is untouched');
    const all = resources(after);
    assert.deepEqual(ofKind(all, 'Endpoints'), []);
    assert.deepEqual(ofKind(all, 'Service'), []);
    const [entry] = ofKind(all, 'ServiceEntry');
    assert.deepEqual((entry?.metadata as Json).name, 'my-wikipedia');
    assert.deepEqual(spec(entry), {
      hosts: ['my-wikipedia.default.svc.cluster.local'],
      location: 'MESH_EXTERNAL',
      resolution: 'STATIC',
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      endpoints: [{ address: '91.198.174.192' }, { address: '198.35.26.96' }],
    });
    assert.match(after[SVC] ?? '', /# .*ISTIO_META_DNS_CAPTURE/, 'the entry says what its host needs');
    assert.deepEqual(problems(after), []);
  });

  it('keeps an Endpoints port number that differs from the Service port, per endpoint, and the namespace', () => {
    const service = wikipediaService({ namespace: 'wiki' });
    const endpoints = wikipediaEndpoints({ namespace: 'wiki' }).replace('- port: 443', '- port: 8443');
    const files = { [SVC]: `${service}---\n${endpoints}` };
    const fix = plan(files, 'my-wikipedia', 'wiki');
    assert.ok(fix);
    const [entry] = ofKind(resources(applyAll(files, fix.edits)), 'ServiceEntry');
    assert.equal((entry?.metadata as Json).namespace, 'wiki');
    assert.deepEqual(spec(entry).hosts, ['my-wikipedia.wiki.svc.cluster.local']);
    assert.deepEqual(spec(entry).endpoints, [
      { address: '91.198.174.192', ports: { tls: 8443 } },
      { address: '198.35.26.96', ports: { tls: 8443 } },
    ]);
  });

  it('is not offered without Endpoints, for a Service with a selector, or for a NodePort', () => {
    assert.equal(plan({ [SVC]: WIKIPEDIA_SERVICE }, 'my-wikipedia'), undefined);
    const withSelector = WIKIPEDIA_SERVICE.replace('spec:\n', 'spec:\n  selector:\n    app: wiki\n');
    assert.equal(plan({ [SVC]: `${withSelector}---\n${WIKIPEDIA_ENDPOINTS}` }, 'my-wikipedia'), undefined);
    const nodePort = WIKIPEDIA_SERVICE.replace('spec:\n', 'spec:\n  type: NodePort\n');
    assert.equal(plan({ [SVC]: `${nodePort}---\n${WIKIPEDIA_ENDPOINTS}` }, 'my-wikipedia'), undefined);
  });
});

describe('document edits keep the file valid YAML', () => {
  const docs = ['kind: Service\napiVersion: v1\nmetadata:\n  name: a\n', 'kind: Service\napiVersion: v1\nmetadata:\n  name: b\n', 'kind: Service\napiVersion: v1\nmetadata:\n  name: c'];

  function editEach(text: string, edit: (name: string) => ((at: Parameters<typeof deleteDocument>[0]) => RelativeEdit) | undefined): string {
    const project = projectOf({ [SVC]: text });
    const edits = (project.file(SVC)?.documents ?? []).flatMap((d) => {
      const resource = d.doc.resource;
      const make = resource?.name && edit(resource.name.value);
      return make ? [make({ resource, uri: SVC, startLine: d.startLine, doc: d.doc })] : [];
    });
    return applyAll({ [SVC]: text }, edits)[SVC] ?? '';
  }

  function names(text: string): string[] {
    return resources({ [SVC]: text }).map((r) => String((r.metadata as Json).name));
  }

  for (const [name, left] of [
    ['a', ['b', 'c']],
    ['b', ['a', 'c']],
    ['c', ['a', 'b']],
  ] as const) {
    it(`deletes document ${name} of three (the last has no final newline)`, () => {
      const text = `# header\n${docs.join('---\n')}`;
      const after = editEach(text, (n) => (n === name ? deleteDocument : undefined));
      assert.deepEqual(names(after), left);
    });
  }

  it('deletes the only document, and one after an explicit end marker', () => {
    assert.equal(
      editEach(docs[0] ?? '', () => deleteDocument),
      '',
    );
    const text = `${docs[0] ?? ''}...\n${docs[1] ?? ''}`;
    assert.deepEqual(names(editEach(text, (n) => (n === 'b' ? deleteDocument : undefined))), ['a']);
    assert.deepEqual(names(editEach(text, (n) => (n === 'a' ? deleteDocument : undefined))), ['b']);
  });

  it('replaces a document between others, a flow document on its --- line, and one before an end marker', () => {
    const replacement = (n: string) => (at: Parameters<typeof replaceDocument>[0]) => replaceDocument(at, `kind: ServiceEntry\nmetadata:\n  name: ${n}-entry\n`);
    const text = `${docs[0] ?? ''}--- {kind: Service, apiVersion: v1, metadata: {name: b}}  # flow\n...\n---\n# about c\n${docs[2] ?? ''}\n`;
    const after = editEach(text, (n) => (n === 'a' ? undefined : replacement(n)));
    assert.deepEqual(names(after), ['a', 'b-entry', 'c-entry']);
    assert.match(after, /\n# about c\nkind: ServiceEntry\n/, 'comments above the content stay');
    assert.match(after, /\n\.\.\.\n/, 'the end marker stays');
  });
});
