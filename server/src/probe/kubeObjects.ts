/**
 * The live objects the probe reads with `kubectl get … -o json`, reduced to the fields it uses. Readers take
 * `unknown` (parsed JSON) and return undefined for anything that is not the expected kind.
 */
import { arrayAt, isObject, numberAt, objectAt, stringAt, stringMapAt } from './json';

export interface LivePort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: string;
  readonly appProtocol?: string;
}

export interface LiveService {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  /** Absent for ExternalName; `None` for headless Services. */
  readonly clusterIP?: string;
  readonly externalName?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly LivePort[];
}

export interface LiveEndpoints {
  readonly name: string;
  readonly namespace: string;
  readonly addresses: readonly string[];
  readonly notReadyAddresses: readonly string[];
}

export interface LiveTls {
  readonly mode?: string;
  readonly sni?: string;
}

export interface LiveDestinationRule {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly tls?: LiveTls;
  readonly portTls: readonly { readonly port: number; readonly tls: LiveTls }[];
}

export interface LiveServiceEntry {
  readonly name: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly location: string;
}

export interface LiveContainer {
  readonly name: string;
  /** `Always` marks a native sidecar among init containers (Kubernetes ≥ 1.28, Istio's `ENABLE_NATIVE_SIDECARS`). */
  readonly restartPolicy?: string;
}

export interface LivePod {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly LiveContainer[];
  readonly initContainers: readonly LiveContainer[];
  /** Set while the pod is being deleted; such a pod may vanish mid-probe. */
  readonly deleting: boolean;
}

export interface LiveNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

function meta(json: unknown, kind: string): { name: string; namespace: string } | undefined {
  if (!isObject(json) || json.kind !== kind) return undefined;
  const name = stringAt(json, 'metadata', 'name');
  return name ? { name, namespace: stringAt(json, 'metadata', 'namespace') ?? '' } : undefined;
}

export function readService(json: unknown): LiveService | undefined {
  const m = meta(json, 'Service');
  if (!m) return undefined;
  const ports = arrayAt(json, 'spec', 'ports').flatMap((p): LivePort[] => {
    const port = numberAt(p, 'port');
    if (port === undefined) return [];
    const name = stringAt(p, 'name');
    const appProtocol = stringAt(p, 'appProtocol');
    return [{ port, protocol: stringAt(p, 'protocol') ?? 'TCP', ...(name ? { name } : {}), ...(appProtocol ? { appProtocol } : {}) }];
  });
  const clusterIP = stringAt(json, 'spec', 'clusterIP');
  const externalName = stringAt(json, 'spec', 'externalName');
  const selector = objectAt(json, 'spec', 'selector');
  return {
    ...m,
    type: stringAt(json, 'spec', 'type') ?? 'ClusterIP',
    ports,
    ...(clusterIP ? { clusterIP } : {}),
    ...(externalName ? { externalName } : {}),
    ...(selector ? { selector: stringMapAt(json, 'spec', 'selector') } : {}),
  };
}

export function readEndpoints(json: unknown): LiveEndpoints | undefined {
  const m = meta(json, 'Endpoints');
  if (!m) return undefined;
  const ips = (key: string): string[] => arrayAt(json, 'subsets').flatMap((s) => arrayAt(s, key).flatMap((a) => stringAt(a, 'ip') ?? []));
  return { ...m, addresses: ips('addresses'), notReadyAddresses: ips('notReadyAddresses') };
}

function readTls(json: unknown): LiveTls | undefined {
  if (!isObject(json)) return undefined;
  const mode = stringAt(json, 'mode');
  const sni = stringAt(json, 'sni');
  return { ...(mode ? { mode } : {}), ...(sni ? { sni } : {}) };
}

function readDestinationRule(json: unknown): LiveDestinationRule | undefined {
  const m = meta(json, 'DestinationRule');
  const host = stringAt(json, 'spec', 'host');
  if (!m || !host) return undefined;
  const tls = readTls(objectAt(json, 'spec', 'trafficPolicy', 'tls'));
  const portTls = arrayAt(json, 'spec', 'trafficPolicy', 'portLevelSettings').flatMap((s) => {
    const port = numberAt(s, 'port', 'number');
    const levelTls = readTls(objectAt(s, 'tls'));
    return port !== undefined && levelTls ? [{ port, tls: levelTls }] : [];
  });
  return { ...m, host, portTls, ...(tls ? { tls } : {}) };
}

function readServiceEntry(json: unknown): LiveServiceEntry | undefined {
  const m = meta(json, 'ServiceEntry');
  if (!m) return undefined;
  const hosts = arrayAt(json, 'spec', 'hosts').filter((h): h is string => typeof h === 'string');
  return { ...m, hosts, location: stringAt(json, 'spec', 'location') ?? 'MESH_EXTERNAL' };
}

function readContainer(json: unknown): LiveContainer | undefined {
  const name = stringAt(json, 'name');
  const restartPolicy = stringAt(json, 'restartPolicy');
  return name ? { name, ...(restartPolicy ? { restartPolicy } : {}) } : undefined;
}

function readPod(json: unknown): LivePod | undefined {
  const m = meta(json, 'Pod');
  if (!m) return undefined;
  const containers = (key: string): LiveContainer[] => arrayAt(json, 'spec', key).flatMap((c) => readContainer(c) ?? []);
  return {
    ...m,
    phase: stringAt(json, 'status', 'phase') ?? 'Unknown',
    labels: stringMapAt(json, 'metadata', 'labels'),
    containers: containers('containers'),
    initContainers: containers('initContainers'),
    deleting: stringAt(json, 'metadata', 'deletionTimestamp') !== undefined,
  };
}

export function readNamespace(json: unknown): LiveNamespace | undefined {
  const m = meta(json, 'Namespace');
  return m ? { name: m.name, labels: stringMapAt(json, 'metadata', 'labels') } : undefined;
}

/** Items of a `kubectl get … -o json` list (kind `List` or `<Kind>List`), read one by one. */
function readList<T>(json: unknown, read: (item: unknown) => T | undefined): T[] {
  return arrayAt(json, 'items').flatMap((item) => {
    const one = read(item);
    return one === undefined ? [] : [one];
  });
}

export const readPods = (json: unknown): LivePod[] => readList(json, readPod);
export const readDestinationRules = (json: unknown): LiveDestinationRule[] => readList(json, readDestinationRule);
export const readServiceEntries = (json: unknown): LiveServiceEntry[] => readList(json, readServiceEntry);

/** The current context's name and default namespace, from `kubectl config view --minify -o json`. */
export function readKubeconfigContext(json: unknown): { context?: string; namespace?: string; server?: string } {
  const context = stringAt(json, 'current-context');
  const first = arrayAt(json, 'contexts')[0];
  const namespace = stringAt(first, 'context', 'namespace');
  // `--minify` keeps the context's cluster alone; look it up by name all the same.
  const clusterName = stringAt(first, 'context', 'cluster');
  const clusters = arrayAt(json, 'clusters');
  const cluster = clusters.find((c) => stringAt(c, 'name') === clusterName) ?? (clusters.length === 1 ? clusters[0] : undefined);
  const server = stringAt(cluster, 'cluster', 'server');
  return { ...(context ? { context } : {}), ...(namespace ? { namespace } : {}), ...(server ? { server } : {}) };
}
