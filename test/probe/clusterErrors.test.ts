import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  connectionFailure,
  describeConnectionFailure,
  describeKubeconfigProblem,
  kubeconfigProblem,
  kubeconfigSource,
  kubectlStderrLines,
  serverFromStderr,
} from '../../server/src/probe/clusterErrors';
import { classifyKubectlError } from '../../server/src/probe/evidence/execOutcome';
import { formatReportText, runProbe } from '../../server/src/probe/index';
import { withoutGlobalFlags } from './fixtures/fakeCluster';
import { kubeconfig } from './fixtures/kube';
import * as out from './fixtures/outputs';

/** What kubectl v1.35 prints for `get` against a closed port: five klog discovery lines, then its own summary. */
const memcache = (url: string): string =>
  `E1207 16:03:50.148184   31617 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"${url}/api?timeout=10s\\": dial tcp 127.0.0.1:1: connect: connection refused"`;
const REFUSED = `${Array.from({ length: 5 }, () => memcache('https://127.0.0.1:1')).join('\n')}\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n`;
const NO_SUCH_HOST =
  'E1207 16:10:01.000001   4242 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"https://api.gone.example:6443/api?timeout=10s\\": dial tcp: lookup api.gone.example on 127.0.0.53:53: no such host"\nUnable to connect to the server: dial tcp: lookup api.gone.example on 127.0.0.53:53: no such host\n';
const TIMEOUT = 'Unable to connect to the server: dial tcp 172.18.0.2:6443: i/o timeout\n';
const TLS =
  'E1207 16:11:00.000001   4242 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"https://10.0.0.1:6443/api?timeout=10s\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"\nUnable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n';

describe("kubectl's connection failures, in one message", () => {
  it("folds the repeated memcache.go lines into kubectl's own summary line", () => {
    assert.deepEqual(kubectlStderrLines(REFUSED), ['The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?']);
    // Only klog lines: unwrapped, once.
    assert.deepEqual(kubectlStderrLines(`${memcache('https://127.0.0.1:1')}\n${memcache('https://127.0.0.1:1')}\n`), [
      'couldn\'t get current server API group list: Get "https://127.0.0.1:1/api?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused',
    ]);
    assert.deepEqual(kubectlStderrLines('error: one\nerror: one\nerror: two\n'), ['error: one', 'error: two']);
  });

  it('recognises refused, no such host, timeout and TLS failures, and not exec or API errors', () => {
    assert.equal(connectionFailure(REFUSED), 'refused');
    assert.equal(connectionFailure(NO_SUCH_HOST), 'no-such-host');
    assert.equal(connectionFailure(TIMEOUT), 'timeout');
    assert.equal(connectionFailure(TLS), 'tls');
    assert.equal(connectionFailure('Unable to connect to the server: net/http: TLS handshake timeout\n'), 'tls');
    assert.equal(connectionFailure('Unable to connect to the server: dial tcp 10.0.0.1:6443: connect: no route to host\n'), 'unreachable');
    assert.equal(connectionFailure('error: error dialing backend: dial tcp 10.0.0.5:10250: connect: connection refused\n'), undefined, 'the kubelet, not the API server');
    assert.equal(connectionFailure('Error from server (NotFound): services "x" not found\n'), undefined);
    assert.equal(classifyKubectlError(out.result({ exitCode: 1, stderr: REFUSED })).reason, 'unreachable');
    assert.equal(classifyKubectlError(out.result({ exitCode: 1, stderr: TLS })).reason, 'unreachable');
  });

  it('finds the server kubectl tried in its stderr', () => {
    assert.equal(serverFromStderr(REFUSED), 'https://127.0.0.1:1');
    assert.equal(serverFromStderr('The connection to the server localhost:8080 was refused - did you specify the right host or port?'), 'localhost:8080');
    assert.equal(serverFromStderr(TIMEOUT), '172.18.0.2:6443');
    assert.equal(serverFromStderr('error: something else'), undefined);
  });

  it('names the server and context once, with the likely causes', () => {
    const refused = describeConnectionFailure({ kind: 'refused', server: 'https://127.0.0.1:1', context: 'kind-egress', stderr: REFUSED });
    assert.match(refused, /^The cluster at https:\/\/127\.0\.0\.1:1 \(context kind-egress\) cannot be reached: the connection was refused\. Likely causes: /);
    for (const cause of [/stopped/, /port-forward/, /VPN/, /another cluster/, /kubectl config get-contexts/, /--context/, /istioEgress\.probe\.context/]) assert.match(refused, cause);
    assert.doesNotMatch(refused, /memcache/);
    assert.match(
      describeConnectionFailure({ kind: 'no-such-host', stderr: NO_SUCH_HOST }),
      /^The cluster at https:\/\/api\.gone\.example:6443 cannot be reached: its host name does not resolve\. Likely causes: a VPN or private DNS/,
    );
    assert.match(describeConnectionFailure({ kind: 'timeout', server: 'https://172.18.0.2:6443', stderr: TIMEOUT }), /cannot be reached: the connection timed out\. Likely causes: a VPN/);
    const tls = describeConnectionFailure({ kind: 'tls', server: 'https://10.0.0.1:6443', stderr: TLS });
    assert.match(
      tls,
      /^The cluster at https:\/\/10\.0\.0\.1:6443 answered, but the TLS connection to it failed \(tls: failed to verify certificate: x509: certificate signed by unknown authority\)\. Likely causes: the cluster was recreated/,
    );
  });
});

