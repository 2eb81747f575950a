/** What a test gives the fake cluster (fixtures), what it records (exec and request logs), and its API. */

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  [key: string]: unknown;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [key: string]: unknown;
}

export interface NamespaceFixture {
  readonly name: string;
  readonly labels?: Record<string, string>;
}

export interface ContainerFixture {
  readonly name: string;
  readonly image?: string;
  /** false: `curl` is not in this container's image (exec → exit 126). Default true. */
  readonly hasCurl?: boolean;
}

export interface PodFixture {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly containers: readonly ContainerFixture[];
  readonly podIP: string;
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly serviceAccountName?: string;
  /**
   * Which network map of the fixture this pod's curl uses. Default: `sidecar`
   * when the pod has an `istio-proxy` container, else `plain`.
   */
  readonly network?: string;
}

/** `host:port` (DNS name or IP) → loopback `127.x.y.z:port`. */
export type Routes = Record<string, string>;

export interface ClusterFixture {
  readonly namespaces: readonly NamespaceFixture[];
  readonly pods: readonly PodFixture[];
  /** Services, Endpoints, EndpointSlices, ConfigMaps, DestinationRules, ServiceEntries, … */
  readonly objects?: readonly KubeObject[];
  /** Network maps by kind, normally `sidecar` and `plain`. Keys: `host:port`; values: `127.x.y.z:port`. */
  readonly network: Readonly<Record<string, Routes>>;
  /** PEM CA files the pods trust (concatenated into curl's CURL_CA_BUNDLE). */
  readonly caFiles?: readonly string[];
  readonly clusterDomain?: string;
  /** Bearer token the server accepts; random by default. */
  readonly token?: string;
  /** Called by `FakeCluster.setSidecarFailure`; wire it to the sidecar echo server. */
  readonly onSidecarFailure?: (on: boolean) => void;
}

export type UnresolvableMode = 'deny-sockets' | 'emulate';

export interface ExecRecord {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The command as kubectl sent it (`command=` query parameters). */
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly tty: boolean;
  /**
   * `curl`: real curl ran (mapped); `denied`: real curl ran with socket(2)
   * denied (unresolvable host); `emulated`: resolve failure printed without
   * curl; `refused`: option refused; `not-found`: no such executable.
   */
  mode?: 'curl' | 'denied' | 'emulated' | 'refused' | 'not-found';
  /** argv given to /usr/bin/curl (after the pod's rewriting). */
  curlArgs?: readonly string[];
  /** strace log of curl's socket syscalls, when `setSyscallTracing(true)`. */
  syscallTrace?: string;
  exitCode?: number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorized: boolean;
}

export interface KubeconfigOptions {
  /** File name inside `dir`; default `kubeconfig`. */
  readonly fileName?: string;
  /** Context name; default `fake`. */
  readonly context?: string;
  readonly namespace?: string;
  /** Token the user presents; default the cluster's (pass a wrong one to provoke 401). */
  readonly token?: string;
  /** More contexts, each with its own user (e.g. a decoy with a wrong token). */
  readonly extraContexts?: readonly { name: string; namespace?: string; token?: string }[];
  /** Default: `context`. `null`: no current-context. */
  readonly currentContext?: string | null;
}

export interface SplitKubeconfig {
  /** clusters + users */
  readonly first: string;
  /** contexts + current-context */
  readonly second: string;
  /** `first:second`, for KUBECONFIG */
  readonly kubeconfig: string;
}

export interface FakeCluster {
  /** `https://127.0.0.1:PORT` (client-go sends bearer tokens over TLS only) */
  readonly url: string;
  /** PEM of the throwaway CA that issued the server's certificate (in the kubeconfig as certificate-authority-data). */
  readonly caPem: string;
  readonly token: string;
  /** kubectl's discovery/HTTP cache dir: fresh for every server start. */
  readonly cacheDir: string;
  /** HOME for kubectl (an empty temp dir). */
  readonly homeDir: string;
  readonly execLog: ExecRecord[];
  readonly requests: RequestRecord[];
  /**
   * How a host the pod cannot resolve fails: `deny-sockets` (real curl under
   * strace with socket(2) failing; the default where strace works) or
   * `emulate` (curl not run; its output is reproduced).
   */
  readonly unresolvableMode: UnresolvableMode;
  /** Switches `unresolvableMode` (`deny-sockets` throws where strace cannot do it). */
  setUnresolvableMode(mode: UnresolvableMode): void;
  /** Number of curl processes still running in fake pods. */
  activeProcesses(): number;
  writeKubeconfig(dir: string, opts?: KubeconfigOptions): Promise<string>;
  writeSplitKubeconfig(dir: string, opts?: KubeconfigOptions & { readonly secondFileName?: string }): Promise<SplitKubeconfig>;
  /** Adds or replaces an object (Pods: use `addPod`). */
  upsert(obj: KubeObject): void;
  addPod(pod: PodFixture): void;
  /** Removes an object by kind (`Service`, `DestinationRule`, …); true when it existed. */
  remove(kind: string, name: string, namespace?: string): boolean;
  get(kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Adds (`target` string) or removes (`undefined`) a route in a network map. */
  setRoute(network: string, hostPort: string, target: string | undefined): void;
  setSidecarFailure(on: boolean): void;
  /** Run curl under strace and keep the log in `ExecRecord.syscallTrace`. */
  setSyscallTracing(on: boolean): void;
  clearExecLog(): void;
  stop(): Promise<void>;
}
