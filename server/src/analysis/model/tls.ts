import type { DestinationRuleResource, Located, TlsSettings, TrafficPolicy } from './resources';

/** One `tls` block of a DestinationRule and where it applies. */
export interface TlsPlacement {
  readonly tls: TlsSettings;
  readonly mode?: Located<string>;
  /** Port number for port-level settings. */
  readonly port?: number;
  /** Subset name for subset policies. */
  readonly subset?: string;
}

function fromPolicy(policy: TrafficPolicy | undefined, subset: string | undefined): TlsPlacement[] {
  if (!policy) return [];
  const out: TlsPlacement[] = [];
  const extra = subset === undefined ? {} : { subset };
  if (policy.tls) out.push({ tls: policy.tls, ...extra, ...(policy.tls.mode ? { mode: policy.tls.mode } : {}) });
  for (const level of policy.portLevelSettings) {
    if (!level.tls) continue;
    out.push({
      tls: level.tls,
      ...extra,
      ...(level.port ? { port: level.port.value } : {}),
      ...(level.tls.mode ? { mode: level.tls.mode } : {}),
    });
  }
  return out;
}

/** Every TLS block of a DestinationRule: top level, port level, and within subsets. */
export function tlsPlacements(rule: DestinationRuleResource): TlsPlacement[] {
  return [...fromPolicy(rule.trafficPolicy, undefined), ...rule.subsets.flatMap((s) => fromPolicy(s.trafficPolicy, s.name?.value ?? ''))];
}

export function describePlacement(p: TlsPlacement): string {
  const parts: string[] = [];
  if (p.subset !== undefined) parts.push(`subset '${p.subset}'`);
  if (p.port !== undefined) parts.push(`port ${p.port}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * The TLS settings a DestinationRule gives traffic to `port` of subset `subset`, as Istio merges them
 * (docs/istio-behaviour.md#egress-gateways): port-level settings for the port replace their policy's own wholesale
 * (a port entry without `tls` means none, not the policy's), and the subset's policy, so resolved, overrides the
 * rule's when it sets `tls` or has an entry for the port.
 */
export function tlsFor(rule: DestinationRuleResource, port: number, subset: string | undefined): TlsSettings | undefined {
  const atPort = (policy: TrafficPolicy | undefined): { readonly tls: TlsSettings | undefined; readonly portLevel: boolean } => {
    const entry = policy?.portLevelSettings.find((p) => p.port?.value === port);
    return entry ? { tls: entry.tls, portLevel: true } : { tls: policy?.tls, portLevel: false };
  };
  const own = atPort(rule.trafficPolicy).tls;
  const policy = subset === undefined ? undefined : rule.subsets.find((s) => s.name?.value === subset)?.trafficPolicy;
  if (!policy) return own;
  const fromSubset = atPort(policy);
  return fromSubset.portLevel || fromSubset.tls ? fromSubset.tls : own;
}
