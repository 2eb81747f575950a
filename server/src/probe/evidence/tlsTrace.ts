/** Reads the stderr of `curl -v https://…`: where curl connected, and how far the TLS handshake got. */

export interface TlsTrace {
  /** `* Connected to <host> (<ip>) port <port>`. */
  readonly connected?: { readonly host: string; readonly ip: string; readonly port: number };
  /** `* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 …`. */
  readonly handshake?: { readonly version: string; readonly cipher?: string };
  readonly subject?: string;
  readonly certificateVerified: boolean;
  /** Status of the last `< HTTP/…` line, when the request got that far. */
  readonly httpStatus?: number;
}

export function parseTlsTrace(stderr: string): TlsTrace {
  const connected = /^\* Connected to (\S+) \(([^)]+)\) port (\d+)/m.exec(stderr);
  const handshake = /^\* SSL connection using (\S+)(?: \/ (\S+))?/m.exec(stderr);
  const subject = /^\*\s+subject: (.+)$/m.exec(stderr);
  const statuses = [...stderr.matchAll(/^< HTTP\/[\d.]+ (\d{3})/gm)];
  const lastStatus = statuses[statuses.length - 1]?.[1];
  return {
    ...(connected ? { connected: { host: connected[1] ?? '', ip: connected[2] ?? '', port: Number(connected[3]) } } : {}),
    ...(handshake ? { handshake: { version: handshake[1] ?? '', ...(handshake[2] ? { cipher: handshake[2] } : {}) } } : {}),
    ...(subject?.[1] ? { subject: subject[1].trim() } : {}),
    certificateVerified: /SSL certificate verify ok/.test(stderr),
    ...(lastStatus ? { httpStatus: Number(lastStatus) } : {}),
  };
}

/** Compares IPs as curl prints them with the Service's cluster IP (IPv6 spelled either way). */
export function sameIp(a: string, b: string): boolean {
  const norm = (ip: string): string => ip.replace(/^\[|\]$/g, '').toLowerCase();
  return norm(a) === norm(b);
}
