import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureKubectl, KUBECTL_DIR } from '../harness/kubectl';
import { DIST } from '../support/paths';
import { run, type RunResult } from '../support/run';

const CLI = path.join(DIST, 'cli.js');

/** A loopback port nothing listens on: bound by the OS, then released. */
function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('istio-egress probe: a cluster out of reach, a missing or empty kubeconfig (the real kubectl, loopback only)', () => {
  let kubectl: string;
  let dir: string;
  let server: string;
  let env: NodeJS.ProcessEnv;

  /** Runs the built CLI; HOME, KUBECONFIG and kubectl's cache are the test's own, never the machine's. */
  const probe = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, 'probe', '--kubectl', kubectl, ...args], { env, cwd: dir });

  before(async () => {
    kubectl = await ensureKubectl();
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-unreachable-'));
    mkdirSync(path.join(dir, 'home'));
    server = `https://127.0.0.1:${await closedLoopbackPort()}`;
    writeFileSync(
      path.join(dir, 'closed.yaml'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: closed',
        '  cluster:',
        `    server: ${server}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: dev',
        '  user:',
        '    token: not-a-real-token',
        'contexts:',
        '- name: closed-ctx',
        '  context: {cluster: closed, user: dev, namespace: egress-demo}',
        'current-context: closed-ctx',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'empty.yaml'), '');
    env = {
      PATH: `${KUBECTL_DIR}:/usr/bin:/bin`,
      HOME: path.join(dir, 'home'),
      KUBECONFIG: path.join(dir, 'home', 'no-such-kubeconfig'),
      KUBECACHEDIR: path.join(dir, 'cache'),
    };
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("says once that the cluster at the kubeconfig's server cannot be reached, with the likely causes; no memcache.go", async () => {
    const result = await probe(['my-httpbin', '--kubeconfig', path.join(dir, 'closed.yaml')]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    const all = result.stdout + result.stderr;
    assert.equal(count(all, 'memcache.go'), 0, all);
    assert.equal(count(all, `The cluster at ${server} (context closed-ctx) cannot be reached: the connection was refused.`), 1, all);
    assert.match(
      result.stdout,
      /Likely causes: the cluster is stopped or still starting; a `kubectl port-forward` or SSH tunnel to it has stopped; a VPN it needs is not connected; the kube context points at another cluster\./,
    );
    assert.match(result.stdout, /kubectl config get-contexts/);
    assert.match(result.stdout, /^Probe of Service egress-demo\/my-httpbin \(context closed-ctx\)$/m, 'the namespace of the context');
    // kubectl's own summary line stays in the transcript, once.
    assert.equal(count(result.stdout, 'was refused - did you specify the right host or port?'), 1, result.stdout);
    assert.doesNotMatch(all, /not-a-real-token/);

    const json = await probe(['my-httpbin', '--kubeconfig', path.join(dir, 'closed.yaml'), '--format', 'json']);
    assert.equal(json.code, 2);
    const report = JSON.parse(json.stdout) as { error?: { code: string; message: string }; namespace?: string };
    assert.equal(report.error?.code, 'cluster-error');
    assert.match(report.error?.message ?? '', new RegExp(`^The cluster at ${server.replace(/[.:/]/g, '\\$&')} \\(context closed-ctx\\) cannot be reached`));
    assert.doesNotMatch(json.stdout, /memcache\.go/);
  });

  it('says a missing kubeconfig file does not exist', async () => {
    const missing = path.join(dir, 'missing.yaml');
    const result = await probe(['my-httpbin', '--kubeconfig', missing]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.equal(count(result.stdout, `Kubeconfig ${missing} does not exist.`), 1, result.stdout);
    assert.doesNotMatch(result.stdout, /^Error: .*current-context must exist/m);
    assert.match(result.stdout, /^Probe of Service default\/my-httpbin$/m, "kubectl's namespace without a context, not ?");
  });

  it('says an empty kubeconfig has no context and how to pick one, and sends nothing anywhere', async () => {
    const empty = path.join(dir, 'empty.yaml');
    for (const extra of [[], ['-n', 'egress-demo']]) {
      const result = await probe(['my-httpbin', '--kubeconfig', empty, ...extra]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.equal(count(result.stdout, `Kubeconfig ${empty} has no current context`), 1, result.stdout);
      for (const how of ['kubectl config get-contexts', '--context NAME', 'istioEgress.probe.context']) assert.ok(result.stdout.includes(how), how);
      assert.match(result.stdout, new RegExp(`^Probe of Service ${extra.length ? 'egress-demo' : 'default'}/my-httpbin$`, 'm'));
      // Only `config view` ran: no request to kubectl's fallback http://localhost:8080.
      assert.equal(count(result.stdout, '  $ '), 1, result.stdout);
      assert.doesNotMatch(result.stdout, /localhost:8080|memcache\.go/);
    }
  });

  it('says none of the KUBECONFIG files exists when kubectl falls back on them', async () => {
    const result = await probe(['my-httpbin']);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /None of the kubeconfig files in KUBECONFIG exists \(.*no-such-kubeconfig\)/);
  });
});
