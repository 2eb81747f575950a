import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReportText, reportToJson, runProbe, type ProbeEvent, type ProbeOptions, type ProbeReport } from '../../server/src/probe/index';
import type { KubectlResult } from '../../server/src/shared/kubectlRunner';
import { fakeCluster, withoutGlobalFlags, type FakeCluster } from './fixtures/fakeCluster';
import { HTTPBIN_ISTIO_MUTUAL, modelFromYaml } from './fixtures/fileModels';
import { CLUSTER_IP, endpoints, externalNameService, pod, selectorlessService } from './fixtures/kube';
import * as out from './fixtures/outputs';
import { RULES } from './fixtures/steps';

const SIDECAR_POD = 'curl-5b549b49b8-7xk2p';
const PLAIN_POD = 'curl-6d8f9c7b5-q2w9z';
const URI = 'file:///work/egress.yaml';

function seedCluster(exec: (pod: string) => KubectlResult, extra: Partial<FakeCluster> = {}): FakeCluster {
  return {
    services: { 'default/my-httpbin': externalNameService(), 'default/my-wikipedia': selectorlessService() },
    namespaces: { default: { 'istio-injection': 'enabled' }, 'without-istio': {} },
    pods: {
      'default app=curl': [pod({ name: SIDECAR_POD, namespace: 'default', sidecar: 'container' })],
      'without-istio app=curl': [pod({ name: PLAIN_POD, namespace: 'without-istio' })],
    },
    exec: (argv) => exec(argv[1] ?? ''),
    ...extra,
  };
}

const healthy = (p: string): KubectlResult => out.result({ stdout: p === SIDECAR_POD ? out.HTTP_200_THROUGH_SIDECAR : out.HTTP_200_WITHOUT_SIDECAR });

async function probe(cluster: FakeCluster, options: Partial<ProbeOptions> = {}): Promise<{ report: ProbeReport; calls: ReturnType<typeof fakeCluster>['calls']; events: ProbeEvent[] }> {
  const fake = fakeCluster(cluster);
  const events: ProbeEvent[] = [];
  let clock = 1_700_000_000_000;
  const report = await runProbe({ target: { name: 'my-httpbin' }, ...options }, { run: fake.run, onEvent: (e) => events.push(e), now: () => (clock += 5) });
  return { report, calls: fake.calls, events };
}

