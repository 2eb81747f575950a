import type { Draws } from './random';

/**
 * Random egress documents drawn from small pools of names, so that resources keep running into each other: the same
 * Service named from several namespaces, DestinationRule hosts in every form (short, `name.ns`, FQDN, upper case,
 * trailing dot, wildcards, empty), ServiceEntries with exact and wildcard hosts, ExternalName targets, routes, and
 * DestinationRule names a guard-rule fix would pick. For tests that hold the incremental analysis to a full one.
 */
const NAMESPACES = ['default', 'shop', 'istio-system', ''] as const;
// `db.v2` is no valid Service name, but a workspace may hold one: its FQDN is no `name.ns.svc…` a DR host parses back.
const SERVICES = ['api', 'db', 'mail', 'api-tls', 'db.v2'] as const;
const EXTERNAL = ['mail.example.com', 'api.example.com', 'x.example.org', 'MAIL.example.com.'] as const;
const WILDCARDS = ['*.example.com', '*', '*.svc.cluster.local', '*.shop.svc.cluster.local', '*example.com', '*.example.org'] as const;
const RULE_NAMES = ['api', 'api-tls', 'db-tls-2', 'mail.example.com', 'mail.example.com-tls', 'dr-1', 'dr-2'] as const;
const MODES = ['DISABLE', 'SIMPLE', 'ISTIO_MUTUAL', 'MUTUAL'] as const;

function metadata(rng: Draws, name: string): string[] {
  const namespace = rng.pick(NAMESPACES);
  return ['metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : [])];
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

function service(rng: Draws): string {
  const name = rng.pick(SERVICES);
  const kind = rng.between(0, 2);
  const spec = kind === 0 ? ['  type: ExternalName', `  externalName: ${rng.pick(EXTERNAL)}`] : kind === 1 ? ['  selector:', `    app: ${name}`] : [];
  const port = rng.pick([
    ['  - name: tls', '    port: 443'],
    ['  - name: http', '    port: 80'],
    ['  - name: https', '    port: 443', '    targetPort: 443'],
  ]);
  return ['apiVersion: v1', 'kind: Service', ...metadata(rng, name), 'spec:', ...spec, '  ports:', ...port].join('\n');
}

function endpoints(rng: Draws): string {
  return [
    'apiVersion: v1',
    'kind: Endpoints',
    ...metadata(rng, rng.pick(SERVICES)),
    'subsets:',
    '- addresses:',
    '  - ip: 192.0.2.10',
    '  ports:',
    `  - name: ${rng.pick(['tls', 'http', 'db'])}`,
    '    port: 443',
  ].join('\n');
}

function destinationRule(rng: Draws): string {
  const mode = rng.pick(MODES);
  const tls = rng.chance(0.3) ? ['    portLevelSettings:', '    - port:', '        number: 443', '      tls:', `        mode: ${mode}`] : ['    tls:', `      mode: ${mode}`];
  return [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    ...metadata(rng, rng.pick(RULE_NAMES)),
    'spec:',
    `  host: ${anyHost(rng)}`,
    ...(rng.chance(0.15) ? ['  exportTo:', '  - .'] : []),
    ...(rng.chance(0.1) ? ['  workloadSelector:', '    matchLabels:', '      app: client'] : []),
    '  trafficPolicy:',
    ...tls,
  ].join('\n');
}

function serviceEntry(rng: Draws): string {
  const hosts = Array.from({ length: rng.between(1, 2) }, () => (rng.chance(0.25) ? rng.pick(WILDCARDS) : rng.pick(EXTERNAL)));
  return [
    'apiVersion: networking.istio.io/v1',
    'kind: ServiceEntry',
    ...metadata(rng, `se-${rng.between(1, 3)}`),
    'spec:',
    '  hosts:',
    ...hosts.map((h) => `  - "${h}"`),
    ...(rng.chance(0.2) ? ['  location: MESH_INTERNAL'] : []),
    '  ports:',
    '  - number: 443',
    '    name: tls',
    `    protocol: ${rng.pick(['TLS', 'HTTPS', 'HTTP'])}`,
    '  resolution: DNS',
  ].join('\n');
}

function virtualService(rng: Draws): string {
  return [
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    ...metadata(rng, `vs-${rng.between(1, 3)}`),
    'spec:',
    '  hosts:',
    `  - ${rng.pick(SERVICES)}`,
    '  http:',
    '  - route:',
    '    - destination:',
    `        host: ${anyHost(rng)}`,
  ].join('\n');
}

const OTHER = ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: |\n    ---\n    not a document', '# only a comment', ''];

/** One random document (no trailing newline). */
export function randomDocument(rng: Draws): string {
  const roll = rng.next();
  if (roll < 0.25) return destinationRule(rng);
  if (roll < 0.45) return service(rng);
  if (roll < 0.6) return serviceEntry(rng);
  if (roll < 0.72) return endpoints(rng);
  if (roll < 0.85) return virtualService(rng);
  return rng.pick(OTHER);
}
