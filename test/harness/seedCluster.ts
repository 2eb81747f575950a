/**
 * A ready fixture mirroring Istio's task "Kubernetes Services for Egress
 * Traffic": ExternalName Service `my-httpbin` → httpbin.org, Service
 * `my-wikipedia` with Endpoints of en.wikipedia.org, DestinationRules with
 * `tls.mode: DISABLE`, a curl pod with a sidecar in `default`, one without in
 * `without-istio` and one in an ambient namespace, all wired to loopback echo
 * and TLS servers.
 */
import type { ClusterFixture, FakeCluster, KubeObject, PodFixture, Routes } from './fakeCluster';
import { startFakeCluster } from './fakeCluster';
import { closedPort, startEchoServer, startHangingServer, startTlsServer, type EchoServer, type LoopbackServer, type TlsServer } from './testServers';

/** The seed's cluster IP for `my-wikipedia` (any 127.0.0.0/8 address binds without root). */
export const WIKIPEDIA_CLUSTER_IP = '127.0.0.77';
export const WIKIPEDIA_ENDPOINT_IPS = ['91.198.174.192', '198.35.26.96'] as const;
export const CLUSTER_DOMAIN = 'cluster.local';

export const SIDECAR_POD: PodFixture = {
  name: 'curl-7d9c6b8f5-abcde',
  namespace: 'default',
  labels: { app: 'curl', 'pod-template-hash': '7d9c6b8f5' },
  containers: [{ name: 'curl' }, { name: 'istio-proxy' }],
  podIP: '10.244.0.12',
};
export const PLAIN_POD: PodFixture = {
  name: 'curl-5b8f9c7d4-fghij',
  namespace: 'without-istio',
  labels: { app: 'curl', 'pod-template-hash': '5b8f9c7d4' },
  containers: [{ name: 'curl' }],
  podIP: '10.244.0.13',
};
export const AMBIENT_POD: PodFixture = {
  name: 'curl-6c7d8e9f0-klmno',
  namespace: 'ambient-ns',
  labels: { app: 'curl', 'pod-template-hash': '6c7d8e9f0' },
  containers: [{ name: 'curl' }],
  podIP: '10.244.0.14',
};
/** A pod whose only container has no curl binary (exec → exit 126). */
export const NO_CURL_POD: PodFixture = {
  name: 'httpbin-6f4b8c5d7-pqrst',
  namespace: 'without-istio',
  labels: { app: 'httpbin', 'pod-template-hash': '6f4b8c5d7' },
  containers: [{ name: 'httpbin', image: 'docker.io/kong/httpbin:0.1.0', hasCurl: false }],
  podIP: '10.244.0.15',
};

/** Host names that route to the failure servers in every network map of the seed. */
export const REFUSED_HOST = 'refused.example.com';
export const HANGING_HOST = 'blackhole.example.com';

