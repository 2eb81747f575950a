/**
 * Proves the test harness with the REAL kubectl (v1.35.2 from .tools/) and the
 * machine's real curl against the fake cluster on loopback.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, type RunResult } from '../support/run';
import { kubectlEnv, type KubeObject } from './fakeCluster';
import { tracedDestinations } from './fakePod';
import { KUBECTL_PATH, KUBECTL_VERSION, PROJECT_ROOT, ensureKubectl } from './kubectl';
import { HANGING_HOST, NO_CURL_POD, PLAIN_POD, REFUSED_HOST, SIDECAR_POD, WIKIPEDIA_CLUSTER_IP, startSeedCluster, type SeedCluster } from './seedCluster';
import { ENVOY_TLS_FAILURE_BODY, WIKIPEDIA_TITLE } from './testServers';

interface KubeList {
  kind: string;
  items: KubeObject[];
}

let kubectl: string;
let seed: SeedCluster;
let dir: string;
let kubeconfig: string;

function k(args: readonly string[], options: { kubeconfig?: string; input?: string } = {}): Promise<RunResult> {
  return run(kubectl, args, { env: kubectlEnv(seed.cluster, options.kubeconfig ?? kubeconfig), input: options.input, cwd: dir });
}

/** `kubectl exec <pod> -n <ns> -c curl -- curl <args>` */
function execCurl(pod: { name: string; namespace: string }, curlArgs: readonly string[], extra: readonly string[] = []): Promise<RunResult> {
  return k(['exec', ...extra, pod.name, '-n', pod.namespace, '-c', 'curl', '--', 'curl', ...curlArgs]);
}

before(async () => {
  kubectl = await ensureKubectl();
  seed = await startSeedCluster();
  dir = await mkdtemp(path.join(tmpdir(), 'egress-harness-test-'));
  kubeconfig = await seed.cluster.writeKubeconfig(dir);
});

after(async () => {
  await seed?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kubectl binary', () => {
  test('ensureKubectl unpacks kubectl v1.35.2 into .tools/ (mode 755)', async () => {
    assert.equal(kubectl, KUBECTL_PATH);
    assert.equal(kubectl, path.join(PROJECT_ROOT, '.tools', `kubectl-v${KUBECTL_VERSION}`, 'kubectl'));
    assert.equal((await stat(kubectl)).mode & 0o777, 0o755);
    const r = await run(kubectl, ['version', '--client'], { env: { PATH: '/usr/bin:/bin', HOME: dir } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Client Version: v1\.35\.2/);
  });

  test('installKubectl is safe when two processes race for the same destination', async () => {
    const dest = path.join(dir, 'race', 'kubectl');
    const script = `require(${JSON.stringify(path.join(__dirname, 'kubectl.ts'))}).installKubectl(${JSON.stringify(dest)}).then((p) => console.log(p))`;
    const racer = (): Promise<RunResult> => run(process.execPath, ['--import', 'tsx', '--eval', script], { cwd: PROJECT_ROOT, env: { PATH: '/usr/bin:/bin', HOME: dir } });
    const results = await Promise.all([racer(), racer()]);
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), dest);
    }
    assert.deepEqual(await readdir(path.dirname(dest)), ['kubectl'], 'no temp files left behind');
    const v = await run(dest, ['version', '--client'], { env: { PATH: '/usr/bin:/bin', HOME: dir } });
    assert.match(v.stdout, /v1\.35\.2/);
  });
});

