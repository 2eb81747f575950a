import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globalFlags, liveStateCommands, readCommands } from '../../server/src/probe/kubectlCommands';
import { planProbe, type PlanInput } from '../../server/src/probe/plan';
import type { PlanError, ProbePlan } from '../../server/src/probe/planTypes';
import { probeSettings } from '../../server/src/shared/probeSettings';
import { CLUSTER_IP, destinationRule, externalNameService, list, namespace, pod, selectorlessService } from './fixtures/kube';

const SIDECAR_POD = 'curl-5b549b49b8-7xk2p';
const PLAIN_POD = 'curl-6d8f9c7b5-q2w9z';

function input(service: unknown, extra: Partial<PlanInput> = {}, target: Partial<PlanInput['target']> = {}): PlanInput {
  return {
    target: { namespace: 'default', name: (service as { metadata: { name: string } }).metadata.name, ...target },
    live: { service, destinationRules: list([]), serviceEntries: list([]) },
    namespaces: [namespace('default', { 'istio-injection': 'enabled' }), namespace('without-istio')],
    podQueries: [
      { namespace: 'default', selector: 'app=curl', json: list([pod({ name: SIDECAR_POD, namespace: 'default', sidecar: 'container' })]) },
      { namespace: 'without-istio', selector: 'app=curl', json: list([pod({ name: PLAIN_POD, namespace: 'without-istio' })]) },
    ],
    settings: probeSettings(),
    ...extra,
  };
}

function plan(i: PlanInput): ProbePlan {
  const p = planProbe(i);
  assert.equal(p.kind, 'plan', JSON.stringify(p));
  return p;
}

function planError(i: PlanInput): PlanError {
  const p = planProbe(i);
  assert.equal(p.kind, 'plan-error');
  return p;
}

describe('planProbe: the seed scenarios, argv exact', () => {
  it('ExternalName my-httpbin, port 80 http: curl -D - on the Service name, from both pods, direct path first', () => {
    const p = plan(input(externalNameService()));
    assert.deepEqual(
      p.steps.map((s) => [s.id, s.argv]),
      [
        [
          'no-sidecar:80',
          ['exec', PLAIN_POD, '-n', 'without-istio', '-c', 'curl', '--', 'curl', '-sS', '-D', '-', '--max-time', '10', 'http://my-httpbin.default.svc.cluster.local/headers'],
        ],
        ['sidecar:80', ['exec', SIDECAR_POD, '-n', 'default', '-c', 'curl', '--', 'curl', '-sS', '-D', '-', '--max-time', '10', 'http://my-httpbin.default.svc.cluster.local/headers']],
      ],
    );
    assert.equal(p.steps[0]?.parser, 'http-dump');
    assert.match(p.steps[1]?.proves ?? '', /reaches httpbin\.org .*through its istio-proxy sidecar/);
    assert.equal(p.target.meshHost, 'httpbin.org');
    assert.equal(p.target.external, true);
  });

  it('selector-less my-wikipedia, port 443 tls: --resolve en.wikipedia.org:443:<clusterIP>, host from the DestinationRule sni', () => {
    const rules = list([destinationRule('my-wikipedia', 'default', 'my-wikipedia.default.svc.cluster.local', { mode: 'SIMPLE', sni: 'en.wikipedia.org' })]);
    const p = plan({ ...input(selectorlessService()), live: { service: selectorlessService(), destinationRules: rules } });
    assert.deepEqual(p.steps[1]?.argv, [
      'exec',
      SIDECAR_POD,
      '-n',
      'default',
      '-c',
      'curl',
      '--',
      'curl',
      '-sS',
      '-v',
      '--max-time',
      '10',
      '--resolve',
      `en.wikipedia.org:443:${CLUSTER_IP}`,
      'https://en.wikipedia.org/',
    ]);
    assert.equal(p.steps[1]?.tlsHostFrom, 'sni');
    assert.equal(p.steps[1]?.clusterIP, CLUSTER_IP);
    assert.equal(p.steps[1]?.parser, 'tls-trace');
    assert.deepEqual(p.steps[1]?.destinationRule, {
      name: 'my-wikipedia',
      namespace: 'default',
      host: 'my-wikipedia.default.svc.cluster.local',
      portLevel: false,
      mode: 'SIMPLE',
      sni: 'en.wikipedia.org',
    });
  });

  it('my-wikipedia with the host given (the seed DR has no sni)', () => {
    const p = plan(input(selectorlessService(), {}, { tlsHost: 'en.wikipedia.org' }));
    assert.deepEqual(p.steps[0]?.argv.slice(7), ['curl', '-sS', '-v', '--max-time', '10', '--resolve', `en.wikipedia.org:443:${CLUSTER_IP}`, 'https://en.wikipedia.org/']);
    assert.equal(p.steps[0]?.tlsHostFrom, 'given');
  });

  it('my-wikipedia without a host: the plan marks the TLS host as needed and plans no step for it', () => {
    const p = plan(input(selectorlessService()));
    assert.equal(p.steps.length, 0);
    assert.equal(p.needsTlsHost.length, 1);
    assert.equal(p.needsTlsHost[0]?.port.port, 443);
    assert.match(p.needsTlsHost[0]?.reason ?? '', /give the TLS host name/);
  });
});