describe('kubeconfigs that give kubectl no cluster', () => {
  it("reads kubectl's kubeconfig errors", () => {
    assert.deepEqual(kubeconfigProblem('error: current-context must exist in order to minify\n'), { kind: 'no-current-context' });
    assert.deepEqual(kubeconfigProblem('error: cannot locate context nope\n'), { kind: 'context-not-found', context: 'nope' });
    assert.deepEqual(kubeconfigProblem('Error in configuration: context was not found for specified context: nope\n'), { kind: 'context-not-found', context: 'nope' });
    assert.deepEqual(kubeconfigProblem('error: stat /tmp/none.yaml: no such file or directory\n'), { kind: 'file-missing' });
    assert.deepEqual(kubeconfigProblem('error: error loading config file "/tmp/bad": yaml: line 3: did not find expected node content\n'), {
      kind: 'unreadable',
      detail: 'yaml: line 3: did not find expected node content',
    });
    assert.equal(kubeconfigProblem(REFUSED), undefined);
  });

  it('knows where kubectl takes the kubeconfig from', () => {
    assert.deepEqual(kubeconfigSource('/k', { KUBECONFIG: '/a:/b' }), { kind: 'flag', path: '/k' });
    assert.deepEqual(kubeconfigSource(undefined, { KUBECONFIG: '/a::/b' }), { kind: 'env', paths: ['/a', '/b'] });
    assert.deepEqual(kubeconfigSource(undefined, { HOME: '/home/me/' }), { kind: 'default', path: '/home/me/.kube/config' });
  });

  it('says a missing file does not exist, and an empty one has no context and how to pick one', () => {
    const noContext = { kind: 'no-current-context' } as const;
    assert.equal(
      describeKubeconfigProblem(noContext, { kind: 'flag', path: '/tmp/none.yaml' }, ['/tmp/none.yaml']),
      'Kubeconfig /tmp/none.yaml does not exist. Check the path given with --kubeconfig (in VS Code: the istioEgress.probe.kubeconfig setting), or leave it out to use KUBECONFIG or ~/.kube/config.',
    );
    const empty = describeKubeconfigProblem(noContext, { kind: 'flag', path: '/tmp/empty.yaml' }, []);
    assert.match(empty, /^Kubeconfig \/tmp\/empty\.yaml has no current context/);
    for (const how of [/kubectl config get-contexts/, /--context NAME/, /istioEgress\.probe\.context/, /kubectl config use-context/]) assert.match(empty, how);
    assert.match(describeKubeconfigProblem(noContext, { kind: 'env', paths: ['/a', '/b'] }, ['/a', '/b']), /^None of the kubeconfig files in KUBECONFIG exists \(\/a, \/b\)/);
    assert.match(describeKubeconfigProblem(noContext, { kind: 'env', paths: ['/a', '/b'] }, ['/a']), /^The kubeconfig in KUBECONFIG \(\/a, \/b\) has no current context/);
    assert.match(
      describeKubeconfigProblem(noContext, { kind: 'default', path: '/home/me/.kube/config' }, ['/home/me/.kube/config']),
      /^There is no kubeconfig: \/home\/me\/\.kube\/config does not exist and KUBECONFIG is not set/,
    );
    assert.match(
      describeKubeconfigProblem({ kind: 'context-not-found', context: 'nope' }, { kind: 'flag', path: '/k' }, ['/k']),
      /^Context nope is not in kubeconfig \/k: list the contexts/,
    );
  });
});

