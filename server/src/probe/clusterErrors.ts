/**
 * kubectl's connection and kubeconfig failures, turned into one message a person can act on. Pure: the text kubectl
 * printed, the kubeconfig's server URL and where the kubeconfig came from go in; sentences come out.
 *
 * kubectl repeats its discovery error (`E… memcache.go:265] "Unhandled Error" err="couldn't get current server API
 * group list: …"`) up to five times before its own summary line; those klog lines are unwrapped and deduplicated.
 */

/** A klog line: `E1207 16:03:50.148184   31617 memcache.go:265] message`. */
const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\s\]]+:\d+\] (.*)$/;
/** klog's structured form: `"Unhandled Error" err="…"`. */
const STRUCTURED_ERR = /^"[^"]*" err="((?:[^"\\]|\\.)*)"/;

function unwrapKlog(line: string): { text: string; klog: boolean } {
  const klog = KLOG.exec(line);
  if (!klog) return { text: line, klog: false };
  const message = klog[1] ?? '';
  const err = STRUCTURED_ERR.exec(message);
  return { text: err ? (err[1] ?? '').replace(/\\(.)/g, '$1') : message, klog: true };
}

/**
 * kubectl's stderr as lines worth showing: klog lines unwrapped and, when kubectl also printed a line of its own (its
 * summary, such as `The connection to the server … was refused`), dropped; duplicates once.
 */
export function kubectlStderrLines(stderr: string): string[] {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map(unwrapKlog);
  const own = lines.filter((l) => !l.klog);
  return [...new Set((own.length ? own : lines).map((l) => l.text))];
}

export type ConnectionFailure = 'refused' | 'no-such-host' | 'timeout' | 'tls' | 'unreachable';

const CONNECTION_FAILURES: readonly { readonly pattern: RegExp; readonly kind: ConnectionFailure }[] = [
  { pattern: /x509:|tls: |TLS handshake|server gave HTTP response to HTTPS client|certificate (?:signed by unknown authority|is valid for|has expired)/i, kind: 'tls' },
  { pattern: /connection to the server \S+ was refused|connect: connection refused/, kind: 'refused' },
  { pattern: /no such host|server misbehaving|Temporary failure in name resolution/i, kind: 'no-such-host' },
  { pattern: /i\/o timeout|context deadline exceeded|Client\.Timeout exceeded|timed out|deadline exceeded/i, kind: 'timeout' },
  {
    pattern:
      /Unable to connect to the server|couldn't get current server API group list|connect: (?:no route to host|network is unreachable|connection reset)|connection reset by peer|dial tcp/i,
    kind: 'unreachable',
  },
];

/** Why kubectl could not talk to the API server, or undefined when it did (or failed for another reason). */
export function connectionFailure(stderr: string): ConnectionFailure | undefined {
  // The API server answered, but could not reach the kubelet (exec): not a failure to reach the cluster.
  if (/error dialing backend|unable to upgrade connection/i.test(stderr)) return undefined;
  return CONNECTION_FAILURES.find((f) => f.pattern.test(stderr))?.kind;
}

/** The API server kubectl tried, read from its stderr: a URL when it printed one, else `host:port`. */
export function serverFromStderr(stderr: string): string | undefined {
  const url = /\b(?:Get|Post|Put|Patch|Delete|Head) \\?"(https?:\/\/[^/"?\s\\]+)/.exec(stderr);
  if (url) return url[1];
  const refused = /connection to the server (\S+) was refused/.exec(stderr);
  if (refused) return refused[1];
  return /dial tcp (?:\[[^\]]+\]|[^\s:]+):\d+/.exec(stderr)?.[0].slice('dial tcp '.length);
}

const HOW_TO_PICK =
  'list the contexts with `kubectl config get-contexts`, then pick one with --context NAME or, in VS Code, the istioEgress.probe.context setting (or make it the default with `kubectl config use-context NAME`)';

/**
 * One message for an API server kubectl could not reach or trust: the server (from the kubeconfig, else from
 * kubectl's stderr), what went wrong, and the likely causes.
 */
export function describeConnectionFailure(input: { readonly kind: ConnectionFailure; readonly server?: string; readonly context?: string; readonly stderr: string }): string {
  const server = input.server ?? serverFromStderr(input.stderr);
  const cluster = `the cluster at ${server ?? "the kubeconfig's server"}${input.context ? ` (context ${input.context})` : ''}`;
  const Cluster = cluster.charAt(0).toUpperCase() + cluster.slice(1);
  const wrongContext = 'the kube context points at another cluster';
  const pick = ` To use another context: ${HOW_TO_PICK}.`;
  switch (input.kind) {
    case 'tls': {
      const detail = kubectlStderrLines(input.stderr).find((l) => /x509|tls|certificate|HTTP response to HTTPS/i.test(l));
      return `${Cluster} answered, but the TLS connection to it failed${detail ? ` (${detail.replace(/^Unable to connect to the server: /, '')})` : ''}. Likely causes: the cluster was recreated and the kubeconfig still holds its old certificate authority (fetch the credentials again); a proxy or VPN intercepts TLS; ${wrongContext}.${pick}`;
    }
    case 'refused':
      return `${Cluster} cannot be reached: the connection was refused. Likely causes: the cluster is stopped or still starting; a \`kubectl port-forward\` or SSH tunnel to it has stopped; a VPN it needs is not connected; ${wrongContext}.${pick}`;
    case 'no-such-host':
      return `${Cluster} cannot be reached: its host name does not resolve. Likely causes: a VPN or private DNS it needs is not connected; the cluster was deleted; ${wrongContext}.${pick}`;
    case 'timeout':
      return `${Cluster} cannot be reached: the connection timed out. Likely causes: a VPN it needs is not connected, or a firewall drops the traffic; the cluster is down; a \`kubectl port-forward\` or tunnel to it has stopped; ${wrongContext}.${pick}`;
    case 'unreachable':
      return `${Cluster} cannot be reached. Likely causes: the cluster is down; a VPN it needs is not connected; a \`kubectl port-forward\` or tunnel to it has stopped; ${wrongContext}.${pick}`;
  }
}

