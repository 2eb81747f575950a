import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIST, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const CLI = path.join(DIST, 'cli.js');
const cli = (args: string[], options: { cwd?: string } = {}) => run(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, ...options });

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

/** The mesh's STRICT policy and the namespace's Service in one file; the rules toward it in another. */
const MESH = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: v1
kind: Service
metadata:
  name: invoices
  namespace: billing
spec:
  selector: {app: invoices}
  ports:
  - name: http
    port: 8080
  - name: grpc-api
    port: 9090
    appProtocol: h2c
`;

const RULES = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: invoices
  namespace: billing
spec:
  host: invoices
  trafficPolicy:
    portLevelSettings:
    - port: {number: 8080}
      tls: {mode: DISABLE}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: invoices-v2
  namespace: billing
spec:
  selector:
    matchLabels: {app: invoices, version: v2}
  mtls:
    mode: STRICT
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: invoices-v2
  namespace: front
spec:
  host: invoices.billing.svc.cluster.local
  subsets:
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      tls:
        mode: DISABLE
---
kind: Service
apiVersion: v1
metadata:
  name: archive
  namespace: billing
spec:
  ports: [{name: tls, port: 443}]
---
kind: Endpoints
apiVersion: v1
metadata:
  name: archive
  namespace: billing
subsets:
- addresses: [{ip: 203.0.113.40}]
  ports: [{name: tls, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: archive
  namespace: billing
spec:
  host: archive.billing.svc.cluster.local
  subsets:
  - name: cold
    labels: {tier: cold}
`;

describe('istio-egress check: PeerAuthentication, subset and appProtocol checks (dist/cli.js as a process)', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-peers-cli-'));
    writeFileSync(path.join(dir, 'mesh.yaml'), MESH);
    writeFileSync(path.join(dir, 'rules.yaml'), RULES);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each finding with its code, line and severity, and exits 1 on the error', async () => {
    const result = await cli(['check', '--format', 'json', dir]);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.severity} ${f.code}`),
      ['mesh.yaml:22 info EGR424', 'rules.yaml:11 warning EGR425', 'rules.yaml:36 error EGR425', 'rules.yaml:64 warning EGR423'],
    );
    const [appProtocol, meshWide, workload, subset] = findings;
    assert.match(
      appProtocol?.message ?? '',
      /appProtocol 'h2c' on port 9090: it leaves the port to protocol sniffing .*; the name 'grpc-api' is not read .*write Kubernetes' standard name 'kubernetes\.io\/h2c'/,
    );
    assert.match(meshWide?.message ?? '', /mesh-wide, in 'istio-system'.*Unless a PeerAuthentication of its own namespace relaxes it/);
    assert.match(workload?.message ?? '', /subset 'v2' of Service 'invoices' \(ports 8080, 9090\), but PeerAuthentication 'invoices-v2' \(selecting these pods in 'billing'\)/);
    assert.match(subset?.message ?? '', /Subset 'cold' selects \{tier: cold\}.*hand-written Endpoints/);
  });

  it('prints them as text with file:line:col', async () => {
    const result = await cli(['check', path.join(dir, 'rules.yaml'), path.join(dir, 'mesh.yaml')]);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'Checked 2 files, 8 documents: 1 error, 2 warnings, 1 info.');
    assert.ok(
      lines.some((l) => /rules\.yaml:36:\d+ error EGR425 /.test(l)),
      lines.join('\n'),
    );
  });
});
