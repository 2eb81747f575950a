import { expandHost, ROOT_NAMESPACE, serviceOfHost } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type Located, type PeerAuthenticationResource, type ServicePort, type ServiceResource, type TrafficPolicy } from '../model/resources';
import { tlsPlacements } from '../model/tls';
import type { Severity } from '../findings';
import { destinationOf } from '../workspace/destinations';
import type { PlacedResource } from '../workspace/placed';
import { ask, namespaceKey, type Relation } from '../workspace/relation';
import { RULE_DESTINATION } from '../workspace/relations';
import type { WorkspaceFinding, WorkspaceRule } from './rule';

type Labels = Readonly<Record<string, string>>;
type PeerAuthentication = PlacedResource<PeerAuthenticationResource>;
type Mode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

const hasDisable = (resource: DestinationRuleResource): boolean => tlsPlacements(resource).some((p) => p.mode?.value === 'DISABLE');

/**
 * The PeerAuthentications that may apply to the pods a DISABLE rule sends to: those of the namespace its host names,
 * and of the root namespace. Only rules that turn TLS off ask (the partition joins readers of a key only when some
 * PeerAuthentication is stored under it).
 */
export const RULE_PEER_AUTHENTICATIONS: Relation = {
  name: "the PeerAuthentications of a DISABLE rule's pods",
  asks(resource, clusterDomain, sink) {
    if (resource.kindName !== 'DestinationRule' || !resource.host || !hasDisable(resource)) return;
    const service = serviceOfHost(expandHost(resource.host.value, namespaceOf(resource), clusterDomain), clusterDomain);
    if (!service) return;
    sink.key(namespaceKey('PeerAuthentication', service.namespace));
    sink.key(namespaceKey('PeerAuthentication', ROOT_NAMESPACE));
  },
};

function modeOf(located: Located<string> | undefined): Mode | undefined {
  const value = located?.value;
  // UNSET, a missing mode and anything else inherit from the level above.
  return value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE' ? value : undefined;
}

/** One way the PeerAuthentications may combine (Istio picks the oldest of a level, which the files do not tell). */
interface Outcome {
  readonly mode: Mode;
  readonly level: 'default' | 'mesh' | 'namespace' | 'workload';
  readonly by?: PeerAuthentication;
  readonly at?: Located<string>;
}

/** Each level replaces the mode above it unless its mode is UNSET; with several at one level, any may be the one. */
function inherit(previous: readonly Outcome[], candidates: readonly PeerAuthentication[], level: Outcome['level']): Outcome[] {
  if (candidates.length === 0) return [...previous];
  return candidates.flatMap((pa) => {
    const mode = modeOf(pa.resource.mtlsMode);
    return mode && pa.resource.mtlsMode ? [{ mode, level, by: pa, at: pa.resource.mtlsMode }] : previous;
  });
}

/** Whether a selector surely selects pods that carry `known` (`true`), surely not (`false`), or may (`undefined`). */
function selectsPods(selector: Labels, known: Labels): boolean | undefined {
  let sure = true;
  for (const [key, value] of Object.entries(selector)) {
    const has = known[key];
    if (has === undefined) sure = false;
    else if (has !== value) return false;
  }
  return sure ? true : undefined;
}

/**
 * Every mode the workload port may get from the PeerAuthentications of the files (Istio's `ComposePeerAuthentication`:
 * PERMISSIVE, then the mesh, namespace and workload levels, then the workload policy's `portLevelMtls` for the port).
 * `podLabels` are labels every pod of the destination carries; `podPort` the container port, undefined when unknown.
 */
