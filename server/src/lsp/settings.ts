import { DEFAULT_OPTIONS, type AnalysisOptions, type OutboundTrafficPolicy } from '../analysis/options';

/** Files above this size are kept out of the analysis unless the settings say otherwise. */
export const DEFAULT_MAX_FILE_MB = 5;

/** The size limit in bytes from the `istioEgress.maxFileSizeMB` setting. */
export function maxFileBytes(section: unknown): number {
  const value = isRecord(section) ? section.maxFileSizeMB : undefined;
  const mb = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_FILE_MB;
  return Math.round(mb * 1024 * 1024);
}

/** The `istioEgress` settings section as the client sends it; every field may be missing or of the wrong type. */
export function optionsFromSettings(section: unknown): AnalysisOptions {
  const s = isRecord(section) ? section : {};
  const text = (key: string): string | undefined => {
    const value = s[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const policy = text('outboundTrafficPolicy');
  return {
    clusterDomain: text('clusterDomain')?.replace(/^\.+|\.+$/g, '') || DEFAULT_OPTIONS.clusterDomain,
    istioVersion: text('istioVersion') ?? DEFAULT_OPTIONS.istioVersion,
    outboundTrafficPolicy: isPolicy(policy) ? policy : DEFAULT_OPTIONS.outboundTrafficPolicy,
  };
}

function isPolicy(value: string | undefined): value is OutboundTrafficPolicy {
  return value === 'ALLOW_ANY' || value === 'REGISTRY_ONLY';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
