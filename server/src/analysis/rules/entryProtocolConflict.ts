import { namespaceOf, type ServiceEntryResource } from '../model/resources';
import type { PlacedResource } from '../workspace/placed';
import { ask, hostKey, type Relation } from '../workspace/relation';
import { appliedTogether, nearest, sameObject } from '../workspace/together';
import type { WorkspaceRule } from './rule';

type PlacedEntry = PlacedResource<ServiceEntryResource>;

/** The other ServiceEntries declaring each exact host of an entry. */
const ENTRIES_FOR_SAME_HOST: Relation = {
  name: 'the ServiceEntries of the same host',
  asks(resource, _clusterDomain, sink) {
    if (resource.kindName !== 'ServiceEntry') return;
    for (const written of resource.hosts) {
      const host = written.value.toLowerCase();
      if (!host.startsWith('*')) sink.key(hostKey(host));
    }
  },
};

/**
 * The namespaces an entry is visible in: `*` for all (the default), else those `exportTo` names (`.` is its own, `~`
 * none).
 */
function scopes(entry: ServiceEntryResource): Set<string> {
  const exportTo = entry.exportTo.map((e) => e.value);
  if (exportTo.length === 0 || exportTo.includes('*')) return new Set(['*']);
  return new Set(exportTo.filter((e) => e !== '~').map((e) => (e === '.' ? namespaceOf(entry) : e)));
}

/** Whether some namespace sees both entries. */
function seenTogether(a: ServiceEntryResource, b: ServiceEntryResource): boolean {
  const sa = scopes(a);
  const sb = scopes(b);
  if (sa.size === 0 || sb.size === 0) return false;
  return sa.has('*') || sb.has('*') || [...sa].some((ns) => sb.has(ns));
}

/** The protocol an entry declares for a port number, upper case; undefined when it declares none (not judged). */
function protocolOf(entry: ServiceEntryResource, port: number): string | undefined {
  return entry.ports.find((p) => p.number?.value === port)?.protocol?.value.toUpperCase();
}

/**
 * docs/rules/EGR417.md: two ServiceEntries that one namespace sees declare the same host and port with different
 * protocols; Istio keeps one protocol for a host and port, so traffic meant for the other is handled wrongly. A
 * warning when the files show them applied together (same file or folder), else a hint.
 */
export const entryProtocolConflict: WorkspaceRule = {
  code: 'EGR417',
  name: 'entry-protocol-conflict',
  title: 'Two ServiceEntries declare one host and port with different protocols',
  severity: 'warning',
  scope: 'workspace',
  reads: [ENTRIES_FOR_SAME_HOST],
  check(index, _options, report) {
    for (const entry of index.serviceEntries) {
      const through = ask(ENTRIES_FOR_SAME_HOST, entry);
      for (const written of entry.resource.hosts) {
        if (written.value.startsWith('*')) continue;
        // Other objects only (same kind, namespace and name is a version of this one), each by its nearest version.
        const byObject = new Map<string, PlacedEntry[]>();
        for (const other of index.entriesWithHost(written.value, through)) {
          if (other === entry || sameObject(other.resource, entry.resource) || !seenTogether(entry.resource, other.resource)) continue;
          const name = `${namespaceOf(other.resource)}/${other.resource.name?.value ?? ''}`;
          byObject.set(name, [...(byObject.get(name) ?? []), other]);
        }
        for (const port of entry.resource.ports) {
          const number = port.number?.value;
          const mine = number === undefined ? undefined : protocolOf(entry.resource, number);
          if (number === undefined || !mine || !port.protocol) continue;
          for (const versions of byObject.values()) {
            const other = nearest(entry, versions);
            const theirs = other && protocolOf(other.resource, number);
            if (!other || !theirs || theirs === mine) continue;
            const together = appliedTogether(entry, other);
            const otherPort = other.resource.ports.find((p) => p.number?.value === number);
            report({
              at: entry,
              range: port.protocol.range,
              ...(together ? {} : { severity: 'hint' as const }),
              message: `ServiceEntry '${other.resource.name?.value ?? ''}' declares ${written.value}:${number} as ${theirs}, this one as ${mine}: Istio keeps one protocol for a host and port, so traffic meant for the other is handled as the wrong protocol${together ? '' : ' (if both are applied: the other is in another folder)'}. Declare the port once, or give the entries other hosts.`,
              related: otherPort?.protocol ? [{ at: other, range: otherPort.protocol.range, message: `ServiceEntry '${other.resource.name?.value ?? ''}': ${theirs}` }] : [],
            });
          }
        }
      }
    }
  },
};
