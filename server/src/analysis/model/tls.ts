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
