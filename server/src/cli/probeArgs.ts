/** Arguments of `istio-egress probe`; returns a usage error message instead of throwing. */

export interface ProbeArgs {
  readonly command: 'probe';
  readonly service: string;
  readonly format: 'text' | 'json';
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly kubectl?: string;
  readonly files: readonly string[];
  readonly port?: number;
  readonly tlsHost?: string;
  readonly path?: string;
  readonly selectors: readonly string[];
  readonly noSidecarNamespace?: string;
  readonly timeoutSeconds?: number;
  readonly clusterDomain?: string;
  readonly istioVersion?: string;
  readonly outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
}

export const PROBE_USAGE = `Usage: istio-egress probe <service> [options]

Runs the checks of Istio's "Kubernetes Services for Egress Traffic" task against the current kube context:
kubectl exec into a source pod with a sidecar and one without, curl the Service, and read the evidence.

Options:
  -n, --namespace NS           the Service's namespace (default: the context's, else default)
  -f, --file FILE|FOLDER       the manifests that define the Service: compared with the cluster, and blamed on failure
  --context NAME               kube context (default: kubectl's current context)
  --kubeconfig FILE            kubeconfig (default: kubectl's, i.e. KUBECONFIG or ~/.kube/config)
  --kubectl PATH               kubectl to run (default: kubectl on PATH)
  --port N                     probe this port only
  --tls-host HOST              host name for TLS ports (--resolve HOST:PORT:<cluster IP>)
  --path /headers              path requested on HTTP ports
  --selector app=curl          source pod label selector, repeatable (default: app=curl, then app=sleep)
  --no-sidecar-namespace NS    where the pod without sidecar runs (default: without-istio)
  --timeout SECONDS            curl --max-time (default: 10)
  --cluster-domain, --istio-version, --outbound-traffic-policy   as for check
  --format text|json

Exit status: 0 every probe passed, 1 a probe failed, 2 bad usage or a cluster error.`;

const VALUE = new Map<string, string>([
  ['-n', 'namespace'],
  ['--namespace', 'namespace'],
  ['-f', 'file'],
  ['--file', 'file'],
  ['--context', 'context'],
  ['--kubeconfig', 'kubeconfig'],
  ['--kubectl', 'kubectl'],
  ['--port', 'port'],
  ['--tls-host', 'tlsHost'],
  ['--path', 'path'],
  ['--selector', 'selector'],
  ['--no-sidecar-namespace', 'noSidecarNamespace'],
  ['--timeout', 'timeout'],
  ['--cluster-domain', 'clusterDomain'],
  ['--istio-version', 'istioVersion'],
  ['--outbound-traffic-policy', 'outboundTrafficPolicy'],
  ['--format', 'format'],
]);

export function parseProbeArgs(argv: readonly string[]): ProbeArgs | { readonly command: 'error'; readonly message: string } | { readonly command: 'probe-help' } {
  const values = new Map<string, string>();
  const files: string[] = [];
  const selectors: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { command: 'probe-help' };
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUE.get(flag);
    if (!key) return { command: 'error', message: `unknown option '${flag}'` };
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') return { command: 'error', message: `option '${flag}' needs a value` };
    if (key === 'file') files.push(value);
    else if (key === 'selector') selectors.push(value);
    else values.set(key, value);
  }
  if (positional.length !== 1 || !positional[0]) return { command: 'error', message: 'probe takes exactly one Service name' };
  const format = values.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') return { command: 'error', message: `unknown format '${format}' (text or json)` };
  const number = (key: string): number | undefined | 'bad' => {
    const raw = values.get(key);
    if (raw === undefined) return undefined;
    return /^\d+$/.test(raw) ? Number(raw) : 'bad';
  };
  const port = number('port');
  const timeout = number('timeout');
  if (port === 'bad') return { command: 'error', message: '--port takes a number' };
  if (timeout === 'bad') return { command: 'error', message: '--timeout takes a number of seconds' };
  const policy = values.get('outboundTrafficPolicy');
  if (policy !== undefined && policy !== 'ALLOW_ANY' && policy !== 'REGISTRY_ONLY') return { command: 'error', message: `unknown outbound traffic policy '${policy}'` };
  const text = (key: string): Record<string, string> => {
    const v = values.get(key);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    command: 'probe',
    service: positional[0],
    format,
    files,
    selectors,
    ...text('namespace'),
    ...text('context'),
    ...text('kubeconfig'),
    ...text('kubectl'),
    ...text('tlsHost'),
    ...text('path'),
    ...text('noSidecarNamespace'),
    ...text('clusterDomain'),
    ...text('istioVersion'),
    ...(port !== undefined ? { port } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(policy ? { outboundTrafficPolicy: policy } : {}),
  };
}
