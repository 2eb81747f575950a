export type OutboundTrafficPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY';

/** What the analysis assumes about the cluster the manifests go to. */
export interface AnalysisOptions {
  readonly clusterDomain: string;
  /** `major.minor` of the Istio the mesh runs; rules whose truth changed between releases read it. */
  readonly istioVersion: string;
  readonly outboundTrafficPolicy: OutboundTrafficPolicy;
  /**
   * The mesh gives ServiceEntries without `addresses` an address of its own (DNS capture with address
   * auto-allocation), which the files cannot show.
   */
  readonly addressAutoAllocation: boolean;
}

/** The newest Istio release whose behaviour the rules describe. */
export const NEWEST_ISTIO = '1.28';

export const DEFAULT_OPTIONS: AnalysisOptions = {
  clusterDomain: 'cluster.local',
  istioVersion: NEWEST_ISTIO,
  outboundTrafficPolicy: 'ALLOW_ANY',
  addressAutoAllocation: false,
};

/** True when `version` (`1.20`, `1.21.3`) is at least `minimum`. Unparseable versions count as newest. */
export function istioAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string): [number, number] | undefined => {
    const m = /^v?(\d+)\.(\d+)/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };
  const have = parse(version);
  const want = parse(minimum);
  if (!have || !want) return true;
  return have[0] !== want[0] ? have[0] > want[0] : have[1] >= want[1];
}
