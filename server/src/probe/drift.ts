/**
 * Differences between the user's file and the live objects, so the UI can say "the cluster has not got this file's
 * version" before any probe result is read against the file.
 */
import { expandHost, serviceFqdn } from '../analysis/model/hosts';
import type { DestinationRuleResource, EndpointsResource, Located, ServiceResource } from '../analysis/model/resources';
import { fileNamespace, locate, type FileLocation, type FileResource, type ProbeFileModel } from './fileModel';
import type { LiveDestinationRule, LiveEndpoints, LiveService } from './kubeObjects';
import { tlsForPort } from './destinationRules';

export interface DriftItem {
  readonly kind: 'Service' | 'Endpoints' | 'DestinationRule';
  readonly name: string;
  readonly namespace: string;
  /** Dotted path of the field, e.g. `spec.ports[443].name`, `spec.trafficPolicy.tls.mode`. */
  readonly field: string;
  /** The value in the file and in the cluster; undefined means absent. */
  readonly file?: string;
  readonly cluster?: string;
  readonly message: string;
  readonly location?: FileLocation;
}

export interface Drift {
  /** False when there was no file model to compare with. */
  readonly compared: boolean;
  readonly items: readonly DriftItem[];
}

export interface LiveState {
  readonly service?: LiveService;
  readonly endpoints?: LiveEndpoints;
  readonly destinationRules: readonly LiveDestinationRule[];
}

type Push = (item: Omit<DriftItem, 'message'>) => void;

function describe(v: string | undefined): string {
  return v === undefined ? 'absent' : `'${v}'`;
}

function pusher(items: DriftItem[]): Push {
  return (item) => {
    const where = `${item.kind} ${item.namespace}/${item.name}`;
    const message =
      item.cluster === undefined && item.field === ''
        ? `${where} is in the file but not in the cluster`
        : `${where}: ${item.field} is ${describe(item.file)} in the file, ${describe(item.cluster)} in the cluster`;
    items.push({ ...item, message });
  };
}

function compareService(at: FileResource<ServiceResource>, live: LiveService | undefined, namespace: string, push: Push): void {
  const s = at.resource;
  const id = { kind: 'Service' as const, name: s.name?.value ?? '', namespace };
  if (!live) {
    push({ ...id, field: '', file: 'present', location: locate(at, s.name) });
    return;
  }
  const fileType = s.type?.value ?? 'ClusterIP';
  if (fileType !== live.type) push({ ...id, field: 'spec.type', file: fileType, cluster: live.type, location: locate(at, s.type ?? s.kind) });
  const fileExternal = s.externalName?.value;
  if (fileExternal !== live.externalName) {
    push({ ...id, field: 'spec.externalName', file: fileExternal, cluster: live.externalName, location: locate(at, s.externalName ?? s.type ?? s.kind) });
  }
  const livePorts = new Map(live.ports.map((p) => [p.port, p]));
  const seen = new Set<number>();
  for (const p of s.ports) {
    const number = p.port?.value;
    if (number === undefined) continue;
    seen.add(number);
    const lp = livePorts.get(number);
    const portLocation = locate(at, p.port);
    if (!lp) {
      push({ ...id, field: `spec.ports[${number}]`, file: String(number), location: portLocation });
      continue;
    }
    const check = (field: string, fileValue: string | undefined, liveValue: string | undefined, where: Located<unknown> | undefined): void => {
      if (fileValue !== liveValue) push({ ...id, field: `spec.ports[${number}].${field}`, file: fileValue, cluster: liveValue, location: locate(at, where ?? p.port) });
    };
    check('name', p.name?.value, lp.name, p.name);
    check('protocol', p.protocol?.value ?? 'TCP', lp.protocol, p.protocol);
  }
  for (const lp of live.ports) {
    if (!seen.has(lp.port)) push({ ...id, field: `spec.ports[${lp.port}]`, cluster: String(lp.port), location: locate(at, s.name) });
  }
}

