import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyExec } from '../../server/src/probe/evidence/execOutcome';
import { envoyLocalReply, parseHttpDump, sidecarSigns } from '../../server/src/probe/evidence/httpResponse';
import { parseTlsTrace } from '../../server/src/probe/evidence/tlsTrace';
import { judgeStep } from '../../server/src/probe/judgeStep';
import { CLUSTER_IP } from './fixtures/kube';
import * as out from './fixtures/outputs';
import { httpbinPlan, stepOf, wikipediaPlan } from './fixtures/steps';

const httpbin = httpbinPlan();
const wikipedia = wikipediaPlan();

describe('evidence parsers', () => {
  it('reads the last response of a -D - dump, headers lower-cased', () => {
    const r = parseHttpDump(out.HTTP_100_THEN_200);
    assert.equal(r?.status, 200);
    assert.equal(r?.headers.server, 'gunicorn/19.9.0');
    assert.match(r?.body ?? '', /^\{"headers"/);
    assert.equal(parseHttpDump(''), undefined);
    assert.equal(parseHttpDump('<html>not a dump</html>'), undefined);
  });

  it('finds sidecar signs without requiring X-Envoy-Decorator-Operation', () => {
    const signs = sidecarSigns(parseHttpDump(out.HTTP_200_THROUGH_SIDECAR)!);
    assert.deepEqual(signs, { echoed: ['X-Envoy-Attempt-Count', 'X-Envoy-Peer-Metadata', 'X-Envoy-Peer-Metadata-Id'], serverEnvoy: true, upstreamServiceTime: true });
    assert.deepEqual(sidecarSigns(parseHttpDump(out.HTTP_200_THROUGH_SIDECAR_GO_HTTPBIN)!).echoed, ['X-Envoy-Decorator-Operation']);
    assert.deepEqual(sidecarSigns(parseHttpDump(out.HTTP_200_WITHOUT_SIDECAR)!), { echoed: [], serverEnvoy: false, upstreamServiceTime: false });
  });

  it("reads Envoy's local replies and their reset reasons", () => {
    assert.deepEqual(envoyLocalReply(parseHttpDump(out.ENVOY_503_TLS_ERROR)!), {
      text: 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
      resetReason: 'remote connection failure',
      transportFailure: 'TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
    });
    assert.equal(envoyLocalReply(parseHttpDump(out.ENVOY_503_CONNECTION_TERMINATION)!)?.resetReason, 'connection termination');
    assert.ok(envoyLocalReply(parseHttpDump(out.ENVOY_502_BLACKHOLE)!));
    assert.equal(envoyLocalReply(parseHttpDump(out.HTTP_404_FROM_SERVER)!), undefined);
  });

  it("reads where curl connected and the TLS handshake (curl 8 and the seed page's curl 7)", () => {
    assert.deepEqual(parseTlsTrace(out.tlsVerboseOk(CLUSTER_IP)), {
      connected: { host: 'en.wikipedia.org', ip: CLUSTER_IP, port: 443 },
      handshake: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
      subject: 'CN=*.wikipedia.org',
      certificateVerified: true,
      httpStatus: 301,
    });
    const seed = parseTlsTrace(out.tlsVerboseSeedStyle('172.21.156.230'));
    assert.deepEqual(seed.connected, { host: 'en.wikipedia.org', ip: '172.21.156.230', port: 443 });
    assert.deepEqual(seed.handshake, { version: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384' });
  });

  it('maps kubectl exec outcomes: curl exit codes, missing curl, cluster errors, runner stops', () => {
    assert.deepEqual(classifyExec(out.DNS_FAILURE), { kind: 'curl-error', curlExit: 6, message: 'Could not resolve host: my-httpbin.default.svc.cluster.local' });
    assert.deepEqual(classifyExec(out.result({ exitCode: 7, stderr: 'command terminated with exit code 7\n' })), {
      kind: 'curl-error',
      curlExit: 7,
      message: 'command terminated with exit code 7',
    });
    assert.equal(classifyExec(out.NO_CURL_CONTAINERD).kind, 'no-curl');
    assert.equal(classifyExec(out.NO_CURL_DOCKER).kind, 'no-curl');
    for (const [captured, reason] of [
      [out.POD_NOT_FOUND, 'not-found'],
      [out.UNAUTHORIZED, 'unauthorized'],
      [out.UNREACHABLE, 'unreachable'],
      [out.UPGRADE_FAILED, 'exec-failed'],
    ] as const) {
      assert.deepEqual(classifyExec(captured), { kind: 'cluster-error', reason, message: captured.stderr.trim() });
    }
    assert.equal(classifyExec(out.result({ exitCode: null, timedOut: true, durationMs: 30_000 })).kind, 'runner');
    assert.deepEqual(classifyExec(out.result({ exitCode: null, spawnError: 'kubectl not found at kubectl; set istioEgress.kubectlPath' })), {
      kind: 'runner',
      reason: 'spawn',
      message: 'kubectl not found at kubectl; set istioEgress.kubectlPath',
    });
  });
});

describe('verdicts for HTTP steps', () => {
  it('pass through the sidecar, with the sidecar evidence and the Host note', () => {
    const v = judgeStep(stepOf(httpbin, 'sidecar'), out.result({ stdout: out.HTTP_200_THROUGH_SIDECAR }));
    assert.equal(v.status, 'pass');
    assert.equal(v.summary, 'http://my-httpbin.default.svc.cluster.local/headers: HTTP 200 through the sidecar');
    assert.deepEqual(v.details, [
      'Sidecar evidence: X-Envoy-Attempt-Count, X-Envoy-Peer-Metadata, X-Envoy-Peer-Metadata-Id, server: envoy.',
      "The server saw Host: my-httpbin.default.svc.cluster.local, the Service's name; a virtual-hosted server may reject that name.",
    ]);
    assert.equal(v.timing.durationMs, 412);
  });

  it('pass without a sidecar, with no Envoy header', () => {
    const v = judgeStep(stepOf(httpbin, 'no-sidecar'), out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR }));
    assert.equal(v.status, 'pass');
    assert.equal(v.summary, 'http://my-httpbin.default.svc.cluster.local/headers: HTTP 200 without Istio');
    assert.equal(v.evidence?.http?.echoedHost, 'my-httpbin.default.svc.cluster.local');
  });

  it('a sidecar pod whose request shows no Envoy header still passes, with a warning', () => {
    const v = judgeStep(stepOf(httpbin, 'sidecar'), out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR }));
    assert.equal(v.status, 'pass');
    assert.match(v.details[0] ?? '', /may not have gone through the sidecar/);
  });

  it("a server's own 4xx passes (the path works) with the virtual-host note", () => {
    const v = judgeStep(stepOf(httpbin, 'sidecar'), out.result({ stdout: out.HTTP_404_FROM_SERVER }));
    assert.equal(v.status, 'pass');
    assert.match(v.details[0] ?? '', /server itself answered 404.*virtual-hosted/);
  });

  it("Envoy's 503 fails, with the reset reason", () => {
    const v = judgeStep(stepOf(httpbin, 'sidecar'), out.result({ stdout: out.ENVOY_503_TLS_ERROR }));
    assert.equal(v.status, 'fail');
    assert.match(v.summary, /HTTP 503 made by Envoy, not by the server \(reset reason: remote connection failure; transport failure: TLS_error/);
    assert.equal(v.evidence?.failure, 'envoy-upstream-error');
  });

  it("Envoy's 502 (BlackHoleCluster) fails", () => {
    const v = judgeStep(stepOf(httpbin, 'sidecar'), out.result({ stdout: out.ENVOY_502_BLACKHOLE }));
    assert.equal(v.status, 'fail');
    assert.equal(v.evidence?.failure, 'envoy-blackhole');
  });

  for (const [name, captured, failure, words] of [
    ['DNS failure', out.DNS_FAILURE, 'dns', /DNS: the host name could not be resolved \(curl exit 6\)/],
    ['connection refused', out.CONNECTION_REFUSED, 'refused', /connection was refused \(curl exit 7\)/],
    ['timeout', out.CURL_TIMEOUT, 'timeout', /timed out \(curl exit 28\)/],
    ['empty reply', out.EMPTY_REPLY, 'empty-reply', /without a reply \(curl exit 52\)/],
    ['connection reset', out.RECV_RESET, 'reset', /reset while receiving data \(curl exit 56\)/],
  ] as const) {
    it(`${name} fails`, () => {
      const v = judgeStep(stepOf(httpbin, 'no-sidecar'), captured);
      assert.equal(v.status, 'fail');
      assert.equal(v.evidence?.failure, failure);
      assert.match(v.summary, words);
    });
  }

  it('no curl in the container is an error, not a failure', () => {
    for (const captured of [out.NO_CURL_CONTAINERD, out.NO_CURL_DOCKER]) {
      const v = judgeStep(stepOf(httpbin, 'sidecar'), captured);
      assert.equal(v.status, 'error');
      assert.equal(v.summary, 'container curl of default/curl-5b549b49b8-7xk2p has no curl');
    }
  });

  it('kubectl cluster errors are errors', () => {
    for (const captured of [out.POD_NOT_FOUND, out.UNAUTHORIZED, out.UNREACHABLE, out.UPGRADE_FAILED]) {
      const v = judgeStep(stepOf(httpbin, 'sidecar'), captured);
      assert.equal(v.status, 'error');
      assert.match(v.summary, /^kubectl exec into default\/curl-5b549b49b8-7xk2p failed/);
    }
  });

  it('a cut output (the runner killed kubectl at the bound) is still read, and said to be cut', () => {
    const v = judgeStep(stepOf(httpbin, 'no-sidecar'), out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR.slice(0, 200), truncated: true, exitCode: null, signal: 'SIGKILL' }));
    assert.equal(v.status, 'pass');
    assert.match(v.details[v.details.length - 1] ?? '', /was cut/);
  });
});

