import { configMap, destinationRule, endpoints, service, serviceEntry, virtualService, type Metadata, type ServicePort } from './manifests';
import type { Draws } from './random';

/**
 * Random egress documents drawn from small pools of names, so that resources keep running into each other: the same
 * Service named from several namespaces, DestinationRule hosts in every form (short, `name.ns`, FQDN, upper case,
 * trailing dot, wildcards, empty), ServiceEntries with exact and wildcard hosts, ExternalName targets, routes, and
 * DestinationRule names a guard-rule fix would pick. For tests that hold the incremental analysis to a full one.
 * The YAML text comes from the builders the benchmark and the fuzzer share (`./manifests/`); this file draws the values.
 */
const NAMESPACES = ['default', 'shop', 'istio-system', ''] as const;
// `db.v2` is no valid Service name, but a workspace may hold one: its FQDN is no `name.ns.svc…` a DR host parses back.
const SERVICES = ['api', 'db', 'mail', 'api-tls', 'db.v2'] as const;
const EXTERNAL = ['mail.example.com', 'api.example.com', 'x.example.org', 'MAIL.example.com.'] as const;
const WILDCARDS = ['*.example.com', '*', '*.svc.cluster.local', '*.shop.svc.cluster.local', '*example.com', '*.example.org'] as const;
const RULE_NAMES = ['api', 'api-tls', 'db-tls-2', 'mail.example.com', 'mail.example.com-tls', 'dr-1', 'dr-2'] as const;
const MODES = ['DISABLE', 'SIMPLE', 'ISTIO_MUTUAL', 'MUTUAL'] as const;

/** The namespace is drawn after the name, and `''` leaves it out. */
function metadata(rng: Draws, name: string): Metadata {
  const namespace = rng.pick(NAMESPACES);
  return { name, namespace: namespace || undefined };
}

/** A host naming a Service or an external name, in any of the forms people write. */
function anyHost(rng: Draws): string {
  const service = rng.pick(SERVICES);
  const namespace = rng.pick(NAMESPACES) || 'default';
  return rng.pick([
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
    `${service.toUpperCase()}.${namespace}.svc.cluster.local.`,
    rng.pick(EXTERNAL),
    rng.pick(WILDCARDS),
    '""',
  ]);
}

// Each builder's values are drawn in the order the lines were once written, so every seed keeps its documents.

function randomService(rng: Draws): string {
  const name = rng.pick(SERVICES);
  const kind = rng.between(0, 2);
  const externalName = kind === 0 ? rng.pick(EXTERNAL) : undefined;
  const selector = kind === 1 ? { app: name } : undefined;
  const port = rng.pick<ServicePort>([
    { name: 'tls', port: 443 },
    { name: 'http', port: 80 },
    { name: 'https', port: 443, targetPort: 443 },
  ]);
  return service({ metadata: metadata(rng, name), externalName, selector, ports: [port] }).join('\n');
}

function randomEndpoints(rng: Draws): string {
  const meta = metadata(rng, rng.pick(SERVICES));
  return endpoints({ metadata: meta, addresses: ['192.0.2.10'], ports: [{ name: rng.pick(['tls', 'http', 'db']), port: 443 }] }).join('\n');
}

function randomDestinationRule(rng: Draws): string {
  const tls = { mode: rng.pick(MODES) };
  const trafficPolicy = rng.chance(0.3) ? { portLevelSettings: [{ port: 443, tls }] } : { tls };
  const meta = metadata(rng, rng.pick(RULE_NAMES));
  const host = anyHost(rng);
  const exportTo = rng.chance(0.15) ? ['.'] : undefined;
  const workloadLabels = rng.chance(0.1) ? { app: 'client' } : undefined;
  return destinationRule({ metadata: meta, host, exportTo, workloadLabels, trafficPolicy }).join('\n');
}

function randomServiceEntry(rng: Draws): string {
  // Quoted: a bare `*.example.com` would read as an alias.
  const hosts = Array.from({ length: rng.between(1, 2) }, () => `"${rng.chance(0.25) ? rng.pick(WILDCARDS) : rng.pick(EXTERNAL)}"`);
  const meta = metadata(rng, `se-${rng.between(1, 3)}`);
  const location = rng.chance(0.2) ? 'MESH_INTERNAL' : undefined;
  const ports = [{ number: 443, name: 'tls', protocol: rng.pick(['TLS', 'HTTPS', 'HTTP']) }];
  return serviceEntry({ metadata: meta, hosts, location, resolution: 'DNS', ports }).join('\n');
}

function randomVirtualService(rng: Draws): string {
  const meta = metadata(rng, `vs-${rng.between(1, 3)}`);
  const hosts = [rng.pick(SERVICES)];
  return virtualService({ metadata: meta, hosts, httpRouteHosts: [anyHost(rng)] }).join('\n');
}

const NOTES = configMap({ name: 'notes' }, [{ key: 'a', style: '|', lines: ['---', 'not a document'] }]).join('\n');
const OTHER = [NOTES, '# only a comment', ''];

/** One random document (no trailing newline). */
export function randomDocument(rng: Draws): string {
  const roll = rng.next();
  if (roll < 0.25) return randomDestinationRule(rng);
  if (roll < 0.45) return randomService(rng);
  if (roll < 0.6) return randomServiceEntry(rng);
  if (roll < 0.72) return randomEndpoints(rng);
  if (roll < 0.85) return randomVirtualService(rng);
  return rng.pick(OTHER);
}
