/** Command-line parsing for `istio-egress`; returns a usage error message instead of throwing. */
import type { Severity } from '../analysis/findings';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];
const FAIL_ON: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface CheckArgs {
  readonly command: 'check';
  readonly format: OutputFormat;
  readonly paths: readonly string[];
  readonly failOn: Severity;
  readonly disable: readonly string[];
  readonly clusterDomain?: string;
  readonly istioVersion?: string;
  readonly outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** `--address-auto-allocation`: the mesh allocates addresses to ServiceEntries without any. */
  readonly addressAutoAllocation: boolean;
  /** Where the rule pages are published (`<url>EGR402.md`): SARIF links each rule there. */
  readonly docsUrl?: string;
  /**
   * Whether charts and overlays are rendered (`--no-render`: not): the charts among the checked folders with helm,
   * and the overlay folders given (and those the project file names) with `kubectl kustomize`.
   */
  readonly render: boolean;
  /** The helm to render charts with (`--helm`); unset: `helm` on PATH, and a chart is only noted when it is missing. */
  readonly helm?: string;
  /** Values files passed to every `helm template` (`--values`, repeatable), after the chart's own values.yaml. */
  readonly values: readonly string[];
  /** The namespace charts are rendered into (`--release-namespace`, default `default`). */
  readonly releaseNamespace?: string;
  /** The kubectl to build overlays with (`--kubectl`); unset: `kubectl` on PATH, and an overlay is only noted when it is missing. */
  readonly kubectl?: string;
}

export type ParsedArgs =
  | CheckArgs
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | { readonly command: 'list-rules'; readonly format: 'text' | 'json' }
  | { readonly command: 'error'; readonly message: string };

export const USAGE = `Usage: istio-egress check [options] <file|folder|->...
       istio-egress probe <service> [options]   (istio-egress probe --help)
       istio-egress --list-rules [--format json]

Checks Kubernetes Services, Endpoints and Istio DestinationRules / ServiceEntries for egress mistakes.
Folders are searched recursively for *.yaml and *.yml; '-' reads one stream from standard input
(e.g. kustomize build | istio-egress check -). Settings also come from the nearest .istio-egress.yaml.

Options:
  --format text|json|sarif|github   output format (default: text)
  --fail-on error|warning|info|hint exit 1 when a finding of this severity or worse exists (default: error)
  --disable EGR001[,EGR002...]      do not report these rules
  --docs-url URL                    where the rule pages are published (SARIF links <URL>EGR402.md)
  --helm PATH                       the helm that renders the charts among the checked folders (default: helm on
                                    PATH; the output is checked in place of the templates)
  --values FILE                     a values file for every chart rendered (repeatable)
  --release-namespace NS            the namespace charts are rendered into (default: default)
  --kubectl PATH                    the kubectl that builds the overlay folders given here and those
                                    .istio-egress.yaml names (kubectl kustomize; default: kubectl on PATH)
  --no-render                       render no chart and build no overlay: check the files as written
  --cluster-domain DOMAIN           cluster DNS domain (default: cluster.local)
  --istio-version X.Y               Istio version whose behaviour to assume (default: newest)
  --outbound-traffic-policy ALLOW_ANY|REGISTRY_ONLY
  --address-auto-allocation         the mesh allocates addresses to ServiceEntries without any
                                    (DNS capture with auto-allocation)
  --list-rules                      print the rule catalogue and exit
  -h, --help                        show this help
  --version                         show the version

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad usage or unreadable input.`;

type ValueKey = 'format' | 'clusterDomain' | 'istioVersion' | 'outboundTrafficPolicy' | 'failOn' | 'disable' | 'docsUrl' | 'helm' | 'values' | 'releaseNamespace' | 'kubectl';

const VALUE_OPTIONS: Readonly<Record<string, ValueKey>> = {
  '--format': 'format',
  '--cluster-domain': 'clusterDomain',
  '--istio-version': 'istioVersion',
  '--outbound-traffic-policy': 'outboundTrafficPolicy',
  '--fail-on': 'failOn',
  '--disable': 'disable',
  '--docs-url': 'docsUrl',
  '--helm': 'helm',
  '--values': 'values',
  '--release-namespace': 'releaseNamespace',
  '--kubectl': 'kubectl',
};

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) return { command: 'error', message: 'no command given' };
  if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '--version') return { command: 'version' };
  const listRules = argv[0] === '--list-rules' || argv[0] === 'rules';
  if (argv[0] !== 'check' && !listRules) return { command: 'error', message: `unknown command '${argv[0] ?? ''}'` };
  const values: Partial<Record<ValueKey, string>> = {};
  const disable: string[] = [];
  const valueFiles: string[] = [];
  const paths: string[] = [];
  let onlyPaths = false;
  let render = true;
  let addressAutoAllocation = false;
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
    if (arg === '--no-render') {
      render = false;
      continue;
    }
    if (arg === '--address-auto-allocation') {
      addressAutoAllocation = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUE_OPTIONS[flag];
    if (!key) return { command: 'error', message: `unknown option '${flag}'` };
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') return { command: 'error', message: `option '${flag}' needs a value` };
    if (key === 'disable') {
      const codes = value
        .split(',')
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean);
      const bad = codes.find((c) => !/^EGR\d{3}$/.test(c));
      if (bad) return { command: 'error', message: `--disable: '${bad}' is not a rule code (EGRnnn)` };
      disable.push(...codes);
    } else if (key === 'values') valueFiles.push(value);
    else values[key] = value;
  }
  const format = values.format ?? 'text';
  if (listRules) {
    if (format !== 'text' && format !== 'json') return { command: 'error', message: '--list-rules prints text or json' };
    return { command: 'list-rules', format };
  }
  if (!FORMATS.includes(format as OutputFormat)) return { command: 'error', message: `unknown format '${format}' (${FORMATS.join(', ')})` };
  const failOn = values.failOn ?? 'error';
  if (!FAIL_ON.includes(failOn as Severity)) return { command: 'error', message: `--fail-on takes ${FAIL_ON.join(', ')}` };
  if (paths.length === 0) return { command: 'error', message: 'no file or folder to check' };
  const policy = values.outboundTrafficPolicy;
  if (policy !== undefined && policy !== 'ALLOW_ANY' && policy !== 'REGISTRY_ONLY') return { command: 'error', message: `unknown outbound traffic policy '${policy}'` };
  if (values.istioVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(values.istioVersion))
    return { command: 'error', message: `--istio-version '${values.istioVersion}' is not a version like 1.24` };
  return {
    command: 'check',
    format: format as OutputFormat,
    failOn: failOn as Severity,
    disable,
    paths,
    ...(values.clusterDomain ? { clusterDomain: values.clusterDomain } : {}),
    ...(values.istioVersion ? { istioVersion: values.istioVersion } : {}),
    ...(policy ? { outboundTrafficPolicy: policy } : {}),
    addressAutoAllocation,
    ...(values.docsUrl ? { docsUrl: values.docsUrl.replace(/\/?$/, '/') } : {}),
    ...(values.helm ? { helm: values.helm } : {}),
    values: valueFiles,
    ...(values.releaseNamespace ? { releaseNamespace: values.releaseNamespace } : {}),
    ...(values.kubectl ? { kubectl: values.kubectl } : {}),
    render,
  };
}
