/** What the probe may be told by the user (VS Code settings, CLI flags), with the defaults both adapters share. */
import { SETTING_DEFAULTS } from './settings';

export interface ProbeSettings {
  /** Cluster DNS domain in `<svc>.<ns>.svc.<domain>`. */
  readonly clusterDomain: string;
  /** Path requested on HTTP ports; httpbin's `/headers` echoes the request headers, which show the sidecar. */
  readonly httpPath: string;
  /** Source-pod label selectors, tried in order (Istio 1.24 renamed the `sleep` sample to `curl`). */
  readonly sourceSelectors: readonly string[];
  /** A namespace without sidecar injection holding a source pod, as in Istio's task page. */
  readonly noSidecarNamespace: string;
  /** curl `--max-time`, seconds. */
  readonly curlMaxTimeSeconds: number;
  /** kubectl `--request-timeout` for the read-only commands, seconds. */
  readonly requestTimeoutSeconds: number;
  /** Output kept per command; beyond it the process is killed and the output marked truncated. */
  readonly maxOutputBytes: number;
  /** `major.minor`: from 1.21 on an ExternalName Service is an alias and DestinationRules on its own name are ignored. */
  readonly istioVersion: string;
  /** The mesh's outbound traffic policy as the user believes it; used to word likely causes. */
  readonly outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
}

/** Those that are also settings default as the settings do, so the CLI's flags and an unset setting agree. */
export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  clusterDomain: SETTING_DEFAULTS.clusterDomain,
  httpPath: SETTING_DEFAULTS['probe.httpPath'],
  sourceSelectors: SETTING_DEFAULTS['probe.sourceSelectors'],
  noSidecarNamespace: SETTING_DEFAULTS['probe.noSidecarNamespace'],
  curlMaxTimeSeconds: SETTING_DEFAULTS['probe.timeoutSeconds'],
  requestTimeoutSeconds: 10,
  maxOutputBytes: 1024 * 1024,
  istioVersion: SETTING_DEFAULTS.istioVersion,
  outboundTrafficPolicy: SETTING_DEFAULTS.outboundTrafficPolicy,
};

/** Fills unset settings with the defaults. */
export function probeSettings(partial: Partial<ProbeSettings> = {}): ProbeSettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<ProbeSettings>;
  return { ...DEFAULT_PROBE_SETTINGS, ...defined };
}
