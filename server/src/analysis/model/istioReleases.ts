import { istioAtLeast } from '../options';

/** Istio releases where behaviour the rules describe changed (docs/istio-behaviour.md). */

/** An ExternalName Service is an alias of its target (docs/istio-behaviour.md#externalname-is-an-alias-since-121). */
export const EXTERNAL_NAME_ALIAS_SINCE = '1.21';
/** TLS origination verifies the server against the proxy's CAs (docs/istio-behaviour.md#server-certificates-are-verified-since-121). */
export const VERIFIES_SERVER_SINCE = '1.21';
/** networking.istio.io/v1 is served (docs/rules/EGR003.md). */
export const V1_API_SINCE = '1.22';
/** A `resolution: NONE` ServiceEntry honours `targetPort` (docs/istio-behaviour.md#serviceentry-targetport). */
export const NONE_TARGET_PORT_SINCE = '1.22';

export function externalNameIsAlias(istioVersion: string): boolean {
  return istioAtLeast(istioVersion, EXTERNAL_NAME_ALIAS_SINCE);
}

export function verifiesServerByDefault(istioVersion: string): boolean {
  return istioAtLeast(istioVersion, VERIFIES_SERVER_SINCE);
}

/**
 * Whether Istio sends a ServiceEntry port's traffic to its `targetPort` under `resolution` (unset: NONE): always for
 * DNS, DNS_ROUND_ROBIN and STATIC, for NONE from 1.22; other values are not judged
 * (docs/istio-behaviour.md#serviceentry-targetport).
 */
export function honoursTargetPort(resolution: string | undefined, istioVersion: string): boolean {
  const value = resolution ?? 'NONE';
  if (value === 'NONE') return istioAtLeast(istioVersion, NONE_TARGET_PORT_SINCE);
  return value === 'DNS' || value === 'DNS_ROUND_ROBIN' || value === 'STATIC';
}
