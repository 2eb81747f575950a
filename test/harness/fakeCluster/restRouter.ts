/**
 * The REST routes of the fake API server: health, version and discovery, then GET of the served resources (one
 * object, or a list filtered by namespace and selectors; as JSON, or as a Table for `kubectl get` without -o). Every
 * other method is refused: the cluster is read-only. Exec upgrades are not routed here (see ./podExec.ts).
 */
import type * as http from 'node:http';
import { isAuthorized, json, notFound, PATH_NOT_FOUND, status, UNAUTHORIZED } from './replies';
import { ENDPOINTS_WARNING, GROUPS, groupOf, gv, RESOURCES, SERVER_VERSION, VERBS } from './resourceTypes';
import { parseFieldSelector, parseLabelSelector, type Requirement } from './selectors';
import { typeOfObject, type ObjectStore } from './store';
import { toTable, wantsTable } from './tables';
import type { KubeObject, RequestRecord } from './types';

function resourceList(group: string, version: string): unknown {
  return {
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
  };
}

function apiGroup(group: string): unknown {
  const versions = [...new Set(RESOURCES.filter((r) => r.group === group).flatMap((r) => r.versions))].map((v) => ({ groupVersion: gv(group, v), version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

function serveObject(obj: KubeObject, version: string): KubeObject {
  const copy = structuredClone(obj);
  copy.apiVersion = gv(groupOf(obj.apiVersion)[0], version);
  return copy;
}

export class RestRouter {
  /** The server's port, set once it listens: discovery names the server's address. */
  port = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly token: string,
    private readonly requests: RequestRecord[],
  ) {}

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = isAuthorized(req, this.token);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, authorized: ok });
    if (!ok) return json(res, 401, UNAUTHORIZED);
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/healthz' || p === '/readyz' || p === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (req.method !== 'GET') return json(res, 405, status(405, 'MethodNotAllowed', 'the fake cluster is read-only: the server does not allow this method on the requested resource', {}));
    if (p === '/version') return json(res, 200, SERVER_VERSION);
    if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
    if (p === '/apis') return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map((g) => apiGroup(g)) });
    const seg = p.split('/').slice(1).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg[1] === 'v1') [group, version, rest] = ['', 'v1', seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length === 2 && GROUPS.includes(seg[1])) return json(res, 200, apiGroup(seg[1]));
    else if (seg[0] === 'apis' && seg.length >= 3 && RESOURCES.some((r) => r.group === seg[1] && r.versions.includes(seg[2]))) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
    else return json(res, 404, PATH_NOT_FOUND);
    if (rest.length === 0) return json(res, 200, resourceList(group, version));

    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, plural, name, sub] = [rest[1], rest[2], rest[3], rest[4]];
    else [plural, name, sub] = [rest[0], rest[1], rest[2]];
    if (rest.length > (namespace !== undefined ? 5 : 3)) return json(res, 404, PATH_NOT_FOUND);
    const rt = RESOURCES.find((r) => r.group === group && r.versions.includes(version) && r.plural === plural);
    if (!rt || (namespace !== undefined && !rt.namespaced) || (namespace === undefined && name !== undefined && rt.namespaced)) return json(res, 404, PATH_NOT_FOUND);
    const warn: Record<string, string> = rt.kind === 'Endpoints' ? { Warning: ENDPOINTS_WARNING } : {};
    if (sub !== undefined) {
      if (rt.kind === 'Pod' && (sub === 'exec' || sub === 'attach')) {
        const obj = this.store.find(rt, namespace, name);
        if (!obj) return json(res, 404, notFound(rt, name));
        return json(res, 400, status(400, 'BadRequest', 'Upgrade request required', {}));
      }
      return json(res, 404, PATH_NOT_FOUND);
    }
    if (name !== undefined) {
      const obj = this.store.find(rt, namespace, name);
      if (!obj) return json(res, 404, notFound(rt, name), warn);
      return json(res, 200, wantsTable(req) ? toTable(rt.kind, [obj], String(this.store.revision)) : serveObject(obj, version), warn);
    }
    let labelReqs: Requirement[];
    let fieldReqs: ((obj: KubeObject) => boolean)[];
    try {
      labelReqs = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
      fieldReqs = parseFieldSelector(url.searchParams.get('fieldSelector') ?? '');
    } catch (err) {
      return json(res, 400, status(400, 'BadRequest', (err as Error).message, {}));
    }
    const selected = this.store
      .all()
      .filter((o) => typeOfObject(o) === rt)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter((o) => labelReqs.every((r) => r(o.metadata.labels ?? {})))
      .filter((o) => fieldReqs.every((r) => r(o)))
      .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    if (wantsTable(req)) return json(res, 200, toTable(rt.kind, selected, String(this.store.revision)), warn);
    const items = selected.map((o) => {
      const copy = serveObject(o, version);
      // Items of a list carry no apiVersion/kind on a real server... except they do for CRDs; core types omit them.
      if (rt.group === '' || rt.group === 'discovery.k8s.io') {
        delete (copy as Partial<KubeObject>).apiVersion;
        delete (copy as Partial<KubeObject>).kind;
      }
      return copy;
    });
    return json(res, 200, { kind: `${rt.kind}List`, apiVersion: gv(group, version), metadata: { resourceVersion: String(this.store.revision) }, items }, warn);
  }
}