describe('verdicts for TLS steps', () => {
  it('pass when curl connected to the cluster IP and the handshake completed', () => {
    const v = judgeStep(stepOf(wikipedia, 'sidecar'), out.result({ stderr: out.tlsVerboseOk(CLUSTER_IP) }));
    assert.equal(v.status, 'pass');
    assert.equal(v.summary, `https://en.wikipedia.org/: TLS with en.wikipedia.org via the cluster IP ${CLUSTER_IP} succeeded (TLSv1.3), HTTP 301`);
    assert.ok(v.details.includes(`The TCP path through the cluster IP ${CLUSTER_IP} works.`));
  });

  it('fail when curl connected somewhere else than the cluster IP', () => {
    const v = judgeStep(stepOf(wikipedia, 'sidecar'), out.result({ stderr: out.tlsVerboseOk('91.198.174.192') }));
    assert.equal(v.status, 'fail');
    assert.equal(v.evidence?.failure, 'wrong-ip');
    assert.match(v.summary, /connected to 91\.198\.174\.192, not the Service's cluster IP/);
  });

  it('fail on an untrusted certificate (60) and a failed handshake (35), keeping the TCP evidence', () => {
    const untrusted = judgeStep(stepOf(wikipedia, 'no-sidecar'), out.result({ exitCode: 60, stderr: out.tlsUntrusted(CLUSTER_IP) }));
    assert.equal(untrusted.status, 'fail');
    assert.equal(untrusted.evidence?.failure, 'untrusted');
    assert.match(untrusted.summary, /certificate is not trusted .*curl exit 60/);
    const handshake = judgeStep(stepOf(wikipedia, 'sidecar'), out.result({ exitCode: 35, stderr: out.tlsHandshakeReset(CLUSTER_IP) }));
    assert.equal(handshake.evidence?.failure, 'tls-handshake');
    assert.ok(handshake.details.includes(`The TCP path through the cluster IP ${CLUSTER_IP} works.`));
  });
});
