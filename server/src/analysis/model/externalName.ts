import { parseIp } from './ip';
import { isDns1123Label } from './names';

/** Why an `externalName` is not a host name the API server accepts and DNS can answer, or undefined if it is. */
export function externalNameProblem(value: string): { message: string; rejected: boolean } | undefined {
  const host = value.endsWith('.') ? value.slice(0, -1) : value;
  if (host === '') return { message: 'is empty', rejected: true };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return { message: 'has a URL scheme: write the host name alone', rejected: true };
  if (host.includes('/')) return { message: 'has a path: write the host name alone', rejected: true };
  // The API server takes an IPv4 address (digits and dots pass its DNS-1123 check) but refuses the colons of IPv6.
  if (parseIp(host) && host.includes(':'))
    return { message: 'is an IPv6 address, which the API server refuses (it is not a DNS name): use a Service without selector and an Endpoints listing the IP', rejected: true };
  if (parseIp(host)) {
    return {
      message: 'is an IP address, which cluster DNS looks up as a name and never answers: use a Service without selector and an Endpoints listing the IP',
      rejected: false,
    };
  }
  if (/:\d*$/.test(host)) return { message: 'has a port: ports belong in spec.ports', rejected: true };
  if (host !== host.toLowerCase()) return { message: 'has upper-case letters: the API server only accepts lower case', rejected: true };
  if (host.length > 253) return { message: 'is longer than 253 characters', rejected: true };
  if (host.includes('_')) return { message: "has '_', which is not allowed in a DNS name", rejected: true };
  if (!host.split('.').every(isDns1123Label)) {
    return { message: 'is not a DNS name (labels of a-z, 0-9 and inner -, at most 63 characters each)', rejected: true };
  }
  return undefined;
}