describe('runProbe end to end over a canned kubectl', () => {
  it('probes my-httpbin from both pods: the commands, in order, and a pass', async () => {
    const { report, calls, events } = await probe(seedCluster(healthy));
    assert.deepEqual(
      calls.map((c) => withoutGlobalFlags(c.args).join(' ')),
      [
        'config view --minify -o json',
        'get service my-httpbin -n default -o json',
        'get destinationrules.networking.istio.io -A -o json',
        'get serviceentries.networking.istio.io -A -o json',
        'get namespace default -o json',
        'get pods -n default -l app=curl -o json',
        'get namespace without-istio -o json',
        'get pods -n without-istio -l app=curl -o json',
        `exec ${PLAIN_POD} -n without-istio -c curl -- curl -sS -D - --max-time 10 http://my-httpbin.default.svc.cluster.local/headers`,
        `exec ${SIDECAR_POD} -n default -c curl -- curl -sS -D - --max-time 10 http://my-httpbin.default.svc.cluster.local/headers`,
      ],
    );
    assert.deepEqual(calls.map((c) => [c.kubectlPath, c.timeoutMs, c.maxOutputBytes])[0], ['kubectl', 20_000, 1024 * 1024]);
    assert.equal(calls[9]?.timeoutMs, 30_000);
    assert.equal(report.exitCode, 0);
    assert.equal(report.outcome, 'pass');
    assert.equal(report.context, 'kind-dev');
    assert.equal(report.namespace, 'default');
    assert.deepEqual(report.target, {
      name: 'my-httpbin',
      namespace: 'default',
      fqdn: 'my-httpbin.default.svc.cluster.local',
      type: 'ExternalName',
      meshHost: 'httpbin.org',
      externalName: 'httpbin.org',
    });
    assert.deepEqual(
      report.sources.map((s) => [s.source.mode, s.results.map((r) => r.verdict.status)]),
      [
        ['no-sidecar', ['pass']],
        ['sidecar', ['pass']],
      ],
    );
    assert.equal(report.sources[1]?.results[0]?.verdict.timing.startedAt, 1_700_000_000_015);
    assert.equal(report.durationMs, 15);
    assert.deepEqual(
      events.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.phase),
      ['context', 'fetch', 'plan', 'probe', 'done'],
    );
    assert.deepEqual(
      events.filter((e) => e.type !== 'phase' && e.type !== 'command').map((e) => e.type),
      ['step', 'verdict', 'step', 'verdict'],
    );
    assert.equal(events.filter((e) => e.type === 'command').length, 10);
  });

  it('puts the global flags first, with the request timeout on reads only', async () => {
    const { calls } = await probe(seedCluster(healthy), { kubeconfig: '/home/me/.kube/dev config', context: 'gke_proj_europe-west1-b_prod', kubectlPath: '/opt/kubectl' });
    assert.deepEqual(calls[1]?.args.slice(0, 3), ['--kubeconfig=/home/me/.kube/dev config', '--context=gke_proj_europe-west1-b_prod', '--request-timeout=10s']);
    assert.deepEqual(calls[9]?.args.slice(0, 3), ['--kubeconfig=/home/me/.kube/dev config', '--context=gke_proj_europe-west1-b_prod', 'exec']);
    assert.equal(calls[0]?.kubectlPath, '/opt/kubectl');
  });

  it('takes the namespace from the kube context when none is given', async () => {
    const cluster = seedCluster(healthy, { contextNamespace: 'egress-demo', services: { 'egress-demo/my-httpbin': externalNameService('my-httpbin', 'egress-demo') } });
    const { report, calls } = await probe(cluster);
    assert.equal(report.namespace, 'egress-demo');
    assert.deepEqual(withoutGlobalFlags(calls[1]?.args ?? []), ['get', 'service', 'my-httpbin', '-n', 'egress-demo', '-o', 'json']);
  });

  it('a 503 through the sidecar with an ISTIO_MUTUAL rule: exit 1, blame at the file line', async () => {
    const cluster = seedCluster((p) => out.result({ stdout: p === SIDECAR_POD ? out.ENVOY_503_TLS_ERROR : out.HTTP_200_WITHOUT_SIDECAR }), {
      destinationRules: [RULES.httpbinMutual],
      serviceEntries: [RULES.httpbinEntry],
    });
    const file = modelFromYaml(URI, HTTPBIN_ISTIO_MUTUAL);
    const { report } = await probe(cluster, { target: { name: 'my-httpbin', namespace: 'default', file } });
    assert.equal(report.exitCode, 1);
    assert.equal(report.outcome, 'fail');
    const failed = report.sources[1]?.results[0]?.verdict;
    assert.equal(failed?.blame?.rule, 'EGR402');
    assert.deepEqual(failed?.blame?.location, { uri: URI, range: { start: { line: 20, character: 12 }, end: { line: 20, character: 24 } } });
    assert.equal(report.drift.compared, true);
    assert.deepEqual(report.drift.items, []);
    const text = formatReportText(report);
    assert.match(text, /\[FAIL\] http:\/\/my-httpbin\.default\.svc\.cluster\.local\/headers: HTTP 503 made by Envoy/);
    assert.match(text, /Fix: DestinationRule default\/httpbin-org spec\.trafficPolicy\.tls\.mode at file:\/\/\/work\/egress\.yaml:21:13 \(EGR402\)/);
    assert.match(text, /Result: FAIL \(exit 1\)/);
  });

  it('probes my-wikipedia over TLS with the host given: Endpoints read, --resolve to the live cluster IP', async () => {
    const { report, calls } = await probe(
      seedCluster(() => out.result({ stderr: out.tlsVerboseOk(CLUSTER_IP) }), {
        endpoints: { 'default/my-wikipedia': endpoints('my-wikipedia', 'default', ['91.198.174.192', '198.35.26.96']) },
      }),
      {
        target: { name: 'my-wikipedia', namespace: 'default', tlsHost: 'en.wikipedia.org' },
      },
    );
    const commands = calls.map((c) => withoutGlobalFlags(c.args).join(' '));
    assert.ok(commands.includes('get endpoints my-wikipedia -n default -o json'));
    assert.equal(commands[commands.length - 1], `exec ${SIDECAR_POD} -n default -c curl -- curl -sS -v --max-time 10 --resolve en.wikipedia.org:443:${CLUSTER_IP} https://en.wikipedia.org/`);
    assert.equal(report.exitCode, 0);
    assert.match(report.sources[1]?.results[0]?.verdict.summary ?? '', /TLS with en\.wikipedia\.org via the cluster IP 10\.96\.143\.27 succeeded/);
  });

  it('the TLS Service without a host: nothing probed, exit 2, the host asked for', async () => {
    const { report } = await probe(seedCluster(healthy), { target: { name: 'my-wikipedia', namespace: 'default' } });
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'nothing-probed');
    assert.equal(report.needsTlsHost[0]?.port.port, 443);
    assert.match(formatReportText(report), /\[SKIP\] 443\/tls: port 443 speaks TLS/);
  });

  it('no curl in the container: an error verdict, exit 2', async () => {
    const { report } = await probe(seedCluster(() => out.NO_CURL_CONTAINERD));
    assert.equal(report.exitCode, 2);
    assert.equal(report.outcome, 'error');
    assert.deepEqual(allStatuses(report), ['error', 'error']);
  });
});

