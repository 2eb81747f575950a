/**
 * The documents of the benchmark inputs, drawn from one seeded stream: the resources an egress setup is made of —
 * ExternalName Services with a ServiceEntry and a DestinationRule on their target, selector-less Services with
 * hand-written Endpoints (IPs from the documentation ranges) and a DestinationRule on the Service, standalone
 * ServiceEntries — with the noise found beside them (Deployments, ConfigMaps with multi-line data), across several
 * namespaces, and a few deliberate mistakes so every checker has something to say.
 *
 * The draws are made in a fixed order: moving or adding one changes every input after it (and the tests that count
 * on what a given seed produces), so new draws go after the existing ones.
 */
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

  /** Lines of `metadata`, with the namespace left out for `default` as people often do. */
  private metadata(name: string, namespace: string, labels: Record<string, string> = {}): string[] {
    const out = ['metadata:', `  name: ${name}`];
    if (namespace !== 'default' || this.rng.chance(0.5)) out.push(`  namespace: ${namespace}`);
    const entries = Object.entries(labels);
    if (entries.length) out.push('  labels:', ...entries.map(([k, v]) => `    ${k}: ${v}`));
    return out;
  }

  /** A DestinationRule; `modes` has one entry for a top-level tls block, several for port-level settings. */
  private destinationRule(name: string, namespace: string, host: string, modes: readonly { port?: number; mode: string; sni?: string }[], role?: Role): Doc {
    const lines = ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', ...this.metadata(name, namespace), 'spec:'];
    const anchors: Anchor[] = [];
    anchors.push({ type: 'hostKey', line: lines.length, character: 2, ...(role ? { role } : {}) });
    lines.push(`  host: ${host}`, '  trafficPolicy:');
    const tlsBlock = (indent: string, mode: string, sni: string | undefined): void => {
      lines.push(`${indent}tls:`);
      anchors.push({ type: 'modeKey', line: lines.length, character: indent.length + 2, ...(role ? { role } : {}) });
      anchors.push({ type: 'modeValue', line: lines.length, character: indent.length + 2 + 'mode: '.length, value: mode, ...(role ? { role } : {}) });
      lines.push(`${indent}  mode: ${mode}`);
      if (sni) lines.push(`${indent}  sni: ${sni}`);
    };
    const [first] = modes;
    if (modes.length === 1 && first && first.port === undefined) {
      if (this.rng.chance(0.15)) lines.push('    connectionPool:', '      tcp:', `        connectTimeout: ${this.rng.pick(['1s', '3s', '5s'])}`);
      tlsBlock('    ', first.mode, first.sni);
    } else {
      lines.push('    portLevelSettings:');
      for (const m of modes) {
        lines.push('    - port:', `        number: ${m.port ?? 443}`);
        tlsBlock('      ', m.mode, m.sni);
      }
    }
    return { lines, anchors };
  }

  private serviceEntry(
    name: string,
    namespace: string,
    hosts: readonly string[],
    ports: readonly { number: number; name: string; protocol: string }[],
    options: { resolution: 'DNS' | 'STATIC' | 'NONE'; addresses?: readonly string[]; endpoints?: readonly string[] },
  ): Doc {
    const lines = ['apiVersion: networking.istio.io/v1', 'kind: ServiceEntry', ...this.metadata(name, namespace), 'spec:', '  hosts:'];
    lines.push(...hosts.map((h) => `  - ${h}`));
    if (options.addresses?.length) lines.push('  addresses:', ...options.addresses.map((a) => `  - ${a}`));
    lines.push('  location: MESH_EXTERNAL', `  resolution: ${options.resolution}`, '  ports:');
    for (const p of ports) lines.push(`  - number: ${p.number}`, `    name: ${p.name}`, `    protocol: ${p.protocol}`);
    if (options.endpoints?.length) lines.push('  endpoints:', ...options.endpoints.map((a) => `  - address: ${a}`));
    if (this.rng.chance(0.2)) lines.push('  exportTo:', '  - .');
    return { lines, anchors: [] };
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
    const service: Doc = {
      lines: [
        'apiVersion: v1',
        'kind: Service',
        ...this.metadata(name, ns),
        'spec:',
        '  type: ExternalName',
        `  externalName: ${bad ? `https://${target}/v1` : target}`,
        '  ports:',
        `  - name: ${port.name}`,
        `    port: ${port.number}`,
      ],
      anchors: [],
    };
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
    const service: Doc = {
      lines: [
        'apiVersion: v1',
        'kind: Service',
        ...this.metadata(name, ns),
        'spec:',
        '  ports:',
        `  - name: ${port.name}`,
        `    port: ${port.port}`,
        ...(this.rng.chance(0.3) ? [`    targetPort: ${port.port}`] : []),
      ],
      anchors: [],
    };
    const addresses = Array.from({ length: this.rng.between(1, 3) }, () => this.ip());
    if (role === undefined && this.mistake('loopbackEndpoint')) addresses.push('127.0.0.1');
    const endpoints: Doc = {
      lines: [
        'apiVersion: v1',
        'kind: Endpoints',
        ...this.metadata(name, ns),
        'subsets:',
        '- addresses:',
        ...addresses.map((ip) => `  - ip: ${ip}`),
        '  ports:',
        `  - name: ${port.name}`,
        `    port: ${port.port}`,
      ],
      anchors: [],
    };
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
    return [
      {
        lines: [
          'apiVersion: apps/v1',
          'kind: Deployment',
          ...this.metadata(app, ns, { app }),
          'spec:',
          `  replicas: ${this.rng.between(1, 4)}`,
          '  selector:',
          '    matchLabels:',
          `      app: ${app}`,
          '  template:',
          '    metadata:',
          '      labels:',
          `        app: ${app}`,
          '      annotations:',
          '        sidecar.istio.io/inject: "true"',
          '    spec:',
          '      containers:',
          '      - name: app',
          `        image: registry.example.com/${ns}/${app.replace(/-\d+$/, '')}:1.${this.rng.between(0, 20)}.${this.rng.between(0, 9)}`,
          '        env:',
          '        - name: UPSTREAM_URL',
          `          value: http://${callee}.${ns}.svc.cluster.local`,
          '        resources:',
          '          requests:',
          `            cpu: ${this.rng.pick(['50m', '100m', '250m'])}`,
          `            memory: ${this.rng.pick(['64Mi', '128Mi', '256Mi'])}`,
        ],
        anchors: [],
      },
    ];
  }

  /** A ConfigMap with multi-line data, one of whose block scalars holds an indented `---` (1 document). */
  configMap(): Doc[] {
    const n = ++this.counter;
    const ns = this.ns();
    const what = this.rng.pick(SERVICES);
    return [
      {
        lines: [
          'apiVersion: v1',
          'kind: ConfigMap',
          ...this.metadata(`${what}-client-${n}`, ns),
          'data:',
          '  client.yaml: |',
          '    upstream:',
          `      url: https://api.${what}${n}.example.com`,
          `      timeout: ${this.rng.between(1, 30)}s`,
          '    ---',
          `    retries: ${this.rng.between(0, 5)}`,
          '  notes.txt: >',
          `    Calls ${what} through the sidecar;`,
          '    TLS is originated by the DestinationRule.',
        ],
        anchors: [],
      },
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
