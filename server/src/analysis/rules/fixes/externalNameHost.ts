import { parseIp } from '../../model/ip';
import type { Located } from '../../model/resources';
import type { LocalFix } from '../../edits';

/** What was probably meant: `https://HttpBin.org:443/get` → `httpbin.org` (scheme, user, port, path dropped, lower case). */
export function hostOfUrlLike(value: string): string {
  const withoutScheme = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = withoutScheme.split(/[/?#]/)[0] ?? '';
  return authority
    .replace(/^[^@]*@/, '')
    .replace(/:\d*$/, '')
    .toLowerCase();
}

/**
 * The quick fix for an externalName the API server rejects (EGR101): the host name alone, offered only when that is
 * a valid DNS name (`isValid`, the rule's own check) and not an IP, which an ExternalName cannot alias either.
 */
export function cleanExternalName(externalName: Located<string>, isValid: (host: string) => boolean): LocalFix | undefined {
  const host = hostOfUrlLike(externalName.value);
  if (host === externalName.value || parseIp(host.replace(/\.$/, '')) || !isValid(host)) return undefined;
  return { title: `Change externalName to '${host}'`, edits: [{ range: externalName.range, newText: host }], preferred: true };
}
