// The bundled JSON Schema (schemas/egress.schema.json): it is what the generator makes of Istio's CRDs, it accepts
// the documented manifests, it rejects the mistakes it should, it leaves other YAML alone, and its prose is ours.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const generator = path.join(projectRoot, 'scripts', 'generate-schemas.mjs');
const committedSchema = path.join(projectRoot, 'schemas', 'egress.schema.json');
const crdFile = path.resolve(projectRoot, '..', 'shared', 'upstream', 'istio-crds.gen.yaml');
const corpusDir = path.resolve(projectRoot, '..', 'shared', 'corpus', 'docs');

const ISTIO_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
const OUR_KINDS = new Set(['Service', 'Endpoints', 'DestinationRule', 'ServiceEntry']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSchemaObject(value: unknown): value is SchemaObject {
  return isRecord(value);
}

const schemaText = fs.readFileSync(committedSchema, 'utf8');
const schema: SchemaObject = ((): SchemaObject => {
  const parsed: unknown = JSON.parse(schemaText);
  assert.ok(isSchemaObject(parsed), 'the committed schema is a JSON object');
  return parsed;
})();

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ strict: false, allErrors: true }).compile(schema);
  return compiled;
}

function errorsFor(doc: unknown): ErrorObject[] {
  const validate = validator();
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

/** Asserts that `doc` fails with an error of `keyword` at `instancePath` (and, for unknown fields, naming it). */
function assertFails(doc: unknown, keyword: string, instancePath: string, additionalProperty?: string): void {
  const errors = errorsFor(doc);
  const hit = errors.some((e) => e.keyword === keyword && e.instancePath === instancePath && (additionalProperty === undefined || e.params['additionalProperty'] === additionalProperty));
  assert.ok(hit, `expected a "${keyword}" error at ${instancePath || '/'}, got ${JSON.stringify(errors.map((e) => [e.keyword, e.instancePath, e.message]))}`);
}

function assertPasses(doc: unknown, what: string): void {
  assert.deepEqual(
    errorsFor(doc).map((e) => `${e.instancePath} ${e.message ?? e.keyword}`),
    [],
    what,
  );
}

/** Every string under a `key` (a string value, or the strings of an array value) anywhere in `node`. */
function stringsUnder(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) stringsUnder(item, key, out);
  } else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k !== key) stringsUnder(v, key, out);
      else if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) out.push(...v.filter((s): s is string => typeof s === 'string'));
    }
  }
  return out;
}

function destinationRule(apiVersion: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion, kind: 'DestinationRule', metadata: { name: 'dr', namespace: 'default' }, spec };
}

function service(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec };
}

