/** Which live DestinationRule decides how a sidecar talks to the probed Service, and with which TLS mode. */
import { expandHost, serviceFqdn } from '../analysis/model/hosts';
import type { LiveDestinationRule, LiveService, LiveTls } from './kubeObjects';
import { externalNameIsAlias } from '../analysis/model/istioReleases';

/** The host Istio routes the Service's traffic to: the ExternalName target from 1.21 on, else the Service's FQDN. */
export function meshHostOf(service: LiveService, clusterDomain: string, istioVersion: string): string {
  if (service.type === 'ExternalName' && service.externalName && externalNameIsAlias(istioVersion)) {
    return service.externalName.toLowerCase().replace(/\.$/, '');
  }
  return serviceFqdn(service.name, service.namespace, clusterDomain);
}

function matches(pattern: string, host: string): 'exact' | 'wildcard' | undefined {
  if (pattern === host) return 'exact';
  if (pattern === '*') return 'wildcard';
  if (pattern.startsWith('*.') && host.endsWith(pattern.slice(1))) return 'wildcard';
  return undefined;
}

/**
 * DestinationRules whose host covers `host`, the one Istio applies first: exact hosts before wildcards, and the
 * client's namespace, then the host's namespace, before others (Istio's lookup order, simplified).
 */
export function destinationRulesFor(rules: readonly LiveDestinationRule[], host: string, clusterDomain: string, preferredNamespaces: readonly string[]): LiveDestinationRule[] {
  const rank = (rule: LiveDestinationRule): number[] | undefined => {
    const match = matches(expandHost(rule.host, rule.namespace, clusterDomain), host);
    if (!match) return undefined;
    const ns = preferredNamespaces.indexOf(rule.namespace);
    return [match === 'exact' ? 0 : 1, ns === -1 ? preferredNamespaces.length : ns];
  };
  return rules
    .flatMap((rule) => {
      const r = rank(rule);
      return r ? [{ rule, r }] : [];
    })
    .sort((a, b) => (a.r[0] ?? 0) - (b.r[0] ?? 0) || (a.r[1] ?? 0) - (b.r[1] ?? 0))
    .map((x) => x.rule);
}

/** The TLS settings a rule applies to a port: port-level settings override the top level. */
export function tlsForPort(rule: LiveDestinationRule, port: number): { tls?: LiveTls; portLevel: boolean } {
  const level = rule.portTls.find((p) => p.port === port);
  if (level) return { tls: level.tls, portLevel: true };
  return rule.tls ? { tls: rule.tls, portLevel: false } : { portLevel: false };
}

/** DestinationRules written on the Service's own name that Istio ≥ 1.21 ignores because the Service is an ExternalName. */
export function ignoredAliasRules(rules: readonly LiveDestinationRule[], service: LiveService, clusterDomain: string, istioVersion: string): LiveDestinationRule[] {
  if (service.type !== 'ExternalName' || !externalNameIsAlias(istioVersion)) return [];
  const fqdn = serviceFqdn(service.name, service.namespace, clusterDomain);
  return rules.filter((r) => expandHost(r.host, r.namespace, clusterDomain) === fqdn);
}