function outcomes(namespace: string, local: readonly PeerAuthentication[], mesh: readonly PeerAuthentication[], podLabels: Labels, podPort: number | undefined): Outcome[] {
  let out: Outcome[] = [{ mode: 'PERMISSIVE', level: 'default' }];
  out = inherit(
    out,
    mesh.filter((pa) => !pa.resource.selector),
    'mesh',
  );
  // In the root namespace, only the mesh-wide policy counts (a selector policy there is ignored).
  if (namespace === ROOT_NAMESPACE) return out;
  out = inherit(
    out,
    local.filter((pa) => !pa.resource.selector),
    'namespace',
  );
  const sure: PeerAuthentication[] = [];
  const maybe: PeerAuthentication[] = [];
  for (const pa of local) {
    const selector = pa.resource.selector;
    if (!selector) continue;
    const selects = selectsPods(selector.value, podLabels);
    if (selects === true) sure.push(pa);
    else if (selects === undefined) maybe.push(pa);
  }
  const choices: (PeerAuthentication | undefined)[] = [...sure, ...maybe, ...(sure.length === 0 ? [undefined] : [])];
  return choices.flatMap((pa) =>
    out.flatMap((above): Outcome[] => {
      if (!pa) return [above];
      const mode = modeOf(pa.resource.mtlsMode);
      const workload: Outcome = mode && pa.resource.mtlsMode ? { mode, level: 'workload', by: pa, at: pa.resource.mtlsMode } : above;
      const ports = pa.resource.portLevelMtls;
      const resolve = (entry: (typeof ports)[number]): Outcome => {
        const portMode = modeOf(entry.mode);
        return portMode && entry.mode ? { mode: portMode, level: 'workload', by: pa, at: entry.mode } : workload;
      };
      if (podPort === undefined) return [workload, ...ports.map(resolve)];
      const entry = ports.find((p) => p.port.value === podPort);
      return [entry ? resolve(entry) : workload];
    }),
  );
}

/** The container port a Service port sends to: its numeric targetPort, else its own number; undefined when named. */
function podPortOf(port: ServicePort | undefined): number | undefined {
  if (!port) return undefined;
  const target = port.targetPort?.value;
  if (typeof target === 'string') return /^\d+$/.test(target) ? Number(target) : undefined;
  return target ?? port.port?.value;
}

/** The Service ports a `tls` block applies to: one port, or every port without port-level settings of its own. */
function portsOf(service: ServiceResource, policy: TrafficPolicy, port: number | undefined): readonly (ServicePort | undefined)[] {
  if (port !== undefined) return service.ports.filter((p) => p.port?.value === port);
  // A port-level entry replaces the whole policy for its port, `tls` included (istio/istio MergeTrafficPolicy).
  const own = new Set(policy.portLevelSettings.flatMap((s) => (s.port ? [s.port.value] : [])));
  const ports = service.ports.filter((p) => p.port === undefined || !own.has(p.port.value));
  return service.ports.length === 0 ? [undefined] : ports;
}

interface Verdict {
  readonly severity: Severity;
  readonly ports: readonly number[];
  readonly by: PeerAuthentication;
  readonly at: Located<string>;
}

/** Whether every way the files' PeerAuthentications combine makes these ports STRICT, and how sure that is. */
function strictFor(
  ports: readonly (ServicePort | undefined)[],
  namespace: string,
  local: readonly PeerAuthentication[],
  mesh: readonly PeerAuthentication[],
  podLabels: Labels,
): Verdict | undefined {
  const strict: number[] = [];
  let found: Outcome[] = [];
  for (const port of ports) {
    const all = outcomes(namespace, local, mesh, podLabels, podPortOf(port));
    if (all.length === 0 || !all.every((o) => o.mode === 'STRICT')) continue;
    if (port?.port) strict.push(port.port.value);
    found = [...found, ...all];
  }
  // Name the policy that surely applies: the mesh-wide one when it decides somewhere, else a namespace-wide one, else
  // the first (a workload policy that surely selects the pods comes first).
  const first = found.find((o) => o.level === 'mesh') ?? found.find((o) => o.level === 'namespace') ?? found[0];
  if (!first?.by || !first.at) return undefined;
  // Only the mesh-wide policy says STRICT: a namespace policy outside the files would override it.
  const severity: Severity = found.some((o) => o.level === 'mesh') ? 'warning' : 'error';
  return { severity, ports: strict, by: first.by, at: first.at };
}

/**
 * docs/rules/EGR425.md: a DestinationRule `tls.mode: DISABLE` makes clients send plain text; when the destination's
 * pods only accept mutual TLS (a STRICT PeerAuthentication), their sidecar resets every such connection.
 */
