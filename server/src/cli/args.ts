/** Command-line parsing for `istio-egress`; returns a usage error message instead of throwing. */

export type OutputFormat = 'text' | 'json';

export interface CheckArgs {
  readonly command: 'check';
  readonly format: OutputFormat;
  readonly paths: readonly string[];
  readonly clusterDomain?: string;
  readonly istioVersion?: string;
  readonly outboundTrafficPolicy?: string;
}

export type ParsedArgs = CheckArgs | { readonly command: 'help' } | { readonly command: 'version' } | { readonly command: 'error'; readonly message: string };

export const USAGE = `Usage: istio-egress check [options] <file|folder|->...

Checks Kubernetes Services, Endpoints and Istio DestinationRules / ServiceEntries for egress mistakes.
Folders are searched recursively for *.yaml and *.yml; '-' reads one stream from standard input.

Options:
  --format text|json        output format (default: text)
  --cluster-domain DOMAIN   cluster DNS domain (default: cluster.local)
  --istio-version X.Y       Istio version whose behaviour to assume (default: newest)
  --outbound-traffic-policy ALLOW_ANY|REGISTRY_ONLY
  -h, --help                show this help
  --version                 show the version

Exit status: 0 no errors found, 1 errors found, 2 bad usage or unreadable input.`;

const VALUE_OPTIONS: Readonly<Record<string, 'format' | 'clusterDomain' | 'istioVersion' | 'outboundTrafficPolicy'>> = {
  '--format': 'format',
  '--cluster-domain': 'clusterDomain',
  '--istio-version': 'istioVersion',
  '--outbound-traffic-policy': 'outboundTrafficPolicy',
};

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '--version') return { command: 'version' };
  if (argv[0] !== 'check') return { command: 'error', message: `unknown command '${argv[0] ?? ''}'` };
  const values: Partial<Record<'format' | 'clusterDomain' | 'istioVersion' | 'outboundTrafficPolicy', string>> = {};
  const paths: string[] = [];
  let onlyPaths = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { command: 'help' };
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = VALUE_OPTIONS[flag];
    if (!key) return { command: 'error', message: `unknown option '${flag}'` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return { command: 'error', message: `option '${flag}' needs a value` };
    values[key] = value;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return { command: 'error', message: `unknown format '${format}' (text or json)` };
  if (paths.length === 0) return { command: 'error', message: 'no file or folder to check' };
  if (values.outboundTrafficPolicy !== undefined && values.outboundTrafficPolicy !== 'ALLOW_ANY' && values.outboundTrafficPolicy !== 'REGISTRY_ONLY') {
    return { command: 'error', message: `unknown outbound traffic policy '${values.outboundTrafficPolicy}'` };
  }
  return {
    command: 'check',
    format,
    paths,
    ...(values.clusterDomain ? { clusterDomain: values.clusterDomain } : {}),
    ...(values.istioVersion ? { istioVersion: values.istioVersion } : {}),
    ...(values.outboundTrafficPolicy ? { outboundTrafficPolicy: values.outboundTrafficPolicy } : {}),
  };
}