/** Where kubectl takes its kubeconfig from, as kubectl decides: `--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`. */
export type KubeconfigSource =
  { readonly kind: 'flag'; readonly path: string } | { readonly kind: 'env'; readonly paths: readonly string[] } | { readonly kind: 'default'; readonly path?: string };

/** `delimiter` is `:` (`;` on Windows), as in PATH. */
export function kubeconfigSource(kubeconfig: string | undefined, env: NodeJS.ProcessEnv, delimiter = ':'): KubeconfigSource {
  if (kubeconfig) return { kind: 'flag', path: kubeconfig };
  const paths = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (paths.length) return { kind: 'env', paths };
  const home = env.HOME ?? env.USERPROFILE;
  return home ? { kind: 'default', path: `${home.replace(/[\\/]+$/, '')}/.kube/config` } : { kind: 'default' };
}

/** The files a source names, for an existence check. */
export function kubeconfigPaths(source: KubeconfigSource): string[] {
  if (source.kind === 'flag') return [source.path];
  if (source.kind === 'env') return [...source.paths];
  return source.path ? [source.path] : [];
}

/** Why `kubectl config view --minify` (or a later command) found no cluster to talk to. */
export type KubeconfigProblem =
  | { readonly kind: 'no-current-context' }
  | { readonly kind: 'context-not-found'; readonly context: string }
  | { readonly kind: 'file-missing' }
  | { readonly kind: 'unreadable'; readonly detail: string };

export function kubeconfigProblem(stderr: string): KubeconfigProblem | undefined {
  if (/current-context must exist|current-context is not set|no context is set|invalid configuration: no configuration has been provided/i.test(stderr))
    return { kind: 'no-current-context' };
  const missingContext = /cannot locate context (\S+)|context was not found for specified context: (\S+)|context "([^"]+)" does not exist/.exec(stderr);
  if (missingContext) return { kind: 'context-not-found', context: missingContext[1] ?? missingContext[2] ?? missingContext[3] ?? '' };
  if (/^error: stat .*: no such file or directory$/m.test(stderr)) return { kind: 'file-missing' };
  const loading = /error loading config file "[^"]*": (.*)$/m.exec(stderr);
  if (loading) return { kind: 'unreadable', detail: loading[1] ?? '' };
  return undefined;
}

function describeSource(source: KubeconfigSource): string {
  if (source.kind === 'flag') return `kubeconfig ${source.path}`;
  if (source.kind === 'env') return `the kubeconfig in KUBECONFIG (${source.paths.join(', ')})`;
  return `the kubeconfig ${source.path ?? '~/.kube/config'}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One message for a kubeconfig that names no usable cluster. `missing` lists the files of the source that do not
 * exist (undefined when that could not be checked).
 */
export function describeKubeconfigProblem(problem: KubeconfigProblem, source: KubeconfigSource, missing?: readonly string[]): string {
  const all = kubeconfigPaths(source);
  const allMissing = missing !== undefined && all.length > 0 && all.every((p) => missing.includes(p));
  if (problem.kind !== 'context-not-found' && (allMissing || problem.kind === 'file-missing')) {
    if (source.kind === 'flag')
      return `Kubeconfig ${source.path} does not exist. Check the path given with --kubeconfig (in VS Code: the istioEgress.probe.kubeconfig setting), or leave it out to use KUBECONFIG or ~/.kube/config.`;
    if (source.kind === 'env')
      return `None of the kubeconfig files in KUBECONFIG exists (${source.paths.join(', ')}). Check KUBECONFIG, or give a kubeconfig with --kubeconfig (in VS Code: the istioEgress.probe.kubeconfig setting).`;
    return `There is no kubeconfig: ${source.path ?? '~/.kube/config'} does not exist and KUBECONFIG is not set. Get one from your cluster (for example \`kind export kubeconfig\`, \`gcloud container clusters get-credentials\`, \`aws eks update-kubeconfig\`), or give one with --kubeconfig (in VS Code: the istioEgress.probe.kubeconfig setting).`;
  }
  switch (problem.kind) {
    case 'context-not-found':
      return `Context ${problem.context} is not in ${describeSource(source)}: ${HOW_TO_PICK}.`;
    case 'unreadable':
      return `${capital(describeSource(source))} cannot be read: ${problem.detail}.`;
    default:
      return `${capital(describeSource(source))} has no current context (it is empty, or no context is selected), so kubectl does not know which cluster to talk to: ${HOW_TO_PICK}.`;
  }
}
