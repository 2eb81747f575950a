/** The curl command lines of Istio's task page, made exact: argument arrays run inside the source pod. */
import { isIP } from 'node:net';

function portSuffix(port: number, defaultPort: number): string {
  return port === defaultPort ? '' : `:${port}`;
}

export function httpUrl(host: string, port: number, path: string): string {
  return `http://${host}${portSuffix(port, 80)}${path}`;
}

export function httpsUrl(host: string, port: number): string {
  return `https://${host}${portSuffix(port, 443)}/`;
}

/** `-D -` prints the response headers before the body: status, `server: envoy` and the echoed request headers. */
export function httpCurl(url: string, maxTimeSeconds: number): string[] {
  return ['curl', '-sS', '-D', '-', '--max-time', String(maxTimeSeconds), url];
}

/** `--resolve` pins the host name to the cluster IP, so the TLS name is the real host's while the path is the Service's. */
export function resolveEntry(host: string, port: number, ip: string): string {
  return `${host}:${port}:${isIP(ip) === 6 ? `[${ip}]` : ip}`;
}

/** `-v` prints `Connected to <host> (<ip>)` and the TLS handshake on stderr, the evidence for TLS ports. */
export function tlsCurl(host: string, port: number, maxTimeSeconds: number, clusterIP?: string): string[] {
  return ['curl', '-sS', '-v', '--max-time', String(maxTimeSeconds), ...(clusterIP ? ['--resolve', resolveEntry(host, port, clusterIP)] : []), httpsUrl(host, port)];
}
