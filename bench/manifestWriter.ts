/**
 * The documents of the benchmark inputs, drawn from one seeded stream: the resources an egress setup is made of —
 * ExternalName Services with a ServiceEntry and a DestinationRule on their target, selector-less Services with
 * hand-written Endpoints (IPs from the documentation ranges) and a DestinationRule on the Service, standalone
 * ServiceEntries — with the noise found beside them (Deployments, ConfigMaps with multi-line data), across several
 * namespaces, and a few deliberate mistakes so every checker has something to say.
 *
 * The YAML text comes from the builders shared with the tests and the fuzzer (`test/support/manifests/`); this file
 * decides what to draw, the mistakes and the anchors.
 *
 * The draws are made in a fixed order: moving or adding one changes every input after it (and the tests that count
 * on what a given seed produces), so new draws go after the existing ones.
 */
import * as build from '../test/support/manifests';
import type { Random } from '../test/support/random';

/** A place in a generated file the driver aims requests at (0-based LSP line and character). */
export interface Anchor {
  /** `modeValue`: start of a `tls.mode` value; `modeKey`: the `mode` key; `hostKey`: a DestinationRule's `host` key. */
  readonly type: 'modeValue' | 'modeKey' | 'hostKey';
  readonly line: number;
  readonly character: number;
  /** The value at a `modeValue` anchor. */
  readonly value?: string;
  /** The pinned groups' anchors: `middle` (the edit target) and `end` (last document of the file). */
  readonly role?: 'middle' | 'end';
}

export type MistakeKind = 'istioMutualToSelectorless' | 'badExternalName' | 'loopbackEndpoint' | 'schemaTypo';
const MISTAKE_KINDS: readonly MistakeKind[] = ['istioMutualToSelectorless', 'badExternalName', 'loopbackEndpoint', 'schemaTypo'];

export const NAMESPACES = ['payments', 'shop', 'billing', 'data-platform', 'identity', 'observability', 'egress-demo', 'default'] as const;
const SERVICES = ['geo', 'mail', 'sms', 'search', 'storage', 'auth', 'ledger', 'fx', 'kyc', 'tax', 'crm', 'maps', 'queue', 'translate', 'risk', 'pricing'] as const;
const DATABASES = ['legacy-db', 'mainframe', 'ldap', 'sftp', 'smtp-relay', 'oracle', 'mq', 'redis-ext'] as const;
const TLDS = ['example.com', 'example.net', 'example.org'] as const;
/** RFC 5737 documentation ranges: never routable, always valid for Endpoints. */
const DOC_RANGES = ['192.0.2', '198.51.100', '203.0.113'] as const;
const DB_PORTS: readonly { name: string; port: number }[] = [
  { name: 'tcp-postgres', port: 5432 },
  { name: 'tcp-mysql', port: 3306 },
  { name: 'tls-ldaps', port: 636 },
  { name: 'tcp-sftp', port: 22 },
  { name: 'tls', port: 443 },
  { name: 'tcp-oracle', port: 1521 },
];

export interface Doc {
  readonly lines: string[];
  /** Anchors with `line` relative to the document's first line. */
  readonly anchors: Anchor[];
}

type Role = Anchor['role'];

/** Builds the documents of one or more files from a single seeded stream, so names stay unique across files. */
export class ManifestWriter {
  private counter = 0;
  private readonly pendingMistakes = new Set<MistakeKind>(MISTAKE_KINDS);
  readonly mistakes: Record<MistakeKind, number> = { istioMutualToSelectorless: 0, badExternalName: 0, loopbackEndpoint: 0, schemaTypo: 0 };

  constructor(readonly rng: Random) {}

  /** The first eligible group of each mistake kind carries it, then about one group in 60. */
  private mistake(kind: MistakeKind): boolean {
    const take = this.pendingMistakes.has(kind) || this.rng.chance(1 / 60);
    if (take) {
      this.pendingMistakes.delete(kind);
      this.mistakes[kind]++;
    }
    return take;
  }

  private ns(): string {
    return this.rng.pick(NAMESPACES);
  }

  private ip(): string {
    return `${this.rng.pick(DOC_RANGES)}.${this.rng.between(1, 254)}`;
  }

  /** The namespace is left out for `default` half the time, as people often do. */
  private metadata(name: string, namespace: string, labels?: Record<string, string>): build.Metadata {
    const written = namespace !== 'default' || this.rng.chance(0.5) ? namespace : undefined;
    return { name, namespace: written, labels };
  }

