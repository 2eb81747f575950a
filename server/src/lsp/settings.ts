import { DEFAULT_OPTIONS, type AnalysisOptions, type OutboundTrafficPolicy } from '../analysis/options';

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
