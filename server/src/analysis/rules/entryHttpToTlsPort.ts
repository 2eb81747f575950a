import { honoursTargetPort } from '../model/istioReleases';
import { namespaceOf, type DestinationRuleResource, type Located, type ServiceEntryPort, type ServiceEntryResource } from '../model/resources';
import { tlsFor } from '../model/tls';
import type { AnalysisOptions } from '../options';
import { isMeshExternalEntry } from '../workspace/destinations';
import { appliedRule, clientNamespacesWithOwnRule } from '../workspace/drPrecedence';
import { meshRoutedAway } from '../workspace/gateways';
import type { PlacedResource } from '../workspace/placed';
import { ask, type Ask, type Relation } from '../workspace/relation';
import { ENTRY_HOSTS } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';

/** The wildcard hosts of an entry that has no other: the rules and routes for the wildcard as written. */
const ENTRY_WILDCARD_HOSTS: Relation = {
  name: "a ServiceEntry's wildcard hosts",
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'ServiceEntry' || resource.hosts.some((h) => h.value !== '' && !h.value.startsWith('*'))) return;
    for (const written of resource.hosts) if (written.value.startsWith('*.')) sink.host(written.value.toLowerCase());
  },
};

/** The port servers speak TLS on. */
const TLS_PORT = 443;

/** Protocols a sidecar sends as plain text (HTTP/1.1, HTTP/2 cleartext, gRPC on either). */
const PLAIN_HTTP = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/** Resolutions whose `endpoints[].ports` override the port's `targetPort`. */
const WITH_ENDPOINTS = new Set(['DNS', 'DNS_ROUND_ROBIN', 'STATIC']);

type PlacedRule = PlacedResource<DestinationRuleResource>;

/**
 * Where a port's traffic is sent to 443 by a port other than its own number: the endpoint's own `ports` value, else
 * the honoured `targetPort` (docs/istio-behaviour.md#serviceentry-targetport). One value per place. A port numbered
 * 443 itself is left alone: there the application may be speaking TLS on a port declared HTTP, another mistake.
 */
function tlsPortTargets(entry: ServiceEntryResource, port: ServiceEntryPort, istioVersion: string): Located<number>[] {
  if (port.number?.value === TLS_PORT) return [];
  const resolution = entry.resolution?.value ?? 'NONE';
  const base = honoursTargetPort(resolution, istioVersion) ? port.targetPort : undefined;
  const name = port.name?.value;
  const targets =
    WITH_ENDPOINTS.has(resolution) && entry.endpoints.length > 0 ? entry.endpoints.map((endpoint) => endpoint.ports.find((p) => p.name === name && p.port.value > 0)?.port ?? base) : [base];
  return [...new Set(targets)].filter((t): t is Located<number> => t?.value === TLS_PORT);
}

/** The TLS mode a rule gives traffic to `port`: without a subset, and in each subset (a route may pick one). */
function modesAt(rule: DestinationRuleResource, port: number): (string | undefined)[] {
  return [undefined, ...rule.subsets.map((s) => s.name?.value ?? '')].map((subset) => tlsFor(rule, port, subset)?.mode?.value);
}

const originates = (mode: string | undefined): boolean => mode === 'SIMPLE' || mode === 'MUTUAL';

interface HostVerdict {
  readonly host: Located<string>;
  /** The rules Istio applies to the host for some client namespace; none of them originates TLS on the port. */
  readonly rules: readonly PlacedRule[];
}

/**
 * The rules that apply to `host` for clients anywhere: in a namespace without rules of its own (the entry's namespace,
 * then the root's), in the entry's namespace, and in each namespace holding a rule for the host
 * (docs/istio-behaviour.md#which-destinationrule-applies). Undefined when one of them originates TLS on the port (some
 * clients get it: the setup is meant), or sends Istio mutual TLS (EGR402's case).
 */
