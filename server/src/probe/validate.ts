/**
 * Every value that reaches a kubectl command line is checked here first, before any process starts. No shell is
 * ever involved, so the danger is not quoting but argument injection (`--kubeconfig=/etc/x`, `-n`) and look-alike
 * names; the rules below are Kubernetes' own name rules, which such values never pass.
 */
import { isPortNumber } from '../analysis/model/ports';
import { isIP } from 'node:net';

/** A refused value: `field` names the input (`namespace`, `context`, `pod`…) so the message can say which. */
export interface ValidationError {
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

export type Checked = ValidationError | undefined;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Printable ASCII without space: refuses whitespace, control characters and every Unicode look-alike at once.
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;
const CONTEXT = /^[A-Za-z0-9._:/@+=,~-]+$/;
const CONTROL = /[\x00-\x1f\x7f]/;

export function describeValidationError(e: ValidationError): string {
  return `invalid ${e.field} ${JSON.stringify(e.value)}: ${e.reason}`;
}

function refuse(field: string, value: string, reason: string): ValidationError {
  return { field, value, reason };
}

/** Reasons shared by all name kinds, worded for the person who typed the value. */
function commonProblem(value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (value.startsWith('-')) return 'it starts with "-", which kubectl would read as an option';
  if (CONTROL.test(value)) return 'it contains control characters';
  if (/\s/.test(value)) return 'it contains whitespace';
  if (!/^[\x20-\x7e]*$/.test(value)) return 'it contains non-ASCII characters (look-alike letters are refused; use the punycode form for host names)';
  return undefined;
}

/** DNS-1123 label: namespaces, container names, label values' DNS cousins. At most 63 characters. */
export function checkDnsLabel(field: string, value: string): Checked {
  const common = commonProblem(value);
  if (common) return refuse(field, value, common);
  if (value.length > 63) return refuse(field, value, 'it is longer than 63 characters');
  if (!LABEL.test(value)) return refuse(field, value, 'it must be lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)');
  return undefined;
}

/** Service names are DNS-1035 labels: like a DNS-1123 label but starting with a letter. */
export function checkServiceName(field: string, value: string): Checked {
  const label = checkDnsLabel(field, value);
  if (label) return label;
  if (!LABEL_1035.test(value)) return refuse(field, value, 'a Service name must start with a letter (DNS-1035 label)');
  return undefined;
}

/** DNS-1123 subdomain: pod names and other object names. At most 253 characters. */
export function checkDnsSubdomain(field: string, value: string): Checked {
  const common = commonProblem(value);
  if (common) return refuse(field, value, common);
  if (value.length > 253) return refuse(field, value, 'it is longer than 253 characters');
  if (!value.split('.').every((part) => part.length <= 63 && LABEL.test(part))) {
    return refuse(field, value, 'it must be dot-separated lower-case DNS labels (DNS-1123 subdomain)');
  }
  return undefined;
}

/** RFC 1123 host name, lower case only (what curl puts in SNI and `--resolve`), or an IP address. */
export function checkHostname(field: string, value: string): Checked {
  const common = commonProblem(value);
  if (common) return refuse(field, value, common);
  if (value !== value.toLowerCase()) return refuse(field, value, 'host names must be lower case');
  if (isIP(value)) return undefined;
  if (value.length > 253) return refuse(field, value, 'it is longer than 253 characters');
  if (!value.split('.').every((part) => part.length > 0 && part.length <= 63 && LABEL.test(part))) {
    return refuse(field, value, 'it must be a host name: dot-separated labels of a-z, 0-9 and "-" (no scheme, port, path or "_")');
  }
  return undefined;
}

export function checkIp(field: string, value: string): Checked {
  return isIP(value) ? undefined : refuse(field, value, 'it is not an IP address');
}

export function checkPort(field: string, value: number): Checked {
  if (!Number.isInteger(value) || !isPortNumber(value)) return refuse(field, String(value), 'a port is an integer from 1 to 65535');
  return undefined;
}

/** An HTTP path for the URL: starts with "/", printable ASCII without spaces (percent-encode anything else). */
export function checkUrlPath(field: string, value: string): Checked {
  if (!value.startsWith('/')) return refuse(field, value, 'a path starts with "/"');
  if (value.length > 2048) return refuse(field, value, 'it is longer than 2048 characters');
  if (!PRINTABLE_NO_SPACE.test(value)) return refuse(field, value, 'it contains whitespace, control or non-ASCII characters (percent-encode them)');
  return undefined;
}

/**
 * Kube context names are freer than object names (`arn:aws:eks:us-east-1:123:cluster/x`, `gke_proj_zone_name`,
 * `user@cluster`, OpenShift's `ns/api-host:6443/kube:admin`), but never need shell or quoting characters.
 */
export function checkContextName(field: string, value: string): Checked {
  const common = commonProblem(value);
  if (common) return refuse(field, value, common);
  if (value.length > 1024) return refuse(field, value, 'it is longer than 1024 characters');
  if (!CONTEXT.test(value)) return refuse(field, value, 'it may hold letters, digits and . _ : / @ + = , ~ - only');
  return undefined;
}

/** A file path (kubeconfig, the kubectl executable): spaces are fine without a shell; options and control characters are not. */
export function checkFilePath(field: string, value: string): Checked {
  if (value === '') return refuse(field, value, 'it is empty');
  if (value.startsWith('-')) return refuse(field, value, 'it starts with "-", which would be read as an option');
  if (CONTROL.test(value)) return refuse(field, value, 'it contains control characters');
  if (value.length > 4096) return refuse(field, value, 'it is longer than 4096 characters');
  return undefined;
}

/** One label key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !prefix.split('.').every((p) => LABEL.test(p)))) return `the key prefix "${prefix}" is not a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return `the key "${key}" is not a label name`;
  return undefined;
}

/**
 * Equality-based label selectors only: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated. Set-based forms
 * (`k in (a,b)`) are refused: their parentheses and spaces are not needed for source pods.
 */
export function checkLabelSelector(field: string, value: string): Checked {
  const common = commonProblem(value);
  if (common) return refuse(field, value, common);
  for (const term of value.split(',')) {
    const m = /^(!?)([^=!]+)(?:(==|=|!=)(.*))?$/.exec(term);
    if (!m || (m[1] && m[3])) return refuse(field, value, `"${term}" is not key=value, key!=value, key or !key`);
    const keyProblem = labelKeyProblem(m[2] ?? '');
    if (keyProblem) return refuse(field, value, keyProblem);
    const labelValue = m[4];
    if (labelValue !== undefined && labelValue !== '' && (labelValue.length > 63 || !LABEL_NAME.test(labelValue))) {
      return refuse(field, value, `"${labelValue}" is not a label value`);
    }
  }
  return undefined;
}