export const disableTowardStrict: WorkspaceRule = {
  code: 'EGR425',
  name: 'disable-toward-strict',
  title: 'tls.mode DISABLE toward workloads whose PeerAuthentication is STRICT',
  severity: 'error',
  scope: 'workspace',
  reads: [RULE_DESTINATION, RULE_PEER_AUTHENTICATIONS],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      if (!hasDisable(rule.resource)) continue;
      const target = destinationOf(rule, index, options);
      if (target?.kind !== 'service') continue;
      const service = target.service.resource;
      // Only a Service that selects pods has sidecars behind it (ExternalName and hand-written Endpoints have none).
      const selector = service.selector?.value;
      if (!selector || service.type?.value === 'ExternalName') continue;
      // The pods are in the Service's namespace; a Service written without one, found by a host naming another, may be anywhere.
      const namespace = namespaceOf(service);
      if (serviceOfHost(target.host, options.clusterDomain)?.namespace !== namespace) continue;
      const through = ask(RULE_PEER_AUTHENTICATIONS, rule);
      const local = index.peerAuthenticationsIn(namespace, through);
      const mesh = namespace === ROOT_NAMESPACE ? local : index.peerAuthenticationsIn(ROOT_NAMESPACE, through);
      if (local.length === 0 && mesh.length === 0) continue;
      const policies: { readonly policy: TrafficPolicy; readonly labels: Labels; readonly subset?: string }[] = [];
      if (rule.resource.trafficPolicy) policies.push({ policy: rule.resource.trafficPolicy, labels: selector });
      for (const subset of rule.resource.subsets) {
        if (subset.trafficPolicy) policies.push({ policy: subset.trafficPolicy, labels: { ...selector, ...subset.labels?.value }, subset: subset.name?.value ?? '' });
      }
      for (const { policy, labels, subset } of policies) {
        const blocks = [...(policy.tls ? [{ tls: policy.tls, port: undefined }] : []), ...policy.portLevelSettings.flatMap((s) => (s.tls ? [{ tls: s.tls, port: s.port?.value }] : []))];
        for (const { tls, port } of blocks) {
          if (tls.mode?.value !== 'DISABLE') continue;
          const verdict = strictFor(portsOf(service, policy, port), namespace, local, mesh, labels);
          if (!verdict) continue;
          report(findingOf(verdict, tls.mode, service, subset, rule));
        }
      }
    }
  },
};

function findingOf(verdict: Verdict, mode: Located<string>, service: ServiceResource, subset: string | undefined, rule: PlacedResource): WorkspaceFinding {
  const pa = verdict.by.resource;
  const where = pa.selector
    ? `(selecting these pods in '${namespaceOf(pa)}')`
    : namespaceOf(pa) === ROOT_NAMESPACE
      ? `(mesh-wide, in '${ROOT_NAMESPACE}')`
      : `(namespace-wide, in '${namespaceOf(pa)}')`;
  const ports = verdict.ports.length ? ` (port${verdict.ports.length > 1 ? 's' : ''} ${verdict.ports.join(', ')})` : '';
  const what = `${subset === undefined ? '' : `subset '${subset}' of `}Service '${service.name?.value ?? ''}'${ports}`;
  const unless = verdict.severity === 'warning' ? ' Unless a PeerAuthentication of its own namespace relaxes it, the' : ' The';
  return {
    at: rule,
    range: mode.range,
    severity: verdict.severity,
    message: `tls.mode DISABLE sends plain text to ${what}, but PeerAuthentication '${pa.name?.value ?? ''}' ${where} makes its pods accept only mutual TLS (${verdict.at.value}).${unless} server sidecar resets every such connection. Remove the tls block (auto mTLS then sends Istio mTLS) or use ISTIO_MUTUAL; or make the PeerAuthentication PERMISSIVE.`,
    related: [{ at: verdict.by, range: verdict.at.range, message: `PeerAuthentication '${pa.name?.value ?? ''}' (${verdict.at.value})` }],
  };
}