function verdict(entry: PlacedResource<ServiceEntryResource>, host: Located<string>, port: number, index: WorkspaceIndex, options: AnalysisOptions, via: Ask): HostVerdict | undefined {
  const name = host.value.toLowerCase();
  const namespace = namespaceOf(entry.resource);
  const clients = [undefined, namespace, ...clientNamespacesWithOwnRule(name, namespace, index, options, via)];
  const rules: PlacedRule[] = [];
  for (const client of clients) {
    const applied = appliedRule(name, namespace, index, options, client, undefined, entry, via);
    if (!applied) continue;
    const modes = modesAt(applied.rule.resource, port);
    if (modes.some((m) => originates(m) || m === 'ISTIO_MUTUAL')) return undefined;
    if (!rules.includes(applied.rule)) rules.push(applied.rule);
  }
  return { host, rules };
}

function ruleName(rule: PlacedRule): string {
  return `DestinationRule '${rule.resource.name?.value ?? ''}'`;
}

/**
 * docs/rules/EGR422.md: a ServiceEntry port whose protocol is plain HTTP and whose traffic goes to port 443 (through
 * `targetPort` or an endpoint's `ports`) needs a DestinationRule that originates TLS on it: without one
 * the sidecar sends plain HTTP to the server's TLS port.
 */
export const entryHttpToTlsPort: WorkspaceRule = {
  code: 'EGR422',
  name: 'entry-http-to-tls-port',
  title: 'An HTTP port of a ServiceEntry sends plain HTTP to port 443',
  severity: 'warning',
  scope: 'workspace',
  reads: [ENTRY_HOSTS, ENTRY_WILDCARD_HOSTS],
  check(index, options, report) {
    for (const entry of index.serviceEntries) {
      const resource = entry.resource;
      // Workloads selected in the mesh, or endpoints inside it, take Istio mutual TLS from their own sidecars.
      if (!isMeshExternalEntry(resource) || resource.workloadSelectorKey) continue;
      const exact = resource.hosts.filter((h) => h.value !== '' && !h.value.startsWith('*'));
      // An entry of wildcard hosts only is judged for its wildcard, as a hint: the files do not show which hosts
      // under it the applications call, nor rules for those hosts alone.
      const wildcard = exact.length === 0;
      const hosts = wildcard ? resource.hosts.filter((h) => h.value.startsWith('*.')) : exact;
      if (hosts.length === 0) continue;
      const via = ask(wildcard ? ENTRY_WILDCARD_HOSTS : ENTRY_HOSTS, entry);
      for (const port of resource.ports) {
        const protocol = port.protocol?.value.toUpperCase();
        const number = port.number?.value;
        if (!protocol || !PLAIN_HTTP.has(protocol) || number === undefined) continue;
        const targets = tlsPortTargets(resource, port, options.istioVersion);
        if (targets.length === 0) continue;
        // Hosts whose traffic some client sends with TLS are left alone; the others are named.
        const found = hosts.flatMap((h) => (meshRoutedAway(h.value.toLowerCase(), number, index, options, via) ? [] : (verdict(entry, h, number, index, options, via) ?? [])));
        if (found.length === 0) continue;
        const rules = [...new Set(found.flatMap((v) => v.rules))];
        const names = found.map((v) => `'${v.host.value}'`).join(', ');
        const what = `Port ${number} (${port.protocol?.value ?? protocol}) sends to port ${TLS_PORT} of ${names}`;
        const fix = `Originate TLS with tls.mode: SIMPLE for port ${number} (portLevelSettings) in a DestinationRule for the host, or declare the port as HTTPS and let the application speak TLS.`;
        const [first] = rules;
        for (const target of targets) {
          const where = target === port.targetPort ? ' (targetPort)' : " (an endpoint's ports)";
          report({
            at: entry,
            range: target.range,
            message: first
              ? `${what}${where}, but ${rules.map(ruleName).join(' and ')}, which Istio applies to it, does not originate TLS there: the sidecar sends plain HTTP to a TLS port, and the server rejects it or closes the connection. ${fix}`
              : `${what}${where}, and no DestinationRule in these files originates TLS for it: unless one elsewhere does, the sidecar sends plain HTTP to a TLS port. ${fix}`,
            ...(first && !wildcard ? {} : { severity: 'hint' as const }),
            related: rules.flatMap((r) => (r.resource.host ? [{ at: r, range: r.resource.host.range, message: ruleName(r) }] : [])),
          });
        }
      }
    }
  },
};