function compareEndpoints(at: FileResource<EndpointsResource>, live: LiveEndpoints | undefined, namespace: string, push: Push): void {
  const e = at.resource;
  const id = { kind: 'Endpoints' as const, name: e.name?.value ?? '', namespace };
  if (!live) {
    push({ ...id, field: '', file: 'present', location: locate(at, e.name) });
    return;
  }
  const fileAddresses = e.subsets.flatMap((s) => s.addresses.map((a) => a.value)).sort();
  const liveAddresses = [...live.addresses].sort();
  if (fileAddresses.join(',') !== liveAddresses.join(',')) {
    const first = e.subsets.flatMap((s) => s.addresses)[0];
    push({ ...id, field: 'subsets.addresses', file: fileAddresses.join(', '), cluster: liveAddresses.join(', '), location: locate(at, first ?? e.name) });
  }
}

function compareDestinationRule(at: FileResource<DestinationRuleResource>, live: LiveDestinationRule | undefined, namespace: string, push: Push): void {
  const r = at.resource;
  const id = { kind: 'DestinationRule' as const, name: r.name?.value ?? '', namespace };
  if (!live) {
    push({ ...id, field: '', file: 'present', location: locate(at, r.name) });
    return;
  }
  const fileTop = r.trafficPolicy?.tls?.mode;
  if (fileTop?.value !== live.tls?.mode) {
    push({ ...id, field: 'spec.trafficPolicy.tls.mode', file: fileTop?.value, cluster: live.tls?.mode, location: locate(at, fileTop ?? r.name) });
  }
  if (r.host?.value !== live.host) push({ ...id, field: 'spec.host', file: r.host?.value, cluster: live.host, location: locate(at, r.host ?? r.name) });
  const ports = new Set<number>([...live.portTls.map((p) => p.port), ...(r.trafficPolicy?.portLevelSettings ?? []).flatMap((s) => s.port?.value ?? [])]);
  for (const port of [...ports].sort((a, b) => a - b)) {
    const fileLevel = r.trafficPolicy?.portLevelSettings.find((s) => s.port?.value === port);
    const liveLevel = tlsForPort(live, port);
    const liveMode = liveLevel.portLevel ? liveLevel.tls?.mode : undefined;
    if (fileLevel?.tls?.mode?.value !== liveMode) {
      push({
        ...id,
        field: `spec.trafficPolicy.portLevelSettings[${port}].tls.mode`,
        file: fileLevel?.tls?.mode?.value,
        cluster: liveMode,
        location: locate(at, fileLevel?.tls?.mode ?? fileLevel?.port ?? r.name),
      });
    }
  }
}

/**
 * Compares the file's Service, Endpoints and the DestinationRules on the Service's host (or its ExternalName
 * target) with the cluster's. `namespace` is where the Service is probed; file resources without a namespace
 * are taken to be applied there.
 */
export function detectDrift(model: ProbeFileModel | undefined, live: LiveState, namespace: string, clusterDomain: string): Drift {
  if (!model || (!model.service && !model.endpoints && !model.destinationRules?.length)) return { compared: false, items: [] };
  const items: DriftItem[] = [];
  const push = pusher(items);
  if (model.service) compareService(model.service, live.service, namespace, push);
  if (model.endpoints) compareEndpoints(model.endpoints, live.endpoints, namespace, push);
  const serviceName = model.service?.resource.name?.value ?? live.service?.name;
  const hosts = new Set<string>();
  if (serviceName) hosts.add(serviceFqdn(serviceName, namespace, clusterDomain));
  for (const external of [model.service?.resource.externalName?.value, live.service?.externalName]) if (external) hosts.add(external.toLowerCase());
  for (const at of model.destinationRules ?? []) {
    const ruleNamespace = fileNamespace(at.resource, namespace);
    const host = at.resource.host?.value;
    if (!host || !hosts.has(expandHost(host, ruleNamespace, clusterDomain))) continue;
    const name = at.resource.name?.value ?? '';
    compareDestinationRule(
      at,
      live.destinationRules.find((d) => d.name === name && d.namespace === ruleNamespace),
      ruleNamespace,
      push,
    );
  }
  return { compared: true, items };
}

/** The line the UI shows first when the cluster differs from the file. */
export function driftHeadline(drift: Drift): string | undefined {
  if (!drift.compared || drift.items.length === 0) return undefined;
  return `The cluster has not got this file's version (${drift.items.length} difference${drift.items.length === 1 ? '' : 's'}); the probe tests what is in the cluster.`;
}