function allStatuses(report: ProbeReport): string[] {
  return report.sources.flatMap((s) => s.results.map((r) => r.verdict.status));
}

describe('runProbe refuses hostile input before starting anything', () => {
  const hostile: [string, Partial<ProbeOptions>][] = [
    ['namespace', { target: { name: 'my-httpbin', namespace: 'x; rm -rf /' } }],
    ['service', { target: { name: '$(id)' } }],
    ['service', { target: { name: '-n' } }],
    ['namespace', { target: { name: 'my-httpbin', namespace: '--kubeconfig=/etc/x' } }],
    ['context', { context: '--kubeconfig=/etc/x' }],
    ['context', { context: 'prod cluster' }],
    ['kubeconfig', { kubeconfig: '--token=abc' }],
    ['kubectlPath', { kubectlPath: '-rf' }],
    ['tlsHost', { target: { name: 'my-httpbin', tlsHost: 'en.wikipedia.org; id' } }],
    ['port', { target: { name: 'my-httpbin', port: 0 } }],
    ['sourceSelector', { settings: { sourceSelectors: ['app=curl', 'app=$(id)'] } }],
    ['noSidecarNamespace', { settings: { noSidecarNamespace: 'a b' } }],
    ['httpPath', { settings: { httpPath: '/headers -o /etc/passwd' } }],
    ['clusterDomain', { settings: { clusterDomain: 'cluster.local --insecure' } }],
  ];
  for (const [field, options] of hostile) {
    it(`${field}: ${JSON.stringify(options)}`, async () => {
      const { report, calls } = await probe(seedCluster(healthy), options);
      assert.equal(calls.length, 0, 'run was called');
      assert.equal(report.exitCode, 2);
      assert.equal(report.error?.code, 'invalid-input');
      assert.equal(report.error?.field, field);
      assert.match(report.error?.message ?? '', new RegExp(`^invalid ${field} `));
    });
  }

  it('refuses a hostile namespace coming from the kubeconfig before using it', async () => {
    const { report, calls } = await probe(seedCluster(healthy, { contextNamespace: '-oyaml' }));
    assert.equal(calls.length, 1);
    assert.equal(report.error?.field, 'namespace (from the kube context)');
  });
});