/** The Kubernetes/Istio objects of the seed task (besides namespaces and pods). */
export function seedObjects(): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-httpbin', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'httpbin.org', ports: [{ name: 'http', protocol: 'TCP', port: 80 }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'my-httpbin', namespace: 'default' },
      spec: { host: `my-httpbin.default.svc.${CLUSTER_DOMAIN}`, trafficPolicy: { tls: { mode: 'DISABLE' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-wikipedia', namespace: 'default' },
      spec: { clusterIP: WIKIPEDIA_CLUSTER_IP, ports: [{ name: 'tls', protocol: 'TCP', port: 443 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'my-wikipedia', namespace: 'default' },
      subsets: [{ addresses: WIKIPEDIA_ENDPOINT_IPS.map((ip) => ({ ip })), ports: [{ name: 'tls', port: 443, protocol: 'TCP' }] }],
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'my-wikipedia-x7k2p',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io', 'kubernetes.io/service-name': 'my-wikipedia' },
      },
      addressType: 'IPv4',
      endpoints: WIKIPEDIA_ENDPOINT_IPS.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ports: [{ name: 'tls', port: 443, protocol: 'TCP' }],
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'my-wikipedia', namespace: 'default' },
      spec: { host: `my-wikipedia.default.svc.${CLUSTER_DOMAIN}`, trafficPolicy: { tls: { mode: 'DISABLE' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system', labels: { 'istio.io/rev': 'default' } },
      data: {
        mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\nrootNamespace: istio-system\noutboundTrafficPolicy:\n  mode: ALLOW_ANY\ntrustDomain: cluster.local',
        meshNetworks: 'networks: {}',
      },
    },
  ];
}

export interface SeedServers {
  /** httpbin as seen from a pod without sidecar. */
  readonly echo: EchoServer;
  /** httpbin as seen through the client's sidecar (can answer 503 like Envoy). */
  readonly sidecarEcho: EchoServer;
  /** en.wikipedia.org on 127.0.0.77, trusted by the pods. */
  readonly wikipedia: TlsServer;
  /** A second en.wikipedia.org whose CA the pods do not trust (curl exit 60); not routed by default. */
  readonly untrustedWikipedia: TlsServer;
  readonly closed: LoopbackServer;
  readonly hanging: LoopbackServer;
}

export interface SeedCluster {
  readonly cluster: FakeCluster;
  readonly servers: SeedServers;
  stop(): Promise<void>;
}

/** The seed's network maps (`sidecar` and `plain`) for a set of servers. */
export function seedNetwork(s: SeedServers): Record<string, Routes> {
  const common = (httpbin: string): Routes => ({
    [`my-httpbin.default.svc.${CLUSTER_DOMAIN}:80`]: httpbin,
    'httpbin.org:80': httpbin,
    [`${WIKIPEDIA_CLUSTER_IP}:443`]: s.wikipedia.target,
    'en.wikipedia.org:443': s.wikipedia.target,
    // Reaches the wikipedia server too; the certificate does not name it (curl exit 60).
    [`my-wikipedia.default.svc.${CLUSTER_DOMAIN}:443`]: s.wikipedia.target,
    [`${REFUSED_HOST}:80`]: s.closed.target,
    [`${HANGING_HOST}:80`]: s.hanging.target,
  });
  return { sidecar: common(s.sidecarEcho.target), plain: common(s.echo.target) };
}

export function seedFixture(s: SeedServers): ClusterFixture {
  return {
    namespaces: [
      { name: 'default', labels: { 'istio-injection': 'enabled' } },
      { name: 'without-istio' },
      { name: 'ambient-ns', labels: { 'istio.io/dataplane-mode': 'ambient' } },
      { name: 'istio-system' },
      { name: 'kube-system' },
    ],
    pods: [SIDECAR_POD, PLAIN_POD, AMBIENT_POD, NO_CURL_POD],
    objects: seedObjects(),
    network: seedNetwork(s),
    caFiles: [s.wikipedia.caFile],
    clusterDomain: CLUSTER_DOMAIN,
    onSidecarFailure: (on) => s.sidecarEcho.setFailure(on),
  };
}

/** Starts the loopback servers and a fake cluster wired to them. */
export async function startSeedCluster(): Promise<SeedCluster> {
  const started: { close(): Promise<void> }[] = [];
  const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const s = await p;
    started.push(s);
    return s;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled(started.map((s) => s.close()));
  };
  try {
    const [echo, sidecarEcho, wikipedia, untrustedWikipedia, closed, hanging] = await Promise.all([
      track(startEchoServer({ sidecar: false })),
      track(startEchoServer({ sidecar: true, peer: { podName: SIDECAR_POD.name, namespace: SIDECAR_POD.namespace, podIP: SIDECAR_POD.podIP } })),
      track(startTlsServer({ host: 'en.wikipedia.org', address: WIKIPEDIA_CLUSTER_IP })),
      track(startTlsServer({ host: 'en.wikipedia.org', address: WIKIPEDIA_CLUSTER_IP, untrusted: true })),
      track(closedPort()),
      track(startHangingServer()),
    ]);
    const servers: SeedServers = { echo, sidecarEcho, wikipedia, untrustedWikipedia, closed, hanging };
    const cluster = await startFakeCluster(seedFixture(servers));
    return {
      cluster,
      servers,
      async stop() {
        await cluster.stop();
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
