/** The JSON the API server returns for fixtures, with the defaults a real server fills in. */
import { randomBytes } from 'node:crypto';
import type { ContainerFixture, KubeObject, NamespaceFixture, PodFixture } from './types';

export const CREATED = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function namespaceObject(ns: NamespaceFixture): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns.name, labels: { 'kubernetes.io/metadata.name': ns.name, ...(ns.labels ?? {}) } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function hasIstioProxy(pod: PodFixture): boolean {
  return pod.containers.some((c) => c.name === 'istio-proxy');
}

/** The Pod JSON the API server returns for a fixture pod. */
export function podObject(pod: PodFixture): KubeObject {
  const sidecar = hasIstioProxy(pod);
  const phase = pod.phase ?? 'Running';
  const running = phase === 'Running';
  const image = (c: ContainerFixture): string => c.image ?? (c.name === 'istio-proxy' ? 'docker.io/istio/proxyv2:1.28.0' : 'curlimages/curl:8.16.0');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: {
        ...(pod.labels ?? {}),
        ...(sidecar ? { 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': pod.labels?.app ?? pod.name, 'service.istio.io/canonical-revision': 'latest' } : {}),
      },
      annotations: {
        ...(sidecar
          ? {
              'kubectl.kubernetes.io/default-container': pod.containers[0].name,
              'kubectl.kubernetes.io/default-logs-container': pod.containers[0].name,
              'sidecar.istio.io/status':
                '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}',
            }
          : {}),
        ...(pod.annotations ?? {}),
      },
    },
    spec: {
      containers: pod.containers.map((c) => ({
        name: c.name,
        image: image(c),
        imagePullPolicy: 'IfNotPresent',
        ...(c.name === 'istio-proxy' ? { args: ['proxy', 'sidecar'] } : { command: ['/bin/sleep', 'infinity'] }),
      })),
      ...(sidecar ? { initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.28.0' }] } : {}),
      serviceAccountName: pod.serviceAccountName ?? pod.labels?.app ?? 'default',
      nodeName: 'fake-node',
      restartPolicy: 'Always',
    },
    status: {
      phase,
      podIP: pod.podIP,
      podIPs: [{ ip: pod.podIP }],
      hostIP: '172.18.0.2',
      startTime: CREATED,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: running ? 'True' : 'False',
        lastTransitionTime: CREATED,
      })),
      containerStatuses: pod.containers.map((c) => ({
        name: c.name,
        image: image(c),
        imageID: `${image(c)}@sha256:${'0'.repeat(64)}`,
        containerID: `containerd://${randomBytes(32).toString('hex')}`,
        ready: running,
        started: running,
        restartCount: 0,
        state: running ? { running: { startedAt: CREATED } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: CREATED, finishedAt: CREATED } },
      })),
    },
  };
}

export function defaultService(obj: KubeObject): void {
  if (obj.kind !== 'Service' || obj.apiVersion !== 'v1') return;
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  const ports = (spec.ports ?? []) as Record<string, unknown>[];
  for (const p of ports) {
    p.protocol ??= 'TCP';
    if (spec.type !== 'ExternalName') p.targetPort ??= p.port;
  }
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= 'None';
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  obj.status ??= { loadBalancer: {} };
}
