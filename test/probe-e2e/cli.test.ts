import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlEnv } from '../harness/fakeCluster';
import { ensureKubectl } from '../harness/kubectl';
import { HANGING_HOST, startSeedCluster, WIKIPEDIA_CLUSTER_IP, type SeedCluster } from '../harness/seedCluster';
import { DIST } from '../support/paths';
import { run, type RunResult } from '../support/run';
import { HTTPBIN_SERVICE_ONE_LINE_PORT, httpbinDestinationRule } from '../support/seedManifests';

const CLI = path.join(DIST, 'cli.js');

interface JsonReport {
  exitCode: number;
  outcome: string;
  context?: string;
  driftHeadline?: string;
  error?: { code: string; message: string };
  notes: string[];
  sources: {
    source: { pod: string; namespace: string; mode: string };
    results: {
      verdict: { status: string; summary: string; likelyCause?: string; blame?: { kind: string; field: string; location?: { uri?: string; range: { start: { line: number } } } } };
    }[];
  }[];
}

describe('istio-egress probe: the real kubectl against a loopback API server, real curl against loopback servers', () => {
  let seed: SeedCluster;
  let kubectl: string;
  let dir: string;
  let kubeconfig: string;
  let env: NodeJS.ProcessEnv;

  const probe = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, 'probe', '--kubectl', kubectl, ...args], { env, cwd: dir });
  const probeJson = async (args: string[]): Promise<{ result: RunResult; report: JsonReport }> => {
    const result = await probe([...args, '--format', 'json']);
    return { result, report: JSON.parse(result.stdout) as JsonReport };
  };
  const verdicts = (report: JsonReport): string[] => report.sources.flatMap((s) => s.results.map((r) => `${s.source.mode} ${r.verdict.status}`));

  before(async () => {
    kubectl = await ensureKubectl();
    seed = await startSeedCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-probe-'));
    kubeconfig = await seed.cluster.writeKubeconfig(dir, { context: 'kind-egress', namespace: 'default' });
    env = kubectlEnv(seed.cluster, kubeconfig);
  });

  after(async () => {
    await seed.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes for the ExternalName Service from a pod with and one without a sidecar, as the seed shows', async () => {
    const result = await probe(['my-httpbin']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /context kind-egress/);
    assert.match(result.stdout, /\[PASS\].*/);
    const { report } = await probeJson(['my-httpbin']);
    assert.deepEqual(verdicts(report).sort(), ['no-sidecar pass', 'sidecar pass']);
    const execs = seed.cluster.execLog.filter((e) => e.command[0] === 'curl');
    assert.ok(
      execs.some((e) => e.command.join(' ').includes('my-httpbin.default.svc.cluster.local/headers')),
      JSON.stringify(execs.map((e) => e.command)),
    );
  });

  it('proves the TLS path through the cluster IP with --resolve, as the seed does for en.wikipedia.org', async () => {
    const result = await probe(['my-wikipedia', '--tls-host', 'en.wikipedia.org']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(seed.cluster.execLog.some((e) => e.command.includes(`en.wikipedia.org:443:${WIKIPEDIA_CLUSTER_IP}`)));
    assert.match(result.stdout, new RegExp(WIKIPEDIA_CLUSTER_IP.replace(/\./g, '\\.')));
  });

  it('fails the TLS probe when the certificate of the server is not trusted (curl exit 60)', async () => {
    for (const net of ['plain', 'sidecar']) seed.cluster.setRoute(net, `${WIKIPEDIA_CLUSTER_IP}:443`, seed.servers.untrustedWikipedia.target);
    try {
      const { result, report } = await probeJson(['my-wikipedia', '--tls-host', 'en.wikipedia.org']);
      assert.equal(result.code, 1, result.stdout);
      assert.deepEqual(verdicts(report).sort(), ['no-sidecar fail', 'sidecar fail']);
      assert.match(JSON.stringify(report), /certificate/i);
    } finally {
      for (const net of ['plain', 'sidecar']) seed.cluster.setRoute(net, `${WIKIPEDIA_CLUSTER_IP}:443`, seed.servers.wikipedia.target);
    }
  });

  it('fails through the sidecar with Envoy 503 and blames the ISTIO_MUTUAL line of the file', async () => {
    const file = path.join(dir, 'wiki.yaml');
    writeFileSync(file, `${HTTPBIN_SERVICE_ONE_LINE_PORT}---\n${httpbinDestinationRule('ISTIO_MUTUAL')}`);
    const dr = seed.cluster.get('DestinationRule', 'my-httpbin', 'default');
    assert.ok(dr);
    seed.cluster.upsert({ ...dr, spec: { host: 'my-httpbin.default.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } });
    seed.cluster.setSidecarFailure(true);
    try {
      const { result, report } = await probeJson(['my-httpbin', '-f', file, '--istio-version', '1.20']);
      assert.equal(result.code, 1, result.stdout);
      assert.deepEqual(verdicts(report).sort(), ['no-sidecar pass', 'sidecar fail']);
      const failed = report.sources.flatMap((s) => s.results).find((r) => r.verdict.status === 'fail');
      assert.match(failed?.verdict.summary ?? '', /503/);
      assert.equal(failed?.verdict.blame?.kind, 'DestinationRule');
      assert.equal(failed?.verdict.blame?.location?.range.start.line, 18, 'the mode line of the file');
    } finally {
      seed.cluster.setSidecarFailure(false);
      seed.cluster.upsert(dr);
    }
  });

  it('explains DNS failure, refused connection and timeout from curl exit codes 6, 7 and 28', async () => {
    seed.cluster.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ghost', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'ghost.example.net', ports: [{ name: 'http', port: 80 }] },
    });
    const dns = await probeJson(['ghost']);
    assert.equal(dns.result.code, 1);
    assert.match(JSON.stringify(dns.report), /resolve|DNS/i);

    seed.cluster.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'refused', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'refused.example.com', ports: [{ name: 'http', port: 80 }] },
    });
    for (const net of ['plain', 'sidecar']) seed.cluster.setRoute(net, 'refused.default.svc.cluster.local:80', seed.servers.closed.target);
    const refused = await probeJson(['refused']);
    assert.equal(refused.result.code, 1);
    assert.match(JSON.stringify(refused.report), /refused/i);

    seed.cluster.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'slow', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: HANGING_HOST, ports: [{ name: 'http', port: 80 }] },
    });
    for (const net of ['plain', 'sidecar']) seed.cluster.setRoute(net, 'slow.default.svc.cluster.local:80', seed.servers.hanging.target);
    const slow = await probeJson(['slow', '--timeout', '1']);
    assert.equal(slow.result.code, 1);
    assert.match(JSON.stringify(slow.report), /time(d)? ?out/i);
  });

  it('says how to create source pods when none is found, and reports a container without curl', async () => {
    const none = await probeJson(['my-httpbin', '--selector', 'app=nothing-here']);
    assert.equal(none.result.code, 2);
    assert.match(JSON.stringify(none.report), /To create one/);
    const noCurl = await probeJson(['my-httpbin', '--selector', 'app=httpbin', '--no-sidecar-namespace', 'without-istio']);
    assert.match(JSON.stringify(noCurl.report), /curl/);
    assert.notEqual(noCurl.result.code, 0);
  });

  it('reports an ambient namespace as ambient, not as "no sidecar"', async () => {
    const { report } = await probeJson(['my-httpbin', '--no-sidecar-namespace', 'ambient-ns']);
    assert.ok(
      report.sources.some((s) => s.source.mode === 'ambient'),
      JSON.stringify(report.sources.map((s) => s.source)),
    );
  });

  it("says first when the cluster has not got the file's version", async () => {
    const file = path.join(dir, 'drift.yaml');
    writeFileSync(
      file,
      'kind: Service\napiVersion: v1\nmetadata:\n  name: my-httpbin\nspec:\n  type: ExternalName\n  externalName: postman-echo.com\n  ports:\n  - {name: http, port: 80}\n',
    );
    const { report } = await probeJson(['my-httpbin', '-f', file]);
    assert.match(report.driftHeadline ?? '', /cluster has not got this file's version/);
  });

  it('works with KUBECONFIG made of two files, as kubectl does', async () => {
    const split = await seed.cluster.writeSplitKubeconfig(mkdtempSync(path.join(tmpdir(), 'istio-egress-split-')), { context: 'split-ctx', namespace: 'default' });
    const result = await run(process.execPath, [CLI, 'probe', '--kubectl', kubectl, 'my-httpbin'], { env: kubectlEnv(seed.cluster, split.kubeconfig.split(':')), cwd: dir });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /context split-ctx/);
  });

  it('refuses hostile names before any process starts or any request reaches the cluster', async () => {
    for (const name of ['x; rm -rf /', '$(id)', '--kubeconfig=/etc/x', '-n', 'UPPER']) {
      const before = seed.cluster.requests.length;
      const result = await probe([name === '-n' ? '--' : name, ...(name === '-n' ? ['-n'] : [])]);
      assert.equal(result.code, 2, `${name}: ${result.stdout}${result.stderr}`);
      assert.equal(seed.cluster.requests.length, before, `${name} reached the cluster`);
    }
    const badNamespace = await probe(['my-httpbin', '-n', '$(id)']);
    assert.equal(badNamespace.code, 2);
  });

  it('cancels on SIGINT: kubectl and the curl in the pod are stopped', async () => {
    for (const net of ['plain', 'sidecar']) seed.cluster.setRoute(net, 'slow.default.svc.cluster.local:80', seed.servers.hanging.target);
    const child = spawn(process.execPath, [CLI, 'probe', '--kubectl', kubectl, 'slow', '--timeout', '60'], { env, cwd: dir, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const end = Date.now() + 15_000;
    while (seed.cluster.activeProcesses() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.ok(seed.cluster.activeProcesses() > 0, 'a curl is running in the fake pod');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2, out);
    const stopBy = Date.now() + 5000;
    while (seed.cluster.activeProcesses() > 0 && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 50));
    assert.equal(seed.cluster.activeProcesses(), 0, 'no curl left running');
    assert.match(out, /cancel/i);
  });
});