  /** A DestinationRule; `modes` has one entry for a top-level tls block, several for port-level settings. */
  private destinationRule(name: string, namespace: string, host: string, modes: readonly { port?: number; mode: string; sni?: string }[], role?: Role): Doc {
    const metadata = this.metadata(name, namespace);
    const [first] = modes;
    let trafficPolicy: build.TrafficPolicy;
    if (modes.length === 1 && first && first.port === undefined) {
      const connectTimeout = this.rng.chance(0.15) ? this.rng.pick(['1s', '3s', '5s']) : undefined;
      trafficPolicy = { connectTimeout, tls: { mode: first.mode, sni: first.sni } };
    } else {
      trafficPolicy = { portLevelSettings: modes.map((m) => ({ port: m.port ?? 443, tls: { mode: m.mode, sni: m.sni } })) };
    }
    const lines = build.destinationRule({ metadata, host, trafficPolicy });
    return { lines, anchors: ruleAnchors(lines, role) };
  }

  private serviceEntry(
    name: string,
    namespace: string,
    hosts: readonly string[],
    ports: readonly build.ServiceEntryPort[],
    options: { resolution: 'DNS' | 'STATIC' | 'NONE'; addresses?: readonly string[]; endpoints?: readonly string[] },
  ): Doc {
    const metadata = this.metadata(name, namespace);
    const exportTo = this.rng.chance(0.2) ? ['.'] : undefined;
    return { lines: build.serviceEntry({ metadata, hosts, location: 'MESH_EXTERNAL', ports, exportTo, ...options }), anchors: [] };
  }

  /** ExternalName Service, a ServiceEntry for its target and a DestinationRule on the target (3 documents). */
  externalNameGroup(role?: Role): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const what = this.rng.pick(SERVICES);
    const target = `${what}${n}.${this.rng.pick(TLDS)}`;
    const name = `${what}-api-${n}`;
    const bad = role === undefined && this.mistake('badExternalName');
    const tls = this.rng.chance(0.7);
    const port = tls ? { number: 443, name: 'https', protocol: 'TLS' } : { number: 80, name: 'http', protocol: 'HTTP' };
    const service = doc(build.service({ metadata: this.metadata(name, ns), externalName: bad ? `https://${target}/v1` : target, ports: [{ name: port.name, port: port.number }] }));
    const entry = this.serviceEntry(target.replaceAll('.', '-'), ns, [target], [port], { resolution: 'DNS' });
    // Some teams still put the rule on the Service's cluster name, as Istio's pre-1.21 task page did (EGR401).
    const legacyHost = role === undefined && this.rng.chance(0.05);
    const host = legacyHost ? `${name}.${ns}.svc.cluster.local` : target;
    const rule = this.destinationRule(
      legacyHost ? name : target.replaceAll('.', '-'),
      ns,
      host,
      [tls ? { mode: this.typo('SIMPLE', role), sni: target } : { mode: this.typo('DISABLE', role) }],
      role,
    );
    return [service, entry, rule];
  }

  /** Selector-less Service, its Endpoints and a DestinationRule on the Service (3 documents). */
  selectorlessGroup(role?: Role): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const name = `${this.rng.pick(DATABASES)}-${n}`;
    const port = this.rng.pick(DB_PORTS);
    const serviceMetadata = this.metadata(name, ns);
    const targetPort = this.rng.chance(0.3) ? port.port : undefined;
    const service = doc(build.service({ metadata: serviceMetadata, ports: [{ name: port.name, port: port.port, targetPort }] }));
    const addresses = Array.from({ length: this.rng.between(1, 3) }, () => this.ip());
    if (role === undefined && this.mistake('loopbackEndpoint')) addresses.push('127.0.0.1');
    const endpoints = doc(build.endpoints({ metadata: this.metadata(name, ns), addresses, ports: [{ name: port.name, port: port.port }] }));
    // The pinned middle group always uses the cluster FQDN and DISABLE, so toggling it to ISTIO_MUTUAL flips EGR402.
    const fqdn = role !== undefined || this.rng.chance(0.55);
    const host = fqdn ? `${name}.${ns}.svc.cluster.local` : name;
    const mutual = role === undefined && this.mistake('istioMutualToSelectorless');
    const plain = mutual ? 'ISTIO_MUTUAL' : this.typo('DISABLE', role);
    const modes =
      role === undefined && this.rng.chance(0.25)
        ? [
            { port: port.port, mode: plain },
            { port: 8443, mode: 'SIMPLE', sni: `${name}.internal.example` },
          ]
        : [{ mode: plain }];
    const rule = this.destinationRule(name, ns, host, modes, role);
    return [service, endpoints, rule];
  }

  /** A ServiceEntry of its own: DNS hosts, or STATIC with documentation-range addresses (1 document). */
  standaloneServiceEntry(): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const what = this.rng.pick(SERVICES);
    if (this.rng.chance(0.5)) {
      const hosts = [`${what}${n}.partner.${this.rng.pick(TLDS)}`, `${what}${n}-eu.partner.${this.rng.pick(TLDS)}`];
      return [this.serviceEntry(`${what}-partner-${n}`, ns, hosts, [{ number: 443, name: 'tls', protocol: 'TLS' }], { resolution: 'DNS' })];
    }
    const base = this.rng.pick(DOC_RANGES);
    const first = this.rng.between(1, 200);
    return [
      this.serviceEntry(`${what}-static-${n}`, ns, [`${what}${n}.internal.${this.rng.pick(TLDS)}`], [{ number: 8443, name: `tls-${what}`, protocol: 'TLS' }], {
        resolution: 'STATIC',
        addresses: [`${base}.${first}/32`],
        endpoints: [`${base}.${first}`, `${base}.${first + 1}`],
      }),
    ];
  }

  /** A Deployment of a workload that calls out (1 document). */
  deployment(): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const app = `${this.rng.pick(['checkout', 'invoicer', 'notifier', 'indexer', 'reporter', 'gateway'])}-${n}`;
    const callee = `${this.rng.pick(SERVICES)}-api-${this.rng.between(1, Math.max(1, n))}`;
    // The draws in the order the lines were once written, so every seed keeps its bytes.
    const metadata = this.metadata(app, ns, { app });
    const replicas = this.rng.between(1, 4);
    const image = `registry.example.com/${ns}/${app.replace(/-\d+$/, '')}:1.${this.rng.between(0, 20)}.${this.rng.between(0, 9)}`;
    const requests = { cpu: this.rng.pick(['50m', '100m', '250m']), memory: this.rng.pick(['64Mi', '128Mi', '256Mi']) };
    const env = { UPSTREAM_URL: `http://${callee}.${ns}.svc.cluster.local` };
    return [doc(build.deployment({ metadata, app, replicas, image, env, requests }))];
  }

  /** A ConfigMap with multi-line data, one of whose block scalars holds an indented `---` (1 document). */
  configMap(): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const what = this.rng.pick(SERVICES);
    const metadata = this.metadata(`${what}-client-${n}`, ns);
    const timeout = this.rng.between(1, 30);
    const retries = this.rng.between(0, 5);
    const client = ['upstream:', `  url: https://api.${what}${n}.example.com`, `  timeout: ${timeout}s`, '---', `retries: ${retries}`];
    const notes = [`Calls ${what} through the sidecar;`, 'TLS is originated by the DestinationRule.'];
    return [
      doc(
        build.configMap(metadata, [
          { key: 'client.yaml', style: '|', lines: client },
          { key: 'notes.txt', style: '>', lines: notes },
        ]),
      ),
    ];
  }

  /** `DISABLED` for `DISABLE` once in a while: a schema error (EGR002) every schema-validating server must report. */
  private typo(mode: string, role: Role): string {
    if (role === undefined && mode === 'DISABLE' && this.mistake('schemaTypo')) return 'DISABLED';
    return mode;
  }

  /** A random group, at most `room` documents long. */
  randomGroup(room: number): Doc[] {
    const r = this.rng.next();
    if (room >= 3 && r < 0.36) return this.externalNameGroup();
    if (room >= 3 && r < 0.72) return this.selectorlessGroup();
    const s = this.rng.next();
    if (s < 0.5) return this.standaloneServiceEntry();
    if (s < 0.75) return this.configMap();
    return this.deployment();
  }

  /** Exactly `count` documents of random groups. */
  fill(count: number): Doc[] {
    const out: Doc[] = [];
    while (out.length < count) out.push(...this.randomGroup(count - out.length));
    return out;
  }
}

