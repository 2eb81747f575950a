/**
 * Reads the stdout of `curl -sS -D - URL`: one or more header blocks (100 Continue, proxy answers) followed by
 * the body. The last block is the response that counts. httpbin's `/headers` body echoes the request headers,
 * which show what the sidecar added on the way out.
 */
import { isObject, parseJson } from '../json';

export interface HttpResponse {
  readonly status: number;
  readonly statusLine: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const STATUS_LINE = /^HTTP\/[\d.]+ (\d{3})(?: .*)?$/;

export function parseHttpDump(stdout: string): HttpResponse | undefined {
  let rest = stdout;
  let last: Omit<HttpResponse, 'body'> | undefined;
  for (;;) {
    const lineEnd = rest.indexOf('\n');
    const firstLine = (lineEnd === -1 ? rest : rest.slice(0, lineEnd)).replace(/\r$/, '');
    const status = STATUS_LINE.exec(firstLine);
    if (!status) break;
    const blank = /\r?\n\r?\n/.exec(rest);
    const blockEnd = blank ? blank.index : rest.length;
    const headers: Record<string, string> = {};
    for (const line of rest.slice(0, blockEnd).split(/\r?\n/).slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    last = { status: Number(status[1]), statusLine: firstLine, headers };
    rest = blank ? rest.slice(blank.index + blank[0].length) : '';
  }
  return last ? { ...last, body: rest } : undefined;
}

/**
 * The request headers the server echoed (httpbin's `{"headers": {...}}`; go-httpbin gives arrays of values),
 * names lower-cased. Undefined when the body is not such an echo.
 */
export function echoedRequestHeaders(body: string): Readonly<Record<string, string>> | undefined {
  const json = parseJson(body);
  const headers = isObject(json) ? json.headers : undefined;
  if (!isObject(headers)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.filter((v) => typeof v === 'string').join(', ');
  }
  return out;
}

/** Request headers that only an Envoy (the sidecar) adds; the decorator header is gone for passthrough traffic. */
const ENVOY_REQUEST_HEADERS = ['x-envoy-peer-metadata', 'x-envoy-peer-metadata-id', 'x-envoy-attempt-count', 'x-envoy-decorator-operation', 'x-envoy-expected-rq-timeout-ms'];

export interface SidecarSigns {
  /** Envoy request headers the server echoed, in their usual spelling. */
  readonly echoed: readonly string[];
  /** `server: envoy` on the response. */
  readonly serverEnvoy: boolean;
  /** `x-envoy-upstream-service-time`: Envoy forwarded the request and got an answer. */
  readonly upstreamServiceTime: boolean;
}

function spell(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

export function sidecarSigns(response: HttpResponse): SidecarSigns {
  const echoed = echoedRequestHeaders(response.body) ?? {};
  const names = Object.keys(echoed);
  return {
    echoed: names.filter((n) => ENVOY_REQUEST_HEADERS.includes(n) || n.startsWith('x-envoy-')).map(spell),
    serverEnvoy: (response.headers.server ?? '').toLowerCase() === 'envoy',
    upstreamServiceTime: response.headers['x-envoy-upstream-service-time'] !== undefined,
  };
}

/** An answer Envoy made up itself (503 "upstream connect error…", 502 BlackHole, 404 NR), not the server's. */
export interface EnvoyLocalReply {
  readonly text: string;
  readonly resetReason?: string;
  readonly transportFailure?: string;
}

export function envoyLocalReply(response: HttpResponse): EnvoyLocalReply | undefined {
  const body = response.body.trim();
  const upstreamError = /upstream connect error or disconnect\/reset before headers|no healthy upstream|upstream request timeout/.exec(body);
  const madeByEnvoy = (response.headers.server ?? '').toLowerCase() === 'envoy' && response.headers['x-envoy-upstream-service-time'] === undefined;
  if (!upstreamError && !(madeByEnvoy && response.status >= 400)) return undefined;
  const reset = /reset reason: ([^,]+)/.exec(body)?.[1]?.trim();
  const transport = /transport failure reason: (.+)$/m.exec(body)?.[1]?.trim();
  return {
    text: body.split('\n')[0] ?? '',
    ...(reset ? { resetReason: reset } : {}),
    ...(transport ? { transportFailure: transport } : {}),
  };
}