describe('API server', () => {
  test('kubectl get svc my-httpbin -o json returns the ExternalName service', async () => {
    const r = await k(['get', 'svc', 'my-httpbin', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const svc = JSON.parse(r.stdout) as KubeObject & { spec: { type: string; externalName: string; clusterIP?: string; ports: { name: string; port: number }[] } };
    assert.equal(svc.kind, 'Service');
    assert.equal(svc.metadata.namespace, 'default');
    assert.equal(svc.spec.type, 'ExternalName');
    assert.equal(svc.spec.externalName, 'httpbin.org');
    assert.equal(svc.spec.clusterIP, undefined);
    assert.deepEqual(
      svc.spec.ports.map((p) => [p.name, p.port]),
      [['http', 80]],
    );
  });

  test('an unknown object is a NotFound Status; kubectl exits 1', async () => {
    const r = await k(['get', 'svc', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): services "nope" not found\n');
    const se = await k(['get', 'serviceentries', 'nope', '-n', 'default']);
    assert.equal(se.stderr, 'Error from server (NotFound): serviceentries.networking.istio.io "nope" not found\n');
  });

  test('a wrong token is rejected with 401 and kubectl reports Unauthorized', async () => {
    const bad = await seed.cluster.writeKubeconfig(dir, { fileName: 'bad-token', token: 'not-the-token' });
    const before = seed.cluster.requests.length;
    const r = await k(['get', 'svc', 'my-httpbin'], { kubeconfig: bad });
    assert.equal(r.code, 1);
    // Without cached discovery kubectl says "(the server has asked for the client to provide credentials)".
    assert.match(r.stderr, /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)\n$/);
    const seen = seed.cluster.requests.slice(before);
    assert.ok(seen.length > 0 && seen.every((q) => !q.authorized));
  });

  test('the kubeconfig context decides the token: a decoy current-context fails, --context works', async () => {
    const file = await seed.cluster.writeKubeconfig(dir, { fileName: 'decoy', context: 'good', extraContexts: [{ name: 'decoy', token: 'wrong' }], currentContext: 'decoy' });
    assert.equal((await k(['get', 'svc', 'my-httpbin', '-o', 'name'], { kubeconfig: file })).code, 1);
    const ok = await k(['--context', 'good', 'get', 'svc', 'my-httpbin', '-o', 'name'], { kubeconfig: file });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'service/my-httpbin\n');
  });

  test('kubectl get pods -n default -l app=curl -o json lists the sidecar pod', async () => {
    const r = await k(['get', 'pods', '-n', 'default', '-l', 'app=curl', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as KubeList;
    assert.deepEqual(
      list.items.map((p) => p.metadata.name),
      [SIDECAR_POD.name],
    );
    const pod = list.items[0] as KubeObject & { spec: { containers: { name: string }[] }; status: { phase: string; podIP: string } };
    assert.deepEqual(
      pod.spec.containers.map((c) => c.name),
      ['curl', 'istio-proxy'],
    );
    assert.equal(pod.status.phase, 'Running');
    assert.equal(pod.status.podIP, SIDECAR_POD.podIP);
    const all = JSON.parse((await k(['get', 'pods', '-A', '-l', 'app in (curl)', '-o', 'json'])).stdout) as KubeList;
    assert.deepEqual(
      all.items.map((p) => p.metadata.namespace),
      ['ambient-ns', 'default', 'without-istio'],
    );
  });

  test('kubectl get destinationrules -A -o json discovers networking.istio.io/v1', async () => {
    const r = await k(['get', 'destinationrules', '-A', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as KubeList;
    assert.deepEqual(
      list.items.map((d) => `${d.apiVersion} ${d.metadata.namespace}/${d.metadata.name}`),
      ['networking.istio.io/v1 default/my-httpbin', 'networking.istio.io/v1 default/my-wikipedia'],
    );
    assert.deepEqual(
      list.items.map((d) => (d.spec as { trafficPolicy: { tls: { mode: string } } }).trafficPolicy.tls.mode),
      ['DISABLE', 'DISABLE'],
    );
    const se = JSON.parse((await k(['get', 'se', '-A', '-o', 'json'])).stdout) as KubeList;
    assert.deepEqual(se.items, []);
    // Discovery was cached in the cluster's own cache dir (KUBECACHEDIR), not under HOME.
    assert.ok((await readdir(seed.cluster.cacheDir)).includes('discovery'));
    assert.deepEqual(await readdir(seed.cluster.homeDir), []);
  });

  test('namespace labels, jsonpath and server-side tables', async () => {
    const label = await k(['get', 'ns', 'ambient-ns', '-o', 'jsonpath={.metadata.labels.istio\\.io/dataplane-mode}']);
    assert.equal(label.stdout, 'ambient');
    const injection = await k(['get', 'ns', '-l', 'istio-injection=enabled', '-o', 'name']);
    assert.equal(injection.stdout, 'namespace/default\n');
    const ip = await k(['get', 'service', 'my-wikipedia', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(ip.stdout, WIKIPEDIA_CLUSTER_IP);
    const table = await k(['get', 'svc']);
    assert.match(table.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    assert.match(table.stdout, /\nmy-httpbin\s+ExternalName\s+<none>\s+httpbin\.org\s+80\/TCP\s+3d\n/);
    const ep = await k(['get', 'endpoints', 'my-wikipedia', '-o', 'jsonpath={.subsets[0].addresses[*].ip}']);
    assert.equal(ep.stdout, '91.198.174.192 198.35.26.96');
    assert.match(ep.stderr, /Warning: v1 Endpoints is deprecated in v1\.33\+/);
  });

  test('objects can be added and removed between probes', async () => {
    seed.cluster.upsert({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'httpbin-ext', namespace: 'default' },
      spec: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] },
    });
    try {
      const r = await k(['get', 'serviceentries', '-A', '-o', 'jsonpath={.items[*].metadata.name}']);
      assert.equal(r.stdout, 'httpbin-ext');
    } finally {
      assert.equal(seed.cluster.remove('ServiceEntry', 'httpbin-ext', 'default'), true);
    }
    assert.equal((await k(['get', 'serviceentries', 'httpbin-ext'])).code, 1);
  });

  test('KUBECONFIG=first:second (cluster+user, then context) works', async () => {
    const split = await seed.cluster.writeSplitKubeconfig(dir, { fileName: 'one', secondFileName: 'two', context: 'split', namespace: 'without-istio' });
    assert.equal(split.kubeconfig, `${split.first}:${split.second}`);
    const firstText = await readFile(split.first, 'utf8');
    assert.ok(!firstText.includes('current-context') && firstText.includes('certificate-authority-data'));
    const r = await k(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'], { kubeconfig: split.kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${PLAIN_POD.name} ${NO_CURL_POD.name}`);
    const ctx = await run(kubectl, ['config', 'current-context'], { env: kubectlEnv(seed.cluster, [split.first, split.second]) });
    assert.equal(ctx.stdout, 'split\n');
  });
});

describe('exec: fake pods run the real curl on loopback', () => {
  test('from the pod without sidecar: httpbin sees Host my-httpbin.default.svc.cluster.local, no Envoy headers', async () => {
    const r = await execCurl(PLAIN_POD, ['-sS', 'my-httpbin.default.svc.cluster.local/headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const body = JSON.parse(r.stdout) as { headers: Record<string, string> };
    assert.equal(body.headers.Host, 'my-httpbin.default.svc.cluster.local');
    assert.equal(body.headers['User-Agent'], 'curl/7.88.1');
    assert.equal(body.headers.Accept, '*/*');
    assert.ok(!Object.keys(body.headers).some((h) => h.startsWith('X-Envoy')), r.stdout);
  });

  test('from the sidecar pod: the echo shows X-Envoy-Peer-Metadata-Id and server: envoy', async () => {
    const r = await execCurl(SIDECAR_POD, ['-sS', '-i', 'my-httpbin.default.svc.cluster.local/headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(r.stdout, /\r\nserver: envoy\r\n/);
    assert.match(r.stdout, /\r\nx-envoy-upstream-service-time: \d+\r\n/);
    assert.match(r.stdout, /"Host": "my-httpbin\.default\.svc\.cluster\.local"/);
    assert.match(r.stdout, /"X-Envoy-Peer-Metadata-Id": "sidecar~10\.244\.0\.12~curl-7d9c6b8f5-abcde\.default~default\.svc\.cluster\.local"/);
    assert.match(r.stdout, /"X-Envoy-Attempt-Count": "1"/);
    assert.match(r.stdout, /"X-B3-Traceid": "[0-9a-f]{32}"/);
  });

  test('short names resolve through the pod namespace search list only', async () => {
    const inDefault = await execCurl(SIDECAR_POD, ['-sS', 'http://my-httpbin/headers']);
    assert.equal(inDefault.code, 0, inDefault.stderr);
    const elsewhere = await execCurl(PLAIN_POD, ['-sS', 'http://my-httpbin/headers']);
    assert.equal(elsewhere.code, 6);
    assert.equal(elsewhere.stderr, 'curl: (6) Could not resolve host: my-httpbin\ncommand terminated with exit code 6\n');
    const qualified = await execCurl(PLAIN_POD, ['-sS', 'http://my-httpbin.default/headers']);
    assert.equal(qualified.code, 0, qualified.stderr);
  });

  test('setSidecarFailure: the sidecar answers 503 like Envoy failing TLS origination', async () => {
    seed.cluster.setSidecarFailure(true);
    try {
      const r = await execCurl(SIDECAR_POD, ['-sS', '-i', 'http://my-httpbin.default.svc.cluster.local/headers']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      assert.match(r.stdout, /\r\nserver: envoy\r\n/);
      assert.ok(r.stdout.endsWith(ENVOY_TLS_FAILURE_BODY));
      const plain = await execCurl(PLAIN_POD, ['-sS', '-o', '/dev/null', '-w', '%{http_code}', 'http://my-httpbin.default.svc.cluster.local/headers']);
      assert.equal(plain.stdout, '200');
    } finally {
      seed.cluster.setSidecarFailure(false);
    }
  });

  test("the seed's TLS probe via --resolve en.wikipedia.org:443:<clusterIP> reaches the fake Wikipedia", async () => {
    const ip = (await k(['get', 'service', 'my-wikipedia', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    const r = await execCurl(SIDECAR_POD, ['-sS', '--resolve', `en.wikipedia.org:443:${ip}`, 'https://en.wikipedia.org/wiki/Main_Page']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(WIKIPEDIA_TITLE));
    const v = await execCurl(PLAIN_POD, ['-sS', '-v', '--resolve', `en.wikipedia.org:443:${ip}`, 'https://en.wikipedia.org/wiki/Main_Page']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, new RegExp(`\\* Connected to en\\.wikipedia\\.org \\(127\\.0\\.0\\.77\\) port ${seed.servers.wikipedia.port} `));
    assert.match(v.stderr, /> Host: en\.wikipedia\.org\r?\n/);
    assert.match(v.stderr, /subjectAltName: host "en\.wikipedia\.org" matched/);
    assert.equal(seed.servers.wikipedia.requests.at(-1)?.headers.host, 'en.wikipedia.org');
  });

  test('an untrusted certificate fails verification (exit 60)', async () => {
    const key = `${WIKIPEDIA_CLUSTER_IP}:443`;
    seed.cluster.setRoute('sidecar', key, seed.servers.untrustedWikipedia.target);
    try {
      const r = await execCurl(SIDECAR_POD, ['-sS', '--resolve', `en.wikipedia.org:443:${WIKIPEDIA_CLUSTER_IP}`, 'https://en.wikipedia.org/wiki/Main_Page']);
      assert.equal(r.code, 60);
      assert.match(r.stderr, /^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\n/);
      assert.ok(r.stderr.endsWith('command terminated with exit code 60\n'));
    } finally {
      seed.cluster.setRoute('sidecar', key, seed.servers.wikipedia.target);
    }
  });

  test('connection refused: kubectl prints "command terminated with exit code 7" and exits 7', async () => {
    const r = await execCurl(SIDECAR_POD, ['-sS', `http://${REFUSED_HOST}/`]);
    assert.equal(r.code, 7);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(`^curl: \\(7\\) Failed to connect to ${REFUSED_HOST.replace(/\./g, '\\.')} port \\d+ after \\d+ ms: Couldn't connect to server\\ncommand terminated with exit code 7\\n$`),
    );
  });

  test('a server that never answers: curl --max-time 1 exits 28', async () => {
    const r = await execCurl(PLAIN_POD, ['-sS', '--max-time', '1', `http://${HANGING_HOST}/`]);
    assert.equal(r.code, 28);
    assert.match(r.stderr, /^curl: \(28\) Operation timed out after 10\d\d milliseconds with 0 bytes received\ncommand terminated with exit code 28\n$/);
  });

  test('an unmapped host fails like DNS (exit 6) without any socket', async () => {
    const r = await execCurl(SIDECAR_POD, ['-sS', 'http://unmapped.example/']);
    assert.equal(r.code, 6);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'curl: (6) Could not resolve host: unmapped.example\ncommand terminated with exit code 6\n');
    const rec = seed.cluster.execLog.at(-1)!;
    // denied: the real curl ran with every socket(2) failing; emulated: curl did not run at all.
    assert.equal(rec.mode, seed.cluster.unresolvableMode === 'deny-sockets' ? 'denied' : 'emulated');
  });

  test('syscall trace: mapped, redirected and unmapped requests never leave 127.0.0.0/8', async (t) => {
    if (seed.cluster.unresolvableMode !== 'deny-sockets') return t.skip('strace cannot trace here');
    seed.cluster.setSyscallTracing(true);
    try {
      const mapped = await execCurl(SIDECAR_POD, ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-L', 'http://httpbin.org/redirect-to?url=http://elsewhere.example/']);
      assert.equal(mapped.code, 7, mapped.stderr);
      const ip = await execCurl(PLAIN_POD, ['-sS', 'http://10.1.2.3/']);
      assert.equal(ip.code, 7, ip.stderr);
      const ok = await execCurl(PLAIN_POD, ['-sS', '--resolve', `en.wikipedia.org:443:${WIKIPEDIA_CLUSTER_IP}`, 'https://en.wikipedia.org/wiki/Main_Page']);
      assert.equal(ok.code, 0, ok.stderr);
      const denied = await execCurl(PLAIN_POD, ['-sS', 'http://unmapped.example/']);
      assert.equal(denied.code, 6);
      const [r1, r2, r3, r4] = seed.cluster.execLog.slice(-4);
      for (const rec of [r1, r2, r3]) {
        const dests = tracedDestinations(await readFile(rec.syscallTrace!, 'utf8'));
        assert.ok(dests.length > 0);
        for (const d of dests) assert.match(d, /^127\.\d+\.\d+\.\d+:\d+$/, `${rec.command.join(' ')} reached ${d}`);
      }
      const trace = await readFile(r4.syscallTrace!, 'utf8');
      assert.deepEqual(tracedDestinations(trace), []);
      const sockets = trace.split('\n').filter((l) => /\bsocket\(/.test(l));
      assert.ok(sockets.length > 0 && sockets.every((l) => /= -1 EACCES \(Permission denied\) \(INJECTED\)/.test(l)), trace);
    } finally {
      seed.cluster.setSyscallTracing(false);
    }
  });

  test('emulated resolve failures print exactly what the real curl prints', async (t) => {
    if (seed.cluster.unresolvableMode !== 'deny-sockets') return t.skip('strace cannot deny sockets here');
    const cases: string[][] = [['-sS'], ['-s'], [], ['-v'], ['-sS', '-v'], ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{exitcode} %{errormsg}\\n']];
    for (const flags of cases) {
      const args = [...flags, 'http://nowhere.example/x'];
      const real = await execCurl(SIDECAR_POD, args);
      seed.cluster.setUnresolvableMode('emulate');
      try {
        const fake = await execCurl(SIDECAR_POD, args);
        assert.equal(seed.cluster.execLog.at(-1)?.mode, 'emulated');
        assert.deepEqual({ code: fake.code, stdout: fake.stdout, stderr: fake.stderr }, { code: real.code, stdout: real.stdout, stderr: real.stderr }, flags.join(' '));
      } finally {
        seed.cluster.setUnresolvableMode('deny-sockets');
      }
    }
  });

  test('exec into a container without curl, or another command, exits 126', async () => {
    const r = await k(['exec', NO_CURL_POD.name, '-n', NO_CURL_POD.namespace, '-c', 'httpbin', '--', 'curl', '-sS', 'http://httpbin.org/']);
    assert.equal(r.code, 126);
    assert.equal(
      r.stderr,
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown\r\ncommand terminated with exit code 126\n',
    );
    const sh = await k(['exec', SIDECAR_POD.name, '-c', 'curl', '--', 'sh', '-c', 'echo hi']);
    assert.equal(sh.code, 126);
    assert.match(sh.stderr, /exec: "sh": executable file not found in \$PATH/);
  });

  test('exec errors from the API server: unknown pod, unknown container', async () => {
    const pod = await k(['exec', 'nope', '--', 'curl', 'x']);
    assert.equal(pod.code, 1);
    assert.equal(pod.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    const container = await k(['exec', SIDECAR_POD.name, '-c', 'nope', '--', 'curl', 'x']);
    assert.equal(container.code, 1);
    assert.match(container.stderr, /container nope is not valid for pod curl-7d9c6b8f5-abcde/);
  });

  test('options that could leave loopback are refused (exit 2)', async () => {
    const r = await execCurl(SIDECAR_POD, ['-sS', '-x', 'http://proxy.example:3128', 'http://httpbin.org/']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--proxy is not supported by the test harness/);
  });

  test('exec -i streams stdin to curl', async () => {
    const r = await k(
      ['exec', '-i', PLAIN_POD.name, '-n', PLAIN_POD.namespace, '-c', 'curl', '--', 'curl', '-sS', '--data-binary', '@-', '-H', 'Content-Type: application/json', 'http://httpbin.org/post'],
      { input: '{"probe":true}' },
    );
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { data: string; json: unknown };
    assert.equal(body.data, '{"probe":true}');
    assert.deepEqual(body.json, { probe: true });
    assert.equal(seed.cluster.execLog.at(-1)?.stdin, true);
  });

  test('the fake cluster records the exec argv', async () => {
    seed.cluster.clearExecLog();
    await execCurl(PLAIN_POD, ['-sS', '-o', '/dev/null', 'http://httpbin.org/get']);
    assert.equal(seed.cluster.execLog.length, 1);
    const rec = seed.cluster.execLog[0];
    assert.deepEqual(
      { namespace: rec.namespace, pod: rec.pod, container: rec.container, command: rec.command, stdin: rec.stdin, tty: rec.tty, exitCode: rec.exitCode, mode: rec.mode },
      {
        namespace: 'without-istio',
        pod: PLAIN_POD.name,
        container: 'curl',
        command: ['curl', '-sS', '-o', '/dev/null', 'http://httpbin.org/get'],
        stdin: false,
        tty: false,
        exitCode: 0,
        mode: 'curl',
      },
    );
    assert.deepEqual(rec.curlArgs?.slice(-4), ['-sS', '-o', '/dev/null', 'http://httpbin.org/get']);
  });

  test('killing kubectl mid-exec kills curl in the fake pod', async () => {
    const child = spawn(kubectl, ['exec', PLAIN_POD.name, '-n', PLAIN_POD.namespace, '-c', 'curl', '--', 'curl', '-sS', '--max-time', '20', `http://${HANGING_HOST}/`], {
      env: kubectlEnv(seed.cluster, kubeconfig),
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 5000;
    while (seed.cluster.activeProcesses() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(seed.cluster.activeProcesses(), 1);
    child.kill('SIGKILL');
    await exited;
    const gone = Date.now() + 5000;
    while (seed.cluster.activeProcesses() > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    assert.equal(seed.cluster.activeProcesses(), 0);
  });
});
