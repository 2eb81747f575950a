/**
 * A Kubernetes API server of the tests' own, on 127.0.0.1, that the REAL
 * kubectl (see ./kubectl.ts) talks to: discovery, namespaces, pods, services,
 * endpoints, EndpointSlices, ConfigMaps and Istio networking resources
 * (read-only), bearer-token auth, and `pods/exec` over WebSocket
 * (v5.channel.k8s.io) where a "pod" runs the machine's real /usr/bin/curl
 * confined to loopback test servers (see ./fakePod.ts).
 *
 * Never touches a real cluster, ~/.kube or /usr/bin/kubectl: `kubectlEnv`
 * gives kubectl a private HOME, KUBECONFIG and cache dir.
 *
 * The parts are in ./fakeCluster/: the object store, the REST routes, pod
 * exec, and what they are built from. This file starts them and is their
 * public face.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { canDenySockets, loadCurlOptions } from './fakePod';
import { closedPort, makeCertificates } from './testServers';
import { KUBECTL_DIR } from './kubectl';
import { writeKubeconfig, writeSplitKubeconfig, type ClusterAccess } from './fakeCluster/kubeconfig';
import { checkRoutes } from './fakeCluster/networks';
import { PodExec } from './fakeCluster/podExec';
import { RestRouter } from './fakeCluster/restRouter';
import { ObjectStore } from './fakeCluster/store';
import type { ClusterFixture, FakeCluster, RequestRecord, Routes } from './fakeCluster/types';

export type {
  ClusterFixture,
  ContainerFixture,
  ExecRecord,
  FakeCluster,
  KubeconfigOptions,
  KubeMetadata,
  KubeObject,
  NamespaceFixture,
  PodFixture,
  RequestRecord,
  Routes,
  SplitKubeconfig,
  UnresolvableMode,
} from './fakeCluster/types';
export { parseLabelSelector } from './fakeCluster/selectors';
export { podObject } from './fakeCluster/objects';

export async function startFakeCluster(fixture: ClusterFixture): Promise<FakeCluster> {
  const token = fixture.token ?? `fake-${randomBytes(16).toString('hex')}`;
  const clusterDomain = fixture.clusterDomain ?? 'cluster.local';
  const network: Record<string, Routes> = {};
  for (const [name, routes] of Object.entries(fixture.network)) {
    checkRoutes(name, routes);
    network[name] = { ...routes };
  }
  const [options, socketDenial, catchAll] = await Promise.all([loadCurlOptions(), canDenySockets(), closedPort()]);
  const root = await mkdtemp(path.join(tmpdir(), 'egress-fake-cluster-'));
  const cacheDir = path.join(root, 'kube-cache');
  const homeDir = path.join(root, 'home');
  const podRoot = path.join(root, 'pods');
  const traceDir = path.join(root, 'traces');
  await Promise.all([cacheDir, homeDir, podRoot, traceDir].map((d) => mkdir(d, { recursive: true })));
  const caBundle = path.join(root, 'ca-bundle.pem');
  const pems = await Promise.all((fixture.caFiles ?? []).map((f) => readFile(f, 'utf8')));
  await writeFile(caBundle, pems.join('\n'));

  const store = new ObjectStore(fixture);
  const requests: RequestRecord[] = [];
  const router = new RestRouter(store, token, requests);
  const exec = new PodExec({
    store,
    token,
    requests,
    networks: network,
    curlOptions: options,
    catchAll: catchAll.target,
    clusterDomain,
    caBundle,
    podRoot,
    traceDir,
    socketDenial,
  });

  // client-go only sends the kubeconfig's credentials over TLS, so the API
  // server speaks HTTPS with a throwaway CA (kubeconfig: certificate-authority-data).
  const serverCerts = await makeCertificates('localhost', '127.0.0.1', 'Fake Cluster CA');
  const [caPem, certPem, keyPem] = await Promise.all([readFile(serverCerts.caFile, 'utf8'), readFile(serverCerts.certFile), readFile(serverCerts.keyFile)]);
  await rm(serverCerts.dir, { recursive: true, force: true });
  const server = https.createServer({ cert: certPem, key: keyPem }, (req, res) => router.handle(req, res));
  server.on('upgrade', (req, socket, head) => exec.onUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('fake cluster: no address');
  router.port = addr.port;
  const url = `https://127.0.0.1:${router.port}`;
  const access: ClusterAccess = { url, caPem, token };

  let stopped = false;
  const cluster: FakeCluster = {
    url,
    token,
    caPem,
    cacheDir,
    homeDir,
    execLog: exec.execLog,
    requests,
    get unresolvableMode() {
      return exec.unresolvableMode;
    },
    setUnresolvableMode(mode) {
      exec.setUnresolvableMode(mode);
    },
    activeProcesses() {
      return exec.activeProcesses();
    },
    async writeKubeconfig(dir, opts = {}) {
      return writeKubeconfig(access, dir, opts);
    },
    async writeSplitKubeconfig(dir, opts = {}) {
      return writeSplitKubeconfig(access, dir, opts);
    },
    upsert(obj) {
      if (obj.kind === 'Pod') throw new Error('use addPod for pods');
      store.upsert(obj);
    },
    addPod(pod) {
      store.addPod(pod);
    },
    remove(kind, name, namespace) {
      return store.remove(kind, name, namespace);
    },
    get(kind, name, namespace) {
      return store.get(kind, name, namespace);
    },
    setRoute(networkName, hostPort, target) {
      const routes = (network[networkName] ??= {});
      if (target === undefined) delete routes[hostPort];
      else {
        checkRoutes(networkName, { [hostPort]: target });
        routes[hostPort] = target;
      }
    },
    setSidecarFailure(on) {
      if (!fixture.onSidecarFailure) throw new Error('this fixture has no onSidecarFailure hook');
      fixture.onSidecarFailure(on);
    },
    setSyscallTracing(on) {
      exec.tracing = on;
    },
    clearExecLog() {
      exec.execLog.length = 0;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      exec.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * The environment to run kubectl with against `cluster`: nothing is inherited
 * from the developer's environment (no KUBECONFIG, HOME, proxies). PATH starts
 * with the harness's kubectl directory, so a bare `kubectl` never resolves to
 * /usr/bin/kubectl.
 */
export function kubectlEnv(cluster: Pick<FakeCluster, 'homeDir' | 'cacheDir'>, kubeconfig: string | readonly string[]): NodeJS.ProcessEnv {
  return {
    PATH: `${KUBECTL_DIR}:/usr/bin:/bin`,
    HOME: cluster.homeDir,
    KUBECONFIG: typeof kubeconfig === 'string' ? kubeconfig : kubeconfig.join(path.delimiter),
    KUBECACHEDIR: cluster.cacheDir,
  };
}