describe('planProbe: other ports and shapes', () => {
  it('an ExternalName TLS port probes the target itself, honestly labelled', () => {
    const service = externalNameService('payments', 'shop', 'api.payments.example.com');
    (service.spec as { ports: unknown[] }).ports = [
      { name: 'https', port: 443, protocol: 'TCP' },
      { name: 'https-alt', port: 8443, protocol: 'TCP' },
    ];
    const p = plan(input(service, {}, { namespace: 'shop' }));
    assert.deepEqual(
      p.steps.filter((s) => s.source.mode === 'sidecar').map((s) => s.argv.slice(7)),
      [
        ['curl', '-sS', '-v', '--max-time', '10', 'https://api.payments.example.com/'],
        ['curl', '-sS', '-v', '--max-time', '10', 'https://api.payments.example.com:8443/'],
      ],
    );
    assert.equal(p.steps[0]?.kind, 'tls-external');
    assert.match(p.steps[0]?.proves ?? '', /not the alias payments\.shop\.svc\.cluster\.local/);
  });

  it('keeps non-default ports in URLs and --resolve, brackets IPv6, skips non-HTTP ports', () => {
    const service = selectorlessService('legacy', 'default', 'fd00:10:96::1a2b');
    (service.spec as { ports: unknown[] }).ports = [
      { name: 'http-api', port: 8080, protocol: 'TCP' },
      { name: 'tls-admin', port: 8443, protocol: 'TCP' },
      { name: 'tcp-db', port: 5432, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ];
    const p = plan(input(service, { settings: probeSettings({ httpPath: '/status/200', curlMaxTimeSeconds: 5 }) }, { tlsHost: 'admin.example.com' }));
    const sidecar = p.steps.filter((s) => s.source.mode === 'sidecar').map((s) => s.argv.slice(7));
    assert.deepEqual(sidecar, [
      ['curl', '-sS', '-D', '-', '--max-time', '5', 'http://legacy.default.svc.cluster.local:8080/status/200'],
      ['curl', '-sS', '-v', '--max-time', '5', '--resolve', 'admin.example.com:8443:[fd00:10:96::1a2b]', 'https://admin.example.com:8443/'],
    ]);
    assert.deepEqual(
      p.skippedPorts.map((s) => s.port.port),
      [5432, 53],
    );
  });

  it('a given port restricts the plan; an unknown port is refused', () => {
    const service = selectorlessService();
    assert.equal(plan(input(service, {}, { port: 443, tlsHost: 'en.wikipedia.org' })).steps.length, 2);
    const error = planError(input(service, {}, { port: 80 }));
    assert.equal(error.code, 'invalid-input');
    assert.equal(error.field, 'port');
    assert.match(error.message, /has no port 80 \(it has 443\/tls\)/);
  });

  it('uses the DestinationRule on the ExternalName target from Istio 1.21 and notes the dead one on the alias', () => {
    const rules = list([
      destinationRule('my-httpbin', 'default', 'my-httpbin.default.svc.cluster.local', { mode: 'DISABLE' }),
      destinationRule('httpbin-org', 'default', 'httpbin.org', { mode: 'ISTIO_MUTUAL' }),
    ]);
    const p = plan({ ...input(externalNameService()), live: { service: externalNameService(), destinationRules: rules } });
    assert.equal(p.steps[1]?.destinationRule?.name, 'httpbin-org');
    assert.match(p.notes.join('\n'), /DestinationRule default\/my-httpbin .*ignores it \(EGR401\)/);
    const old = plan({ ...input(externalNameService()), live: { service: externalNameService(), destinationRules: rules }, settings: probeSettings({ istioVersion: '1.20' }) });
    assert.equal(old.steps[1]?.destinationRule?.name, 'my-httpbin');
  });

  it('port-level TLS settings override the top level', () => {
    const rules = list([destinationRule('w', 'default', 'my-wikipedia', { mode: 'ISTIO_MUTUAL' }, { port: 443, tls: { mode: 'DISABLE' } })]);
    const p = plan({ ...input(selectorlessService(), {}, { tlsHost: 'en.wikipedia.org' }), live: { service: selectorlessService(), destinationRules: rules } });
    assert.deepEqual(p.steps[0]?.destinationRule, { name: 'w', namespace: 'default', host: 'my-wikipedia', portLevel: true, mode: 'DISABLE' });
  });
});

describe('planProbe: refusals', () => {
  it('refuses hostile input with the field named', () => {
    for (const [target, field] of [
      [{ namespace: '--kubeconfig=/etc/x' }, 'namespace'],
      [{ name: 'x; rm -rf /' }, 'service'],
      [{ tlsHost: '$(id)' }, 'tlsHost'],
      [{ port: 70000 }, 'port'],
    ] as const) {
      const error = planError(input(externalNameService(), {}, target));
      assert.equal(error.code, 'invalid-input');
      assert.equal(error.field, field);
    }
    const settingsError = planError(input(externalNameService(), { settings: probeSettings({ sourceSelectors: ['app=curl', 'app in (a,b)'] }) }));
    assert.equal(settingsError.field, 'sourceSelector');
  });

  it('refuses hostile values coming back from the cluster too', () => {
    const service = externalNameService('my-httpbin', 'default', '-oProxyCommand=id');
    assert.equal(planError(input(service)).field, 'externalName (from the cluster)');
  });

  it('says the Service is missing, and how to create a source pod when none runs', () => {
    assert.equal(planError(input(externalNameService(), { live: { service: undefined } })).code, 'service-not-found');
    const none = planError(input(externalNameService(), { podQueries: [{ namespace: 'default', selector: 'app=curl', json: list([]) }] }));
    assert.equal(none.code, 'no-source-pod');
    assert.match(none.message, /samples\/curl\/curl\.yaml/);
    assert.match(none.message, /kubectl create namespace without-istio/);
  });
});

describe('read-only commands and global flags', () => {
  it('assembles global flags in --flag=value form', () => {
    assert.deepEqual(globalFlags({ kubeconfig: '/home/me/.kube/dev config', context: 'arn:aws:eks:us-east-1:123456789012:cluster/prod' }, 10), [
      '--kubeconfig=/home/me/.kube/dev config',
      '--context=arn:aws:eks:us-east-1:123456789012:cluster/prod',
      '--request-timeout=10s',
    ]);
    assert.deepEqual(globalFlags({}), []);
  });

  it('lists the read-only commands exactly', () => {
    assert.deepEqual(readCommands.currentContext().args, ['config', 'view', '--minify', '-o', 'json']);
    assert.deepEqual(readCommands.service('my-httpbin', 'default').args, ['get', 'service', 'my-httpbin', '-n', 'default', '-o', 'json']);
    assert.deepEqual(readCommands.endpoints('my-wikipedia', 'default').args, ['get', 'endpoints', 'my-wikipedia', '-n', 'default', '-o', 'json']);
    assert.deepEqual(readCommands.destinationRules().args, ['get', 'destinationrules.networking.istio.io', '-A', '-o', 'json']);
    assert.deepEqual(readCommands.namespace('without-istio').args, ['get', 'namespace', 'without-istio', '-o', 'json']);
    assert.deepEqual(readCommands.pods('without-istio', 'app=sleep').args, ['get', 'pods', '-n', 'without-istio', '-l', 'app=sleep', '-o', 'json']);
  });

  it('lists everything a probe may read, in order', () => {
    assert.deepEqual(
      liveStateCommands('my-httpbin', 'default', ['app=curl', 'app=sleep'], 'without-istio').map((c) => c.args.join(' ')),
      [
        'config view --minify -o json',
        'get service my-httpbin -n default -o json',
        'get endpoints my-httpbin -n default -o json',
        'get destinationrules.networking.istio.io -A -o json',
        'get serviceentries.networking.istio.io -A -o json',
        'get namespace default -o json',
        'get pods -n default -l app=curl -o json',
        'get pods -n default -l app=sleep -o json',
        'get namespace without-istio -o json',
        'get pods -n without-istio -l app=curl -o json',
        'get pods -n without-istio -l app=sleep -o json',
      ],
    );
  });
});
