/** Server-side printing: `kubectl get` without -o asks for meta.k8s.io Tables, one column set per kind. */
import type * as http from 'node:http';
import type { KubeObject } from './types';

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
        {
          name: 'Endpoints',
          cell: (o) =>
            joinOr(
              list(o.subsets).flatMap((s) =>
                list(s.addresses).flatMap((a) => {
                  const ports = list(s.ports);
                  return ports.length ? ports.map((p) => `${String(a.ip)}:${String(p.port)}`) : [String(a.ip)];
                }),
              ),
            ),
        },
        AGE,
      ];
    case 'EndpointSlice':
      return [
        NAME,
        { name: 'AddressType', cell: (o) => String(o.addressType ?? '') },
        {
          name: 'Ports',
          cell: (o) =>
            joinOr(
              list(o.ports).map((p) => String(p.port)),
              '<unset>',
            ),
        },
        {
          name: 'Endpoints',
          cell: (o) =>
            joinOr(
              list(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as string[]) : [])),
              '<unset>',
            ),
        },
        AGE,
      ];
    case 'Namespace':
      return [NAME, { name: 'Status', cell: (o) => String(field(o, 'status', 'phase') ?? 'Active') }, AGE];
    case 'ConfigMap':
      return [NAME, { name: 'Data', cell: (o) => Object.keys(o.data ?? {}).length }, AGE];
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
export function toTable(kind: string, objs: readonly KubeObject[], resourceVersion: string): unknown {
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

export function wantsTable(req: http.IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}