describe('runProbe: cluster problems', () => {
  it('kubectl missing: one attempt, exit 2, the setting named', async () => {
    const calls: unknown[] = [];
    const report = await runProbe(
      { target: { name: 'my-httpbin' }, kubectlPath: '/nope/kubectl' },
      {
        run: async (r) => (
          calls.push(r),
          out.result({ exitCode: null, spawnError: `kubectl not found at ${r.kubectlPath}; set istioEgress.kubectlPath (or --kubectl) to the kubectl to use` })
        ),
      },
    );
    assert.equal(calls.length, 1);
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'kubectl-unavailable');
    assert.match(report.error?.message ?? '', /kubectl not found at \/nope\/kubectl; set istioEgress\.kubectlPath/);
  });

  it('Service not in the cluster: exit 2, and the drift says the file was not applied', async () => {
    const file = modelFromYaml(URI, HTTPBIN_ISTIO_MUTUAL);
    const { report } = await probe(seedCluster(healthy, { services: {} }), { target: { name: 'my-httpbin', namespace: 'default', file } });
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'service-not-found');
    assert.equal(report.error?.message, 'Service default/my-httpbin is not in the cluster: apply the file first.');
    assert.equal(report.drift.items[0]?.message, 'Service default/my-httpbin is in the file but not in the cluster');
    assert.match(report.driftHeadline ?? '', /has not got this file's version/);
  });

  it('no source pod: exit 2 with how to create one', async () => {
    const { report } = await probe(seedCluster(healthy, { pods: {} }));
    assert.equal(report.error?.code, 'no-source-pod');
    assert.match(report.error?.message ?? '', /release-1\.24\/samples\/curl\/curl\.yaml/);
  });

  it('tries app=sleep when app=curl finds nothing', async () => {
    const cluster = seedCluster(healthy, {
      pods: {
        'default app=sleep': [pod({ name: SIDECAR_POD, namespace: 'default', sidecar: 'container', app: 'sleep' })],
        'without-istio app=curl': [pod({ name: PLAIN_POD, namespace: 'without-istio' })],
      },
    });
    const { report, calls } = await probe(cluster);
    assert.ok(calls.some((c) => withoutGlobalFlags(c.args).join(' ') === 'get pods -n default -l app=sleep -o json'));
    assert.equal(report.sources.find((s) => s.source.mode === 'sidecar')?.source.container, 'sleep');
    assert.equal(report.exitCode, 0);
  });

  it('an unreachable API server stops the probe with a cluster error', async () => {
    const fake = fakeCluster(seedCluster(healthy));
    const report = await runProbe(
      { target: { name: 'my-httpbin', namespace: 'default' } },
      {
        run: async (r) => (withoutGlobalFlags(r.args)[0] === 'get' ? out.UNREACHABLE : fake.run(r)),
      },
    );
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'cluster-error');
    assert.match(report.error?.message ?? '', /^The cluster at https:\/\/127\.0\.0\.1:40123 \(context kind-dev\) cannot be reached: the connection timed out\. Likely causes: /);
  });

  it('DestinationRules that cannot be listed cost a note, not the probe', async () => {
    const fake = fakeCluster(seedCluster(healthy));
    const report = await runProbe(
      { target: { name: 'my-httpbin' } },
      {
        run: async (r) =>
          withoutGlobalFlags(r.args)[1] === 'destinationrules.networking.istio.io'
            ? out.result({
                exitCode: 1,
                stderr:
                  'Error from server (Forbidden): destinationrules.networking.istio.io is forbidden: User "dev" cannot list resource "destinationrules" in API group "networking.istio.io" at the cluster scope\n',
              })
            : fake.run(r),
      },
    );
    assert.equal(report.exitCode, 0);
    assert.match(report.notes.join('\n'), /forbidden.*DestinationRules are not taken into account/);
  });

  it('a namespace-scoped user: DestinationRules read from the namespace, Namespace objects unreadable', async () => {
    const fake = fakeCluster(seedCluster(healthy, { destinationRules: [RULES.httpbinMutual] }));
    const forbidden = out.result({ exitCode: 1, stderr: 'Error from server (Forbidden): namespaces "default" is forbidden: User "dev" cannot get resource "namespaces"\n' });
    const report = await runProbe(
      { target: { name: 'my-httpbin' } },
      {
        run: async (r) => {
          const args = withoutGlobalFlags(r.args);
          if (args.includes('-A') || args[1] === 'namespace') return forbidden;
          return fake.run(r);
        },
      },
    );
    assert.ok(report.commands.some((c) => c.display.endsWith('get destinationrules.networking.istio.io -n default -o json')));
    assert.equal(report.sources.find((s) => s.source.mode === 'sidecar')?.results[0]?.step.destinationRule?.name, 'httpbin-org');
    assert.match(report.notes.join('\n'), /ambient mode is not detected there/);
    assert.equal(report.exitCode, 0);
  });

  it('an abort during the first curl kills it through the runner and skips the rest', async () => {
    const controller = new AbortController();
    const fake = fakeCluster(seedCluster(healthy));
    const report = await runProbe(
      { target: { name: 'my-httpbin' }, signal: controller.signal },
      {
        run: async (r) => {
          if (withoutGlobalFlags(r.args)[0] !== 'exec') return fake.run(r);
          assert.equal(r.signal, controller.signal, 'the signal reaches the runner');
          controller.abort();
          return out.result({ exitCode: null, signal: 'SIGKILL', cancelled: true });
        },
      },
    );
    assert.equal(report.cancelled, true);
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'cancelled');
    assert.deepEqual(allStatuses(report), ['skipped', 'skipped']);
  });

  it('an already aborted probe starts nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const { report, calls } = await probe(seedCluster(healthy), { signal: controller.signal });
    assert.equal(calls.length, 0);
    assert.equal(report.error?.code, 'cancelled');
  });
});

