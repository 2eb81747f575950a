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
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  CURL,
  STRACE,
  canDenySockets,
  deniedSocketsArgv,
  emulateResolveFailure,
  loadCurlOptions,
  planCurl,
  tracedArgv,
  type CurlOptionTable,
  type CurlPlan,
} from './fakePod';
import { closedPort, makeCertificates } from './testServers';
import { KUBECTL_DIR } from './kubectl';

// ---------------------------------------------------------------------------
// Fixture types

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

// ---------------------------------------------------------------------------
// Resource types served

interface ResourceType {
  readonly group: string;
  readonly versions: readonly string[];
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories?: readonly string[];
}

const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
const ISTIO_CATEGORIES = ['istio-io', 'networking-istio-io'] as const;

const RESOURCES: readonly ResourceType[] = [
  { group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
  { group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
  { group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: 'discovery.k8s.io', versions: ['v1'], plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true, shortNames: [] },
  ...(
    [
      ['destinationrules', 'destinationrule', 'DestinationRule', ['dr']],
      ['serviceentries', 'serviceentry', 'ServiceEntry', ['se']],
      ['virtualservices', 'virtualservice', 'VirtualService', ['vs']],
      ['gateways', 'gateway', 'Gateway', ['gw']],
      ['sidecars', 'sidecar', 'Sidecar', []],
      ['workloadentries', 'workloadentry', 'WorkloadEntry', ['we']],
      ['workloadgroups', 'workloadgroup', 'WorkloadGroup', ['wg']],
    ] as const
  ).map(([plural, singular, kind, shortNames]): ResourceType => ({
    group: 'networking.istio.io', versions: ISTIO_VERSIONS, plural, singular, kind, namespaced: true, shortNames, categories: ISTIO_CATEGORIES,
  })),
];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GROUPS = [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== ''))];
const SERVER_VERSION = { major: '1', minor: '34', gitVersion: 'v1.34.2', gitCommit: '8cc511e399b929453cd98ae65b419c3cc227ec79', gitTreeState: 'clean', buildDate: '2025-11-11T19:09:21Z', goVersion: 'go1.24.9', compiler: 'gc', platform: 'linux/amd64' };
const ENDPOINTS_WARNING = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';

function groupOf(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

function gv(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function qualified(rt: ResourceType): string {
  return rt.group === '' ? rt.plural : `${rt.plural}.${rt.group}`;
}

// ---------------------------------------------------------------------------
// Status helpers

interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function notFound(rt: ResourceType, name: string): Status {
  return status(404, 'NotFound', `${qualified(rt)} "${name}" not found`, { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural });
}

const UNAUTHORIZED = status(401, 'Unauthorized', 'Unauthorized');
const PATH_NOT_FOUND = status(404, 'NotFound', 'the server could not find the requested resource', {});

// ---------------------------------------------------------------------------
// Selectors

type Requirement = (labels: Record<string, string>) => boolean;

/** Parses a label selector (`app=curl`, `a!=b`, `a in (x,y)`, `!a`, `a`). Throws on syntax errors. */
export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  return parts.map((raw): Requirement => {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const key = m[1]!;
      const values = new Set(m[3]!.split(',').map((v) => v.trim()));
      return m[2] === 'in' ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
    }
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(p))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = /^!([\w./-]+)$/.exec(p))) {
      const key = m[1]!;
      return (l) => !(key in l);
    }
    if ((m = /^([\w./-]+)$/.exec(p))) {
      const key = m[1]!;
      return (l) => key in l;
    }
    throw new Error(`unable to parse requirement: ${p}`);
  });
}

