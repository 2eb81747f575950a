import { parse } from 'yaml';
import type { Finding, Severity } from '../findings';
import type { AnalysisOptions, OutboundTrafficPolicy } from '../options';

/** The project file's name; it is looked up from each checked file upward. */
export const PROJECT_CONFIG_FILE = '.istio-egress.yaml';

/** `.istio-egress.yaml`: what a repository says about its cluster and which findings it wants. */
export interface ProjectConfig {
  readonly clusterDomain?: string;
  readonly istioVersion?: string;
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
  /** The mesh allocates addresses to ServiceEntries without any (DNS capture with auto-allocation). */
  readonly addressAutoAllocation?: boolean;
  /** Rule codes never reported. */
  readonly disable: readonly string[];
  /** Severity per rule code, replacing the default. */
  readonly severity: Readonly<Record<string, Severity>>;
  /** Globs (relative to the project file's folder) of files not checked. */
  readonly ignore: readonly string[];
  /** How charts are rendered: per chart folder, the release, namespace and values files `helm template` gets. */
  readonly charts: readonly ChartConfig[];
  /** Kustomize overlay folders (relative to the project file's folder) checked as `kubectl kustomize` builds them. */
  readonly overlays: readonly string[];
}

/** One entry of `charts:`; paths are relative to the project file's folder. */
export interface ChartConfig {
  readonly path: string;
  readonly release?: string;
  readonly namespace?: string;
  /** Values files given after the chart's own `values.yaml`, in order (later ones win, as in helm). */
  readonly values: readonly string[];
}

export const EMPTY_CONFIG: ProjectConfig = { disable: [], severity: {}, ignore: [], charts: [], overlays: [] };

const SEVERITIES = new Set<string>(['error', 'warning', 'info', 'hint', 'off']);
const CODE = /^EGR\d{3}$/;

export interface ConfigResult {
  readonly config: ProjectConfig;
  /** Problems in the file, each a sentence; the valid parts are still used. */
  readonly problems: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a project file's text; unknown keys and bad values are reported, never fatal. */
export function parseProjectConfig(text: string): ConfigResult {
  const problems: string[] = [];
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false }) ?? {};
  } catch (error) {
    return { config: EMPTY_CONFIG, problems: [`not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`] };
  }
  if (!isRecord(data)) return { config: EMPTY_CONFIG, problems: ['must be a mapping of settings'] };
  const text_ = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    problems.push(`${key} must be a string`);
    return undefined;
  };
  const list = (key: string): string[] => {
    const value = data[key];
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    if (typeof value === 'string')
      return value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    problems.push(`${key} must be a list of strings`);
    return [];
  };
  const known = new Set(['clusterDomain', 'istioVersion', 'outboundTrafficPolicy', 'addressAutoAllocation', 'disable', 'severity', 'ignore', 'charts', 'overlays']);
  for (const key of Object.keys(data)) if (!known.has(key)) problems.push(`unknown setting '${key}'`);

  const disable = list('disable').map((c) => c.toUpperCase());
  for (const code of disable) if (!CODE.test(code)) problems.push(`disable: '${code}' is not a rule code (EGRnnn)`);
  const severity: Record<string, Severity> = {};
  const rawSeverity = data.severity;
  if (rawSeverity !== undefined && !isRecord(rawSeverity)) problems.push('severity must map rule codes to error, warning, info, hint or off');
  if (isRecord(rawSeverity)) {
    for (const [code, value] of Object.entries(rawSeverity)) {
      if (!CODE.test(code.toUpperCase()) || typeof value !== 'string' || !SEVERITIES.has(value)) {
        problems.push(`severity: '${code}: ${String(value)}' is not a rule code with error, warning, info, hint or off`);
      } else if (value === 'off') disable.push(code.toUpperCase());
      else severity[code.toUpperCase()] = value as Severity;
    }
  }
  const policy = text_('outboundTrafficPolicy');
  if (policy !== undefined && policy !== 'ALLOW_ANY' && policy !== 'REGISTRY_ONLY') problems.push('outboundTrafficPolicy must be ALLOW_ANY or REGISTRY_ONLY');
  const autoAllocation = data.addressAutoAllocation;
  if (autoAllocation !== undefined && typeof autoAllocation !== 'boolean') problems.push('addressAutoAllocation must be true or false');
  const clusterDomain = text_('clusterDomain');
  const istioVersion = text_('istioVersion');
  if (istioVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(istioVersion)) problems.push(`istioVersion '${istioVersion}' is not a version like 1.24`);
  return {
    config: {
      disable: [...new Set(disable.filter((c) => CODE.test(c)))],
      severity,
      ignore: list('ignore'),
      charts: chartConfigs(data.charts, problems),
      overlays: list('overlays').map((o) => o.trim().replace(/\/+$/, '')),
      ...(clusterDomain ? { clusterDomain } : {}),
      ...(istioVersion && /^\d+\.\d+/.test(istioVersion) ? { istioVersion } : {}),
      ...(policy === 'ALLOW_ANY' || policy === 'REGISTRY_ONLY' ? { outboundTrafficPolicy: policy } : {}),
      ...(typeof autoAllocation === 'boolean' ? { addressAutoAllocation: autoAllocation } : {}),
    },
    problems,
  };
}