describe('report output', () => {
  it('the transcript shows redacted commands, verdicts and the result; JSON round-trips', async () => {
    const cluster = seedCluster(healthy);
    const fake = fakeCluster(cluster);
    const report = await runProbe(
      { target: { name: 'my-httpbin' } },
      {
        run: async (r) =>
          withoutGlobalFlags(r.args)[1] === 'serviceentries.networking.istio.io'
            ? out.result({
                exitCode: 1,
                stderr: 'I0314 round_trippers.go:469] Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln\nerror: You must be logged in to the server (Unauthorized)\n',
              })
            : fake.run(r),
      },
    );
    const text = formatReportText(report);
    assert.match(text, /^Probe of Service default\/my-httpbin \(context kind-dev\)/);
    assert.match(text, /\$ kubectl --request-timeout=10s get service my-httpbin -n default -o json/);
    assert.match(text, /\$ kubectl exec curl-6d8f9c7b5-q2w9z -n without-istio -c curl -- curl -sS -D - --max-time 10 http:\/\/my-httpbin\.default\.svc\.cluster\.local\/headers/);
    assert.match(text, /From without-istio\/curl-6d8f9c7b5-q2w9z \(without sidecar, container curl\):\n {2}\[PASS\]/);
    assert.doesNotMatch(text, /eyJhbGciOiJSUzI1NiJ9/);
    const json = reportToJson(report);
    assert.doesNotMatch(json, /eyJhbGciOiJSUzI1NiJ9/);
    assert.equal((JSON.parse(json) as ProbeReport).exitCode, report.exitCode);
  });
});
