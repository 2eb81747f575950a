/** Kubernetes name formats (docs/istio-behaviour.md#kubernetes-name-formats). */

const DNS1123_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-case alphanumerics and `-`, starting and ending alphanumeric, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return DNS1123_LABEL.test(value);
}

/** A DNS-1123 label that starts with a letter: what Service names must be. */
export function isDns1035Label(value: string): boolean {
  return DNS1035_LABEL.test(value);
}

/** Dot-separated DNS-1123 labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every(isDns1123Label);
}

/** An IANA service name as a `targetPort`: ≤ 15 characters, lower-case alphanumerics and `-`, a letter, no `--`, no `-` at either end. */
export function isIanaServiceName(value: string): boolean {
  return value.length >= 1 && value.length <= 15 && /^[a-z0-9-]+$/.test(value) && /[a-z]/.test(value) && !value.includes('--') && !value.startsWith('-') && !value.endsWith('-');
}