/** `charts:`: a list of `{path, release?, namespace?, values?}`; an entry without a path is reported and skipped. */
function chartConfigs(value: unknown, problems: string[]): ChartConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('charts must be a list of {path, release, namespace, values}');
    return [];
  }
  return value.flatMap((entry: unknown, i): ChartConfig[] => {
    const where = `charts[${i}]`;
    if (!isRecord(entry) || typeof entry.path !== 'string' || entry.path.trim() === '') {
      problems.push(`${where} needs a path (the chart's folder, relative to this file)`);
      return [];
    }
    for (const key of Object.keys(entry)) if (!['path', 'release', 'namespace', 'values'].includes(key)) problems.push(`${where}: unknown key '${key}'`);
    const name = (key: 'release' | 'namespace'): string | undefined => {
      const v = entry[key];
      if (v === undefined) return undefined;
      if (typeof v === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v)) return v;
      problems.push(`${where}.${key} must be a DNS label (lower-case letters, digits and '-')`);
      return undefined;
    };
    const values = entry.values;
    const valuesOk = values === undefined || (Array.isArray(values) && values.every((v) => typeof v === 'string'));
    if (!valuesOk) problems.push(`${where}.values must be a list of file paths`);
    const release = name('release');
    const namespace = name('namespace');
    return [
      {
        path: entry.path.trim().replace(/\/+$/, ''),
        values: valuesOk && Array.isArray(values) ? values.map(String) : [],
        ...(release ? { release } : {}),
        ...(namespace ? { namespace } : {}),
      },
    ];
  });
}

/** Options from a project file over the given ones (settings or flags win where the caller says so). */
export function optionsWithConfig(base: AnalysisOptions, config: ProjectConfig): AnalysisOptions {
  return {
    clusterDomain: config.clusterDomain ?? base.clusterDomain,
    istioVersion: config.istioVersion ?? base.istioVersion,
    outboundTrafficPolicy: config.outboundTrafficPolicy ?? base.outboundTrafficPolicy,
    addressAutoAllocation: config.addressAutoAllocation ?? base.addressAutoAllocation,
  };
}

/** Drops disabled rules' findings and applies severity overrides. */
export function applyConfig(findings: readonly Finding[], config: ProjectConfig, extraDisabled: readonly string[] = []): Finding[] {
  const off = new Set([...config.disable, ...extraDisabled.map((c) => c.toUpperCase())]);
  return findings
    .filter((f) => !off.has(f.code))
    .map((f) => {
      const severity = config.severity[f.code];
      return severity && severity !== f.severity ? { ...f, severity } : f;
    });
}

/** Whether a path (relative to the project file's folder, `/`-separated) matches one of the ignore globs. */
export function isIgnored(relativePath: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(relativePath));
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g.charAt(i);
    if (c === '*' && g.charAt(i + 1) === '*') {
      out += g.charAt(i + 2) === '/' ? '(?:.*/)?' : '.*';
      i += g.charAt(i + 2) === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern without a slash matches at any depth, as in .gitignore; a folder pattern matches what is under it.
  const anchored = g.includes('/') ? `^${out}` : `^(?:.*/)?${out}`;
  return new RegExp(`${anchored}(?:/.*)?$`);
}