describe('runProbe over a canned kubectl that cannot reach the cluster', () => {
  it("stops at the first read with one message naming the kubeconfig's server", async () => {
    const report = await runProbe(
      { target: { name: 'my-httpbin' } },
      {
        run: async (r) =>
          withoutGlobalFlags(r.args)[0] === 'config' ? out.result({ stdout: JSON.stringify(kubeconfig('kind-dev', 'egress')) }) : out.result({ exitCode: 1, stderr: REFUSED }),
      },
    );
    assert.equal(report.exitCode, 2);
    assert.equal(report.error?.code, 'cluster-error');
    assert.match(report.error?.message ?? '', /^The cluster at https:\/\/127\.0\.0\.1:40123 \(context kind-dev\) cannot be reached: the connection was refused\./);
    assert.equal(report.commands.length, 2, 'no further reads once the cluster is out of reach');
    const text = formatReportText(report);
    assert.doesNotMatch(text, /memcache\.go/);
    assert.equal(text.split('cannot be reached').length - 1, 1);
    assert.match(text, /^Probe of Service egress\/my-httpbin \(context kind-dev\)$/m);
  });

  it('reports a missing kubeconfig apart from an empty one, in the namespace kubectl would use', async () => {
    const noContext = async (): Promise<ReturnType<typeof out.result>> => out.result({ exitCode: 1, stderr: 'error: current-context must exist in order to minify\n' });
    const missing = await runProbe({ target: { name: 'my-httpbin' }, kubeconfig: '/nowhere/config' }, { run: noContext, fileExists: async () => false });
    assert.match(missing.error?.message ?? '', /^Kubeconfig \/nowhere\/config does not exist\./);
    assert.match(formatReportText(missing), /^Probe of Service default\/my-httpbin$/m);
    const empty = await runProbe({ target: { name: 'my-httpbin', namespace: 'egress' }, kubeconfig: '/tmp/empty' }, { run: noContext, fileExists: async () => true });
    assert.match(empty.error?.message ?? '', /^Kubeconfig \/tmp\/empty has no current context/);
    assert.equal(empty.commands.length, 1, 'nothing sent to localhost:8080');
    assert.match(formatReportText(empty), /^Probe of Service egress\/my-httpbin$/m);
    assert.equal(empty.exitCode, 2);
  });

  it('in a pod without a kubeconfig, a given namespace still lets the in-cluster credentials work', async () => {
    let reads = 0;
    const report = await runProbe(
      { target: { name: 'my-httpbin', namespace: 'default' }, env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' } },
      {
        run: async (r) => {
          if (withoutGlobalFlags(r.args)[0] === 'config') return out.result({ exitCode: 1, stderr: 'error: current-context must exist in order to minify\n' });
          reads++;
          return out.result({ exitCode: 1, stderr: 'Error from server (NotFound): services "my-httpbin" not found\n' });
        },
        fileExists: async () => false,
      },
    );
    assert.equal(reads, 1);
    assert.equal(report.error?.code, 'service-not-found');
  });
});