function parseFieldSelector(selector: string): ((obj: KubeObject) => boolean)[] {
  return selector
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const m = /^\s*([\w.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(p);
      if (!m) throw new Error(`invalid selector: '${selector}'; can't understand '${p}'`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      const get = (obj: KubeObject): string | undefined => {
        if (field === 'metadata.name') return obj.metadata.name;
        if (field === 'metadata.namespace') return obj.metadata.namespace;
        if (field === 'status.phase') return ((obj.status ?? {}) as { phase?: string }).phase;
        if (field === 'spec.type') return ((obj.spec ?? {}) as { type?: string }).type;
        throw new Error(`field label not supported: ${field}`);
      };
      return (obj: KubeObject) => (op === '!=' ? get(obj) !== value : get(obj) === value);
    });
}

// ---------------------------------------------------------------------------
// Object construction

const CREATED = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function namespaceObject(ns: NamespaceFixture): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns.name, labels: { 'kubernetes.io/metadata.name': ns.name, ...(ns.labels ?? {}) } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function hasIstioProxy(pod: PodFixture): boolean {
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
      labels: { ...(pod.labels ?? {}), ...(sidecar ? { 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': pod.labels?.app ?? pod.name, 'service.istio.io/canonical-revision': 'latest' } : {}) },
      annotations: {
        ...(sidecar ? { 'kubectl.kubernetes.io/default-container': pod.containers[0]!.name, 'kubectl.kubernetes.io/default-logs-container': pod.containers[0]!.name, 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}' } : {}),
        ...(pod.annotations ?? {}),
      },
    },
    spec: {
      containers: pod.containers.map((c) => ({ name: c.name, image: image(c), imagePullPolicy: 'IfNotPresent', ...(c.name === 'istio-proxy' ? { args: ['proxy', 'sidecar'] } : { command: ['/bin/sleep', 'infinity'] }) })),
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
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: running ? 'True' : 'False', lastTransitionTime: CREATED })),
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

function defaultService(obj: KubeObject): void {
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

// ---------------------------------------------------------------------------
// Server-side printing (`kubectl get` without -o asks for meta.k8s.io Tables)

type Cell = string | number;
interface Column {
  readonly name: string;
  readonly priority?: number;
  readonly cell: (obj: KubeObject) => Cell;
}

function age(obj: KubeObject): string {
  const created = Date.parse(obj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created)) return '<unknown>';
  const s = Math.max(0, Math.floor((Date.now() - created) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function field(obj: unknown, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function joinOr(values: readonly string[], empty = '<none>'): string {
  return values.length ? values.join(',') : empty;
}

const NAME: Column = { name: 'Name', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', cell: age };

function columnsFor(kind: string): Column[] {
  switch (kind) {
    case 'Pod':
      return [
        NAME,
        { name: 'Ready', cell: (o) => `${list(field(o, 'status', 'containerStatuses')).filter((c) => c.ready === true).length}/${list(field(o, 'spec', 'containers')).length}` },
        { name: 'Status', cell: (o) => String(field(o, 'status', 'phase') ?? 'Unknown') },
        { name: 'Restarts', cell: () => 0 },
        AGE,
        { name: 'IP', priority: 1, cell: (o) => String(field(o, 'status', 'podIP') ?? '<none>') },
        { name: 'Node', priority: 1, cell: (o) => String(field(o, 'spec', 'nodeName') ?? '<none>') },
        { name: 'Nominated Node', priority: 1, cell: () => '<none>' },
        { name: 'Readiness Gates', priority: 1, cell: () => '<none>' },
      ];
    case 'Service':
      return [
        NAME,
        { name: 'Type', cell: (o) => String(field(o, 'spec', 'type') ?? 'ClusterIP') },
        { name: 'Cluster-IP', cell: (o) => String(field(o, 'spec', 'clusterIP') ?? '<none>') },
        { name: 'External-IP', cell: (o) => String(field(o, 'spec', 'externalName') ?? '<none>') },
        { name: 'Port(s)', cell: (o) => joinOr(list(field(o, 'spec', 'ports')).map((p) => `${String(p.port)}/${String(p.protocol ?? 'TCP')}`)) },
        AGE,
        { name: 'Selector', priority: 1, cell: (o) => joinOr(Object.entries((field(o, 'spec', 'selector') ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`)) },
      ];
    case 'Endpoints':
      return [
        NAME,
        { name: 'Endpoints', cell: (o) => joinOr(list(o.subsets).flatMap((s) => list(s.addresses).flatMap((a) => { const ports = list(s.ports); return ports.length ? ports.map((p) => `${String(a.ip)}:${String(p.port)}`) : [String(a.ip)]; }))) },
        AGE,
      ];
    case 'EndpointSlice':
      return [
        NAME,
        { name: 'AddressType', cell: (o) => String(o.addressType ?? '') },
        { name: 'Ports', cell: (o) => joinOr(list(o.ports).map((p) => String(p.port)), '<unset>') },
        { name: 'Endpoints', cell: (o) => joinOr(list(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as string[]) : [])), '<unset>') },
        AGE,
      ];
    case 'Namespace':
      return [NAME, { name: 'Status', cell: (o) => String(field(o, 'status', 'phase') ?? 'Active') }, AGE];
    case 'ConfigMap':
      return [NAME, { name: 'Data', cell: (o) => Object.keys((o.data ?? {}) as object).length }, AGE];
    case 'DestinationRule':
      return [NAME, { name: 'Host', cell: (o) => String(field(o, 'spec', 'host') ?? '') }, AGE];
    case 'ServiceEntry':
      return [
        NAME,
        { name: 'Hosts', cell: (o) => `[${((field(o, 'spec', 'hosts') ?? []) as string[]).join(' ')}]` },
        { name: 'Location', cell: (o) => String(field(o, 'spec', 'location') ?? '') },
        { name: 'Resolution', cell: (o) => String(field(o, 'spec', 'resolution') ?? '') },
        AGE,
      ];
    case 'VirtualService':
      return [
        NAME,
        { name: 'Gateways', cell: (o) => `[${((field(o, 'spec', 'gateways') ?? []) as string[]).join(' ')}]` },
        { name: 'Hosts', cell: (o) => `[${((field(o, 'spec', 'hosts') ?? []) as string[]).join(' ')}]` },
        AGE,
      ];
    default:
      return [NAME, AGE];
  }
}

/** A meta.k8s.io/v1 Table, as a real API server returns for `kubectl get` without -o. */
function toTable(kind: string, objs: readonly KubeObject[], resourceVersion: string): unknown {
  const columns = columnsFor(kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: typeof c.cell(objs[0] ?? ({ metadata: { name: '' } } as KubeObject)) === 'number' ? 'integer' : 'string',
      format: c === NAME ? 'name' : '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objs.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

function wantsTable(req: http.IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

// ---------------------------------------------------------------------------
// The server

function isLoopbackTarget(target: string): boolean {
  const m = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/.exec(target);
  return m !== null && isIP(m[1]!) === 4 && Number(m[2]) > 0 && Number(m[2]) < 65536;
}

function checkRoutes(name: string, routes: Routes): void {
  for (const [key, target] of Object.entries(routes)) {
    if (!/^.+:\d+$/.test(key)) throw new Error(`network ${name}: route key ${key} is not host:port`);
    if (!isLoopbackTarget(target)) throw new Error(`network ${name}: route ${key} → ${target} is not a 127.0.0.0/8 address:port`);
  }
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function sendRaw(socket: Duplex, code: number, body: Status): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

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

  // --- store
  let revision = 1000;
  const store = new Map<string, KubeObject>();
  const podFixtures = new Map<string, PodFixture>();
  const key = (rt: ResourceType, namespace: string | undefined, name: string): string => `${rt.group}|${rt.plural}|${rt.namespaced ? namespace ?? '' : ''}|${name}`;
  const typeOfObject = (obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType => {
    const [group] = groupOf(obj.apiVersion);
    const rt = RESOURCES.find((r) => r.group === group && r.kind === obj.kind);
    if (!rt) throw new Error(`fake cluster does not serve ${obj.apiVersion} ${obj.kind}`);
    return rt;
  };
  const typeOfKind = (kind: string): ResourceType => {
    const rt = RESOURCES.find((r) => r.kind.toLowerCase() === kind.toLowerCase() || r.plural === kind.toLowerCase());
    if (!rt) throw new Error(`fake cluster does not serve kind ${kind}`);
    return rt;
  };
  const upsert = (input: KubeObject): void => {
    const obj = structuredClone(input);
    const rt = typeOfObject(obj);
    if (rt.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    const k = key(rt, obj.metadata.namespace, obj.metadata.name);
    const previous = store.get(k);
    obj.metadata.uid ??= previous?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= previous?.metadata.creationTimestamp ?? CREATED;
    obj.metadata.resourceVersion = String(++revision);
    if (rt.group !== '') obj.metadata.generation ??= 1;
    defaultService(obj);
    store.set(k, obj);
  };
  const addPod = (pod: PodFixture): void => {
    podFixtures.set(`${pod.namespace}/${pod.name}`, pod);
    upsert(podObject(pod));
  };
  const remove = (kind: string, name: string, namespace?: string): boolean => {
    const rt = typeOfKind(kind);
    const removed = store.delete(key(rt, namespace ?? 'default', name));
    if (removed) revision++;
    if (rt.kind === 'Pod') podFixtures.delete(`${namespace ?? 'default'}/${name}`);
    return removed;
  };
  for (const ns of fixture.namespaces) upsert(namespaceObject(ns));
  for (const pod of fixture.pods) addPod(pod);
  for (const obj of fixture.objects ?? []) upsert(obj);

  const execLog: ExecRecord[] = [];
  const requests: RequestRecord[] = [];
  const children = new Set<ChildProcess>();
  let tracing = false;
  let unresolvableMode: UnresolvableMode = socketDenial ? 'deny-sockets' : 'emulate';
  let traceCount = 0;

  // --- HTTP
  let port = 0;
  const json = (res: http.ServerResponse, code: number, body: unknown, extraHeaders: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Audit-Id': randomUUID(), ...extraHeaders });
    res.end(text);
  };
  const authorized = (req: http.IncomingMessage): boolean => req.headers.authorization === `Bearer ${token}`;

  const resourceList = (group: string, version: string): unknown => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv(group, version),
    resources: RESOURCES.filter((r) => r.group === group && r.versions.includes(version)).flatMap((r) => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
        storageVersionHash: Buffer.from(`${r.group}/${r.plural}`).toString('base64').slice(0, 11),
      },
      ...(r.kind === 'Pod'
        ? [
            { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
            { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
            { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
          ]
        : []),
    ]),
  });
  const apiGroup = (group: string): unknown => {
    const versions = [...new Set(RESOURCES.filter((r) => r.group === group).flatMap((r) => r.versions))].map((v) => ({ groupVersion: gv(group, v), version: v }));
    return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
  };

  const serveObject = (obj: KubeObject, version: string): KubeObject => {
    const copy = structuredClone(obj);
    copy.apiVersion = gv(groupOf(obj.apiVersion)[0], version);
    return copy;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = authorized(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, authorized: ok });
    if (!ok) return json(res, 401, UNAUTHORIZED);
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/healthz' || p === '/readyz' || p === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (req.method !== 'GET') return json(res, 405, status(405, 'MethodNotAllowed', 'the fake cluster is read-only: the server does not allow this method on the requested resource', {}));
    if (p === '/version') return json(res, 200, SERVER_VERSION);
    if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] });
    if (p === '/apis') return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map((g) => apiGroup(g)) });
    const seg = p.split('/').slice(1).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg[1] === 'v1') [group, version, rest] = ['', 'v1', seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length === 2 && GROUPS.includes(seg[1]!)) return json(res, 200, apiGroup(seg[1]!));
    else if (seg[0] === 'apis' && seg.length >= 3 && RESOURCES.some((r) => r.group === seg[1] && r.versions.includes(seg[2]!))) [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
    else return json(res, 404, PATH_NOT_FOUND);
    if (rest.length === 0) return json(res, 200, resourceList(group, version));

    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, plural, name, sub] = [rest[1], rest[2]!, rest[3], rest[4]];
    else [plural, name, sub] = [rest[0]!, rest[1], rest[2]];
    if (rest.length > (namespace !== undefined ? 5 : 3)) return json(res, 404, PATH_NOT_FOUND);
    const rt = RESOURCES.find((r) => r.group === group && r.versions.includes(version) && r.plural === plural);
    if (!rt || (namespace !== undefined && !rt.namespaced) || (namespace === undefined && name !== undefined && rt.namespaced)) return json(res, 404, PATH_NOT_FOUND);
    const warn: Record<string, string> = rt.kind === 'Endpoints' ? { Warning: ENDPOINTS_WARNING } : {};
    if (sub !== undefined) {
      if (rt.kind === 'Pod' && (sub === 'exec' || sub === 'attach')) {
        const obj = store.get(key(rt, namespace, name!));
        if (!obj) return json(res, 404, notFound(rt, name!));
        return json(res, 400, status(400, 'BadRequest', 'Upgrade request required', {}));
      }
      return json(res, 404, PATH_NOT_FOUND);
    }
    if (name !== undefined) {
      const obj = store.get(key(rt, namespace, name));
      if (!obj) return json(res, 404, notFound(rt, name), warn);
      return json(res, 200, wantsTable(req) ? toTable(rt.kind, [obj], String(revision)) : serveObject(obj, version), warn);
    }
    let labelReqs: Requirement[];
    let fieldReqs: ((obj: KubeObject) => boolean)[];
    try {
      labelReqs = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
      fieldReqs = parseFieldSelector(url.searchParams.get('fieldSelector') ?? '');
    } catch (err) {
      return json(res, 400, status(400, 'BadRequest', (err as Error).message, {}));
    }
    const selected = [...store.values()]
      .filter((o) => typeOfObject(o) === rt)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter((o) => labelReqs.every((r) => r(o.metadata.labels ?? {})))
      .filter((o) => fieldReqs.every((r) => r(o)))
      .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    if (wantsTable(req)) return json(res, 200, toTable(rt.kind, selected, String(revision)), warn);
    const items = selected.map((o) => {
        const copy = serveObject(o, version);
        // Items of a list carry no apiVersion/kind on a real server... except they do for CRDs; core types omit them.
        if (rt.group === '' || rt.group === 'discovery.k8s.io') {
          delete (copy as Partial<KubeObject>).apiVersion;
          delete (copy as Partial<KubeObject>).kind;
        }
        return copy;
      });
    return json(res, 200, { kind: `${rt.kind}List`, apiVersion: gv(group, version), metadata: { resourceVersion: String(revision) }, items }, warn);
  };

  // --- exec over WebSocket
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : 'v4.channel.k8s.io') });

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = authorized(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, authorized: ok });
    if (!ok) return sendRaw(socket, 401, UNAUTHORIZED);
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(url.pathname);
    if (!m) return sendRaw(socket, 404, PATH_NOT_FOUND);
    const [, namespace, podName, sub] = m as unknown as [string, string, string, string];
    const podRt = RESOURCES.find((r) => r.kind === 'Pod')!;
    const podObj = store.get(key(podRt, namespace, podName));
    const fixturePod = podFixtures.get(`${namespace}/${podName}`);
    if (!podObj || !fixturePod) return sendRaw(socket, 404, notFound(podRt, podName));
    if (sub !== 'exec') return sendRaw(socket, 400, status(400, 'BadRequest', `the fake cluster does not implement pods/${sub}`, {}));
    const command = url.searchParams.getAll('command');
    const containerName = url.searchParams.get('container') ?? fixturePod.containers[0]!.name;
    const container = fixturePod.containers.find((c) => c.name === containerName);
    if (!container) return sendRaw(socket, 400, status(400, 'BadRequest', `container ${containerName} is not valid for pod ${podName}`, {}));
    if (command.length === 0) return sendRaw(socket, 400, status(400, 'BadRequest', 'you must specify at least 1 command', {}));
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return sendRaw(socket, 400, status(400, 'BadRequest', 'the fake cluster only speaks WebSocket exec (v5.channel.k8s.io / v4.channel.k8s.io); set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true', {}));
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!offered.includes('v5.channel.k8s.io') && !offered.includes('v4.channel.k8s.io')) {
      return sendRaw(socket, 400, status(400, 'BadRequest', `none of the offered subprotocols ${offered.join(', ')} is supported (v5.channel.k8s.io, v4.channel.k8s.io)`, {}));
    }
    const flag = (n: string): boolean => url.searchParams.get(n) === 'true' || url.searchParams.get(n) === '1';
    const record: ExecRecord = { namespace, pod: podName, container: containerName, command, stdin: flag('stdin'), tty: flag('tty') };
    execLog.push(record);
    wss.handleUpgrade(req, socket, head, (ws) => {
      void runExec(ws, record, fixturePod, container, flag('stderr'));
    });
  };

  const runExec = async (ws: WebSocket, record: ExecRecord, pod: PodFixture, container: ContainerFixture, wantStderr: boolean): Promise<void> => {
    let finished = false;
    const send = (channel: number, data: Buffer | string): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(Buffer.concat([Buffer.of(channel), typeof data === 'string' ? Buffer.from(data) : data]));
    };
    const stderrChannel = wantStderr ? 2 : record.tty ? 1 : -1;
    const sendErr = (data: Buffer | string): void => {
      if (stderrChannel >= 0) send(stderrChannel, data);
    };
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      record.exitCode = code;
      const st =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command [${record.command.join(' ')}], exit code ${code}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
            };
      send(3, JSON.stringify(st));
      ws.close(1000);
    };
    let child: ChildProcess | undefined;
    // stdin that arrives before the process exists is queued; `null` = end of stdin.
    const pendingStdin: (Buffer | null)[] = [];
    const feedStdin = (chunk: Buffer | null): void => {
      if (!child) {
        pendingStdin.push(chunk);
        return;
      }
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed || stdin.writableEnded) return;
      if (chunk === null) stdin.end();
      else stdin.write(chunk);
    };
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (child) killTree(child);
    });
    ws.on('message', (data: RawData) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (buf.length === 0) return;
      const channel = buf[0];
      if (channel === 0 && buf.length > 1) feedStdin(buf.subarray(1));
      else if (channel === 255 && buf[1] === 0) feedStdin(null);
    });

    const [cmd, ...args] = record.command;
    if (cmd !== 'curl' || container.hasCurl === false) {
      record.mode = 'not-found';
      sendErr(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd ?? ''}": executable file not found in $PATH: unknown\r\n`);
      return finish(126);
    }
    const networkName = pod.network ?? (hasIstioProxy(pod) ? 'sidecar' : 'plain');
    const plan: CurlPlan = planCurl(args, options as CurlOptionTable, { routes: network[networkName] ?? {}, namespace: pod.namespace, clusterDomain, catchAll: catchAll.target });
    if (plan.kind === 'refuse') {
      record.mode = 'refused';
      sendErr(plan.message);
      return finish(plan.exitCode);
    }
    let file: string;
    let argv: string[];
    const traceFile = tracing ? path.join(traceDir, `exec-${++traceCount}.strace`) : undefined;
    if (plan.kind === 'run') {
      record.mode = 'curl';
      record.curlArgs = plan.args;
      [file, argv] = traceFile ? [STRACE, tracedArgv(plan.args, traceFile)] : [CURL, plan.args];
    } else if (unresolvableMode === 'deny-sockets') {
      record.mode = 'denied';
      record.curlArgs = plan.args;
      [file, argv] = [STRACE, deniedSocketsArgv(plan.args, traceFile)];
    } else if (plan.uncertain) {
      record.mode = 'curl';
      record.curlArgs = plan.fallbackArgs;
      [file, argv] = [CURL, plan.fallbackArgs];
    } else {
      record.mode = 'emulated';
      const out = emulateResolveFailure(plan);
      if (out.stdout) send(1, out.stdout);
      if (out.stderr) sendErr(out.stderr);
      return finish(out.exitCode);
    }
    if (traceFile) record.syscallTrace = traceFile;
    const cwd = path.join(podRoot, `${pod.namespace}.${pod.name}.${container.name}`);
    await mkdir(cwd, { recursive: true });
    if (ws.readyState !== WebSocket.OPEN) return;
    const proc = spawn(file, argv, {
      cwd,
      env: { PATH: '/usr/bin:/bin', HOME: cwd, CURL_CA_BUNDLE: caBundle },
      stdio: [record.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    children.add(proc);
    proc.stdin?.on('error', () => undefined);
    for (const chunk of pendingStdin.splice(0)) feedStdin(chunk);
    proc.stdout!.on('data', (c: Buffer) => send(1, c));
    proc.stderr!.on('data', (c: Buffer) => sendErr(c));
    proc.on('error', (err) => {
      children.delete(proc);
      sendErr(`fake pod: cannot run ${file}: ${err.message}\n`);
      finish(127);
    });
    proc.on('close', (code, signal) => {
      children.delete(proc);
      finish(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  };

  // client-go only sends the kubeconfig's credentials over TLS, so the API
  // server speaks HTTPS with a throwaway CA (kubeconfig: certificate-authority-data).
  const serverCerts = await makeCertificates('localhost', '127.0.0.1', 'Fake Cluster CA');
  const [caPem, certPem, keyPem] = await Promise.all([readFile(serverCerts.caFile, 'utf8'), readFile(serverCerts.certFile), readFile(serverCerts.keyFile)]);
  await rm(serverCerts.dir, { recursive: true, force: true });
  const server = https.createServer({ cert: certPem, key: keyPem }, handle);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('fake cluster: no address');
  port = addr.port;
  const url = `https://127.0.0.1:${port}`;

  const kubeconfigParts = (opts: KubeconfigOptions): { clustersUsers: Record<string, unknown>; contexts: Record<string, unknown> } => {
    const context = opts.context ?? 'fake';
    const all = [{ name: context, namespace: opts.namespace, token: opts.token ?? token }, ...(opts.extraContexts ?? [])];
    return {
      clustersUsers: {
        clusters: [{ name: 'fake-cluster', cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
        users: all.map((c) => ({ name: `${c.name}-user`, user: { token: c.token ?? token } })),
      },
      contexts: {
        contexts: all.map((c) => ({ name: c.name, context: { cluster: 'fake-cluster', user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
        ...(opts.currentContext === null ? {} : { 'current-context': opts.currentContext ?? context }),
      },
    };
  };
  const writeJson = async (file: string, body: Record<string, unknown>): Promise<string> => {
    await writeFile(file, `${JSON.stringify({ apiVersion: 'v1', kind: 'Config', preferences: {}, ...body }, null, 2)}\n`, { mode: 0o600 });
    return file;
  };

  let stopped = false;
  const cluster: FakeCluster = {
    url,
    token,
    caPem,
    cacheDir,
    homeDir,
    execLog,
    requests,
    get unresolvableMode() {
      return unresolvableMode;
    },
    setUnresolvableMode(mode) {
      if (mode === 'deny-sockets' && !socketDenial) throw new Error('strace cannot deny socket(2) on this machine');
      unresolvableMode = mode;
    },
    activeProcesses() {
      return children.size;
    },
    async writeKubeconfig(dir, opts = {}) {
      const parts = kubeconfigParts(opts);
      return writeJson(path.resolve(dir, opts.fileName ?? 'kubeconfig'), { ...parts.clustersUsers, ...parts.contexts });
    },
    async writeSplitKubeconfig(dir, opts = {}) {
      const parts = kubeconfigParts(opts);
      const first = await writeJson(path.resolve(dir, opts.fileName ?? 'kubeconfig-cluster'), parts.clustersUsers);
      const second = await writeJson(path.resolve(dir, opts.secondFileName ?? 'kubeconfig-context'), parts.contexts);
      return { first, second, kubeconfig: `${first}:${second}` };
    },
    upsert(obj) {
      if (obj.kind === 'Pod') throw new Error('use addPod for pods');
      upsert(obj);
    },
    addPod,
    remove,
    get(kind, name, namespace) {
      const rt = typeOfKind(kind);
      const obj = store.get(key(rt, namespace ?? 'default', name));
      return obj ? structuredClone(obj) : undefined;
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
      tracing = on;
    },
    clearExecLog() {
      execLog.length = 0;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const child of children) killTree(child);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
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