function doc(lines: string[]): Doc {
  return { lines, anchors: [] };
}

/** A DestinationRule's anchors: its `host` key, and the key and value of each tls `mode`. */
function ruleAnchors(lines: readonly string[], role: Role): Anchor[] {
  const roleField = role ? { role } : {};
  const anchors: Anchor[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('  host: ')) anchors.push({ type: 'hostKey', line: i, character: 2, ...roleField });
    const mode = /^( *)mode: (.*)$/.exec(line);
    if (!mode) return;
    const [, indent = '', value] = mode;
    anchors.push({ type: 'modeKey', line: i, character: indent.length, ...roleField });
    anchors.push({ type: 'modeValue', line: i, character: indent.length + 'mode: '.length, value, ...roleField });
  });
  return anchors;
}

/** Joins documents with `---`, an occasional comment before a group, and places the anchors in the file. */
export function render(docs: readonly Doc[], rng: Random): { text: string; anchors: Anchor[] } {
  const lines: string[] = [];
  const anchors: Anchor[] = [];
  docs.forEach((doc, i) => {
    if (i > 0) lines.push('---');
    if (rng.chance(0.05)) lines.push(`# managed by platform-egress, change ${rng.between(1000, 9999)}`);
    const base = lines.length;
    for (const a of doc.anchors) anchors.push({ ...a, line: a.line + base });
    lines.push(...doc.lines);
  });
  return { text: `${lines.join('\n')}\n`, anchors };
}