test('the committed schema is exactly what the generator makes of the Istio CRDs', (t) => {
  if (!fs.existsSync(crdFile)) {
    t.skip(`${crdFile} absent (../shared absent)`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-schema-'));
  try {
    const out = path.join(dir, 'egress.schema.json');
    execFileSync(process.execPath, [generator, '--crds', crdFile, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    assert.ok(
      fs.readFileSync(out).equals(fs.readFileSync(committedSchema)),
      'schemas/egress.schema.json is stale: run node scripts/generate-schemas.mjs --crds ../shared/upstream/istio-crds.gen.yaml',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the generator refuses a missing argument and a file without the Istio CRDs', () => {
  const run = (args: string[]): number => {
    try {
      execFileSync(process.execPath, [generator, ...args], { stdio: 'ignore' });
      return 0;
    } catch (err) {
      return isRecord(err) && typeof err['status'] === 'number' ? err['status'] : -1;
    }
  };
  assert.notEqual(run([]), 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-schema-'));
  try {
    const notCrds = path.join(dir, 'values.yaml');
    fs.writeFileSync(notCrds, 'replicaCount: 1\n');
    assert.notEqual(run(['--crds', notCrds, '--out', path.join(dir, 'out.json')]), 0);
    assert.equal(fs.existsSync(path.join(dir, 'out.json')), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every document of the docs corpus validates', (t) => {
  if (!fs.existsSync(corpusDir)) {
    t.skip(`${corpusDir} absent (../shared absent)`);
    return;
  }
  const failures: string[] = [];
  let ours = 0;
  for (const file of fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(corpusDir, file), 'utf8'));
    assert.ok(Array.isArray(docs), `${file} parses`);
    docs.forEach((doc, i) => {
      assert.deepEqual(doc.errors, [], `${file} #${i} is valid YAML`);
      const value: unknown = doc.toJS();
      if (isRecord(value) && typeof value['kind'] === 'string' && OUR_KINDS.has(value['kind'])) ours++;
      for (const e of errorsFor(value)) failures.push(`${file} #${i}: ${e.instancePath} ${e.message ?? e.keyword}`);
    });
  }
  assert.ok(ours >= 10, `the corpus holds documents of our kinds (found ${ours})`);
  assert.deepEqual(failures, []);
});

for (const apiVersion of ISTIO_VERSIONS) {
  test(`DestinationRule ${apiVersion}: valid, a wrong tls.mode, an unknown field`, () => {
    const tls = { mode: 'SIMPLE', sni: 'api.example.com' };
    assertPasses(
      destinationRule(apiVersion, {
        host: 'api.example.com',
        exportTo: ['.'],
        trafficPolicy: { tls, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'DISABLE' } }] },
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls } }],
      }),
      'a valid DestinationRule',
    );

    assertFails(destinationRule(apiVersion, { host: 'h', trafficPolicy: { tls: { mode: 'DISABLED' } } }), 'enum', '/spec/trafficPolicy/tls/mode');
    assertFails(
      destinationRule(apiVersion, { host: 'h', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLED' } }] } }),
      'enum',
      '/spec/trafficPolicy/portLevelSettings/0/tls/mode',
    );
    assertFails(destinationRule(apiVersion, { host: 'h', subsets: [{ name: 'a', trafficPolicy: { tls: { mode: 'mutual' } } }] }), 'enum', '/spec/subsets/0/trafficPolicy/tls/mode');
    assertFails(destinationRule(apiVersion, { host: 'h', trafficPolicy: { tsl: { mode: 'SIMPLE' } } }), 'additionalProperties', '/spec/trafficPolicy', 'tsl');
    assertFails(destinationRule(apiVersion, { host: 'h', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: 'yes' } } }), 'type', '/spec/trafficPolicy/tls/insecureSkipVerify');
    assertFails({ ...destinationRule(apiVersion, { host: 'h' }), extra: 1 }, 'additionalProperties', '', 'extra');
  });

  test(`ServiceEntry ${apiVersion}: valid, a wrong resolution, a port of the wrong type`, () => {
    const serviceEntry = (spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion, kind: 'ServiceEntry', metadata: { name: 'se' }, spec });
    assertPasses(
      serviceEntry({
        hosts: ['api.example.com'],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }],
      }),
      'a valid ServiceEntry',
    );
    assertFails(serviceEntry({ hosts: ['a.example.com'], resolution: 'DNZ' }), 'enum', '/spec/resolution');
    assertFails(serviceEntry({ hosts: ['a.example.com'], ports: [{ number: '443', name: 'https' }] }), 'type', '/spec/ports/0/number');
    assertFails({ apiVersion, kind: 'ServiceEntry', metadata: { name: 'se' } }, 'required', '');
  });
}

test('Service and Endpoints: valid, wrong types, unknown fields', () => {
  assertPasses(
    service({
      type: 'ExternalName',
      externalName: 'api.example.com',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    }),
    'an ExternalName Service',
  );
  assertPasses(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'svc',
        namespace: 'default',
        uid: '0b5f',
        resourceVersion: '42',
        creationTimestamp: '2026-01-01T00:00:00Z',
        labels: { app: 'x' },
        annotations: { 'a/b': 'c' },
        managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        clusterIPs: ['10.0.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 443, targetPort: 8443, appProtocol: 'https' }],
        selector: { app: 'x' },
      },
      status: { loadBalancer: {} },
    },
    'kubectl get -o yaml output',
  );
  assertPasses({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', creationTimestamp: null }, spec: {}, status: {} }, 'kubectl create --dry-run -o yaml output');

  assertFails(service({ ports: [{ port: 'eighty' }] }), 'type', '/spec/ports/0/port');
  assertFails(service({ ports: [{ port: 70000 }] }), 'maximum', '/spec/ports/0/port');
  assertFails(service({ ports: [{ port: 80, protocol: 'HTTP' }] }), 'enum', '/spec/ports/0/protocol');
  assertFails(service({ type: 'External' }), 'enum', '/spec/type');
  assertFails(service({ typo: 'x' }), 'additionalProperties', '/spec', 'typo');
  assertFails({ kind: 'Service', spec: {} }, 'required', '');

  const endpoints = (subsets: unknown[]): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'svc' }, subsets });
  assertPasses(endpoints([{ addresses: [{ ip: '198.51.100.7' }], ports: [{ name: 'tls', port: 443 }] }]), 'an Endpoints');
  assertFails(endpoints([{ addresses: [{ ip: '198.51.100.7', port: 443 }] }]), 'additionalProperties', '/subsets/0/addresses/0', 'port');
  assertFails(endpoints([{ address: [{ ip: '198.51.100.7' }] }]), 'additionalProperties', '/subsets/0', 'address');
  assertFails(endpoints([{ ports: [{ port: '443' }] }]), 'type', '/subsets/0/ports/0/port');
});

