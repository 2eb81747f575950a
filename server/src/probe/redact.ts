/**
 * Removes credentials from text bound for logs, the output channel or a report: kubectl's stderr, `-v` traces and
 * kubeconfig fragments can carry bearer tokens, client keys and passwords.
 */

const REDACTED = '<redacted>';

const RULES: readonly { readonly pattern: RegExp; readonly replace: string }[] = [
  // HTTP headers, as curl -v (`> Authorization: …`) or a server's echo prints them; the whole value goes.
  { pattern: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, replace: `$1${REDACTED}` },
  // Bearer tokens wherever they appear (URLs, error messages).
  { pattern: /(bearer\s+)[A-Za-z0-9\-._~+/=]+/gi, replace: `$1${REDACTED}` },
  // Command-line forms: --token=x, --token x, --password x, --client-key x.
  { pattern: /(--(?:token|password|client-key|auth-provider-arg)[= ])\S+/gi, replace: `$1${REDACTED}` },
  // kubeconfig / JSON keys: token, id-token, refresh-token, access-token, client-key-data, password, secret.
  {
    pattern: /(["']?(?:[a-z-]*token|client-key-data|password|passwd|secret)["']?\s*:\s*)(?:"[^"\r\n]*"|'[^'\r\n]*'|[^\s,}\r\n]+)/gi,
    replace: `$1"${REDACTED}"`,
  },
  // PEM private keys pasted whole.
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, replace: REDACTED },
];

export function redactSecrets(text: string): string {
  return RULES.reduce((out, rule) => out.replace(rule.pattern, rule.replace), text);
}
