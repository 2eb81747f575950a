/** Choosing the pods to run curl in: one with an Istio sidecar, one without, and ambient ones reported as such. */
import type { LiveNamespace, LivePod } from './kubeObjects';

export const SIDECAR_CONTAINER = 'istio-proxy';

/** How traffic leaves a source pod: through its sidecar, directly, or through ztunnel (ambient mode). */
export type SourceMode = 'sidecar' | 'no-sidecar' | 'ambient';

export interface SourcePod {
  readonly namespace: string;
  readonly pod: string;
  /** The container to exec into: the first that is not `istio-proxy`. */
  readonly container: string;
  readonly mode: SourceMode;
  /** The selector that found it. */
  readonly selector: string;
}

/** Pods found by one selector in one namespace (`kubectl get pods -n NS -l SEL -o json`, already read). */
export interface PodQuery {
  readonly namespace: string;
  readonly selector: string;
  readonly pods: readonly LivePod[];
}

export function hasSidecar(pod: LivePod): boolean {
  return (
    pod.containers.some((c) => c.name === SIDECAR_CONTAINER) ||
    // Native sidecars are init containers that keep running.
    pod.initContainers.some((c) => c.name === SIDECAR_CONTAINER && c.restartPolicy === 'Always')
  );
}

const AMBIENT_LABEL = 'istio.io/dataplane-mode';

function isAmbient(pod: LivePod, namespace: LiveNamespace | undefined): boolean {
  // A pod label overrides the namespace's (`none` opts a pod out).
  const mode = pod.labels[AMBIENT_LABEL] ?? namespace?.labels[AMBIENT_LABEL];
  return mode === 'ambient';
}

export function sourceModeOf(pod: LivePod, namespace: LiveNamespace | undefined): SourceMode {
  if (hasSidecar(pod)) return 'sidecar';
  return isAmbient(pod, namespace) ? 'ambient' : 'no-sidecar';
}

export interface SourceSelection {
  readonly sources: readonly SourcePod[];
  /** Why a kind of source is missing, and how to create one. */
  readonly notes: readonly string[];
}

/** Where the user should create missing source pods: the target namespace, and the no-sidecar namespace. */
export interface SourceHints {
  readonly sidecarNamespace: string;
  readonly noSidecarNamespace: string;
}

/**
 * The first Running pod of each mode, queries taken in the order given (target namespace first, then the
 * no-sidecar namespace; selectors in setting order). Pods being deleted, or with only `istio-proxy`, are passed over.
 */
export function selectSourcePods(queries: readonly PodQuery[], namespaces: ReadonlyMap<string, LiveNamespace>, hints: SourceHints): SourceSelection {
  const chosen = new Map<SourceMode, SourcePod>();
  const passedOver: string[] = [];
  for (const query of queries) {
    for (const pod of query.pods) {
      if (pod.phase !== 'Running' || pod.deleting) {
        passedOver.push(`${pod.namespace || query.namespace}/${pod.name} (${pod.deleting ? 'terminating' : pod.phase})`);
        continue;
      }
      const container = pod.containers.find((c) => c.name !== SIDECAR_CONTAINER)?.name;
      if (!container) continue;
      const namespace = pod.namespace || query.namespace;
      const mode = sourceModeOf(pod, namespaces.get(namespace));
      if (!chosen.has(mode)) chosen.set(mode, { namespace, pod: pod.name, container, mode, selector: query.selector });
    }
  }
  const looked = [...new Set(queries.map((q) => `${q.namespace} (-l ${q.selector})`))].join(', ') || 'no namespace';
  const notes: string[] = [];
  if (passedOver.length) notes.push(`Not Running, so not used: ${passedOver.join(', ')}.`);
  if (!chosen.has('sidecar')) {
    notes.push(`No Running source pod with an istio-proxy sidecar in ${looked}. To create one: ${howToCreateSource(hints.sidecarNamespace, true)}`);
  }
  if (!chosen.has('no-sidecar')) {
    notes.push(`No Running source pod without a sidecar in ${looked}. To create one: ${howToCreateSource(hints.noSidecarNamespace, false)}`);
  }
  return { sources: [...chosen.values()], notes };
}

const CURL_SAMPLE = 'https://raw.githubusercontent.com/istio/istio/release-1.24/samples/curl/curl.yaml';

/** The commands of Istio's own task pages, as text for the user to run (the probe never creates anything). */
export function howToCreateSource(namespace: string, withSidecar: boolean): string {
  return withSidecar
    ? `kubectl label namespace ${namespace} istio-injection=enabled; kubectl apply -n ${namespace} -f ${CURL_SAMPLE}`
    : `kubectl create namespace ${namespace}; kubectl apply -n ${namespace} -f ${CURL_SAMPLE}`;
}