test('YAML that is none of our kinds is not constrained', () => {
  const deployment: unknown = parse(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
`);
  const workflow: unknown = parse(`
name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps: [{uses: actions/checkout@v4}, {run: npm test}]
`);
  assertPasses(deployment, 'a Deployment');
  assertPasses(workflow, 'a GitHub workflow');
  assertPasses({ foo: 1 }, 'a plain mapping');
  assertPasses({ kind: 'Service', apiVersion: 'serving.knative.dev/v1', spec: { template: {} } }, 'a Knative Service');
  assertPasses({ kind: 'VirtualService', apiVersion: ISTIO_VERSIONS[0], spec: { hosts: ['x'] } }, 'a VirtualService');
  for (const other of [[1, 2], 'text', 42, null, true]) assertPasses(other, `the document ${JSON.stringify(other)}`);
});

test('descriptions are ours, applied wherever the field occurs, and none is upstream prose', (t) => {
  const dr: unknown = isRecord(schema['definitions']) ? schema['definitions']['networking.istio.io.v1.DestinationRule'] : undefined;
  const at = (route: string): unknown => route.split('.').reduce<unknown>((node, step) => (isRecord(node) ? node[step] : undefined), dr);
  const policy = 'properties.spec.properties.trafficPolicy';
  const subsetPolicy = 'properties.spec.properties.subsets.items.properties.trafficPolicy';
  const portLevel = 'properties.portLevelSettings.items';
  const tlsMode = 'properties.tls.properties.mode';
  for (const route of [`${policy}.${tlsMode}`, `${policy}.${portLevel}.${tlsMode}`, `${subsetPolicy}.${tlsMode}`, `${subsetPolicy}.${portLevel}.${tlsMode}`]) {
    const mode = at(route);
    const described = isRecord(mode) ? mode['enumDescriptions'] : undefined;
    assert.ok(isRecord(mode) && typeof mode['description'] === 'string', `tls.mode is described at ${route}`);
    assert.ok(Array.isArray(described) && described.length === 4 && described.every((d) => typeof d === 'string' && d.length > 20), `the tls.mode values are described at ${route}`);
  }

  if (!fs.existsSync(crdFile)) {
    t.skip(`${crdFile} absent (../shared absent)`);
    return;
  }
  const upstream: string[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(crdFile, 'utf8'))) {
    const crd: unknown = doc.toJS();
    if (!isRecord(crd) || !isRecord(crd['spec']) || !isRecord(crd['spec']['names'])) continue;
    const kind = crd['spec']['names']['kind'];
    if (kind === 'DestinationRule' || kind === 'ServiceEntry') upstream.push(...stringsUnder(crd['spec']['versions'], 'description'));
  }
  assert.ok(upstream.includes('The name of a service from the service registry.'), 'the CRD holds the upstream spec.host text');
  assert.ok(!schemaText.includes('The name of a service from the service registry'), 'the upstream spec.host text is not in the schema');

  const ours = ['description', 'enumDescriptions', '$comment', 'title'].flatMap((key) => stringsUnder(schema, key));
  // Compare sentence by sentence: any upstream sentence of some length found in our prose is a copy.
  const sentences = new Set(
    upstream
      .flatMap((d) => d.split(/(?<=[.!?])\s+|\n+/))
      .map((s) => s.trim())
      .filter((s) => s.length >= 30),
  );
  const copied = [...sentences].filter((s) => ours.some((o) => o.includes(s)));
  assert.deepEqual(copied, []);
});

test('a key without a value is unset: an error only when the field is required', async () => {
  const { Project } = await import('../../server/src/analysis/engine/project');
  const project = new Project();
  const text = ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: half', 'spec:', '  host:', '  trafficPolicy:', '    tls:', '      mode:', ''].join('\n');
  project.setFile('file:///half.yaml', text);
  const messages = project
    .findings('file:///half.yaml')
    .filter((f) => f.code === 'EGR002')
    .map((f) => `${f.range.start.line}: ${f.message}`);
  assert.deepEqual(messages, ["5: 'host' is required and has no value."]);
});
