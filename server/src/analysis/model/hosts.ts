/** Cluster DNS names of Services, and how Istio reads a DR `host` (docs/istio-behaviour.md#destinationrule-hosts). */

export interface ServiceKey {
  readonly namespace: string;
  readonly name: string;
}

/** Istio's root namespace: its DestinationRules apply mesh-wide as the last resort, and its own components live there. */
export const ROOT_NAMESPACE = 'istio-system';

/**
 * Whether an expanded host names a Service that Kubernetes or Istio install themselves, rather than the application's
 * files: the API server's `kubernetes.default`, and Istio's components in the root namespace (gateways, istiod).
 */
export function installedWithCluster(host: string, clusterDomain: string): boolean {
  const service = serviceOfHost(host.toLowerCase(), clusterDomain);
  return (service?.namespace === 'default' && service.name === 'kubernetes') || service?.namespace === ROOT_NAMESPACE;
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function serviceFqdn(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * The host Istio matches for a DR host: a short name (no dot) expands in the DR's own namespace; anything with a
 * dot is taken as written. Lower case, one trailing dot dropped.
 */
export function expandHost(host: string, ruleNamespace: string, clusterDomain: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h.includes('.') || h.startsWith('*') ? h : serviceFqdn(h, ruleNamespace, clusterDomain);
}

/** The Service an expanded host names, when it is a cluster Service FQDN of this cluster domain. */
export function serviceOfHost(fqdn: string, clusterDomain: string): ServiceKey | undefined {
  const suffix = `.svc.${clusterDomain.toLowerCase()}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].startsWith('*')) return undefined;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * The Service a `name.ns` or `name.ns.svc` host spells out. Istio takes such hosts literally (they match nothing,
 * docs/rules/EGR306.md), but the writer meant that Service: navigation follows the intent while a finding reports the mistake.
 */
export function partialServiceKey(host: string): ServiceKey | undefined {
  const parts = host.trim().toLowerCase().replace(/\.$/, '').split('.');
  if (parts.length !== 2 && !(parts.length === 3 && parts[2] === 'svc')) return undefined;
  const [name = '', namespace = ''] = parts;
  return name && namespace && !name.startsWith('*') ? { name, namespace } : undefined;
}

/** A host as written in a ServiceEntry or an ExternalName Service, as the index compares it: lower case, no final dot. */
export function plainHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}
