/**
 * Loopback servers that stand in for the external services and mesh proxies a
 * fake pod's curl reaches through the fake cluster's network map.
 *
 * Everything listens on 127.0.0.0/8 only.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A loopback destination in the form the fake cluster's network map takes: `127.0.0.1:40123`. */
export type Target = string;

export interface LoopbackServer {
  readonly address: string;
  readonly port: number;
  /** `address:port`, usable as a network-map target. */
  readonly target: Target;
  close(): Promise<void>;
}

/** What the client sidecar identifies itself as in `X-Envoy-Peer-Metadata-Id`. */
export interface SidecarPeer {
  readonly podName: string;
  readonly namespace: string;
  readonly podIP: string;
  readonly clusterDomain?: string;
}

export interface EchoServerOptions {
  /** true: httpbin as seen through the client's Istio sidecar (≥ 1.21). */
  readonly sidecar: boolean;
  readonly peer?: SidecarPeer;
  readonly address?: string;
}

export interface EchoRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface EchoServer extends LoopbackServer {
  readonly sidecar: boolean;
  /** Requests received (before any sidecar headers were modelled). */
  readonly requests: EchoRequest[];
  /**
   * Sidecar twin only: answer every request like Envoy does when it cannot
   * originate TLS to the upstream (HTTP 503, `server: envoy`).
   */
  setFailure(on: boolean): void;
  readonly failing: boolean;
}

/** Envoy's local reply when TLS origination to a plain-text upstream fails (DestinationRule tls SIMPLE to port 80). */
export const ENVOY_TLS_FAILURE_BODY =
  'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';

/** httpbin (werkzeug) shows header names Title-Cased: `x-b3-traceid` → `X-B3-Traceid`. */
export function httpbinHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part.length === 0 ? part : part[0].toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The headers an Istio client sidecar adds to an outbound HTTP request before it leaves the pod. */
function sidecarRequestHeaders(host: string, peer: SidecarPeer | undefined): Record<string, string> {
  const domain = peer?.clusterDomain ?? 'cluster.local';
  const ns = peer?.namespace ?? 'default';
  const podName = peer?.podName ?? 'curl-7d9c6b8f5-abcde';
  const podIP = peer?.podIP ?? '10.244.0.12';
  const metadata = {
    APP_CONTAINERS: 'curl',
    CLUSTER_ID: 'Kubernetes',
    INSTANCE_IPS: podIP,
    ISTIO_VERSION: '1.28.0',
    LABELS: { app: 'curl', 'service.istio.io/canonical-name': 'curl', 'service.istio.io/canonical-revision': 'latest' },
    MESH_ID: domain,
    NAME: podName,
    NAMESPACE: ns,
    SERVICE_ACCOUNT: 'curl',
    WORKLOAD_NAME: podName.replace(/-[a-z0-9]{5}$/, '').replace(/-[a-z0-9]{8,10}$/, ''),
  };
  const traceId = hex(16);
  return {
    'x-b3-sampled': '0',
    'x-b3-spanid': hex(8),
    'x-b3-traceid': traceId,
    'x-envoy-attempt-count': '1',
    'x-envoy-decorator-operation': `${host.includes(':') ? host : `${host}:80`}/*`,
    'x-envoy-peer-metadata': Buffer.from(JSON.stringify(metadata)).toString('base64'),
    'x-envoy-peer-metadata-id': `sidecar~${podIP}~${podName}.${ns}~${ns}.svc.${domain}`,
    'x-request-id': randomUUID(),
  };
}

function listen(server: net.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      const a = server.address();
      if (a === null || typeof a === 'string') return reject(new Error('no address'));
      resolve(a.port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (server instanceof http.Server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** httpbin-like echo server: `/headers`, `/get`, `/status/<code>`, `/ip`, `/delay/<s>`. */
export async function startEchoServer(options: EchoServerOptions): Promise<EchoServer> {
  const address = options.address ?? '127.0.0.1';
  const requests: EchoRequest[] = [];
  let failing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, data: string): void => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    const started = Date.now();
    const host = req.headers.host ?? '';
    const send = (status: number, body: string, contentType: string): void => {
      const headers: Record<string, string> = options.sidecar
        ? {
            // Envoy writes HTTP/1 header names in lower case.
            'content-type': contentType,
            'content-length': String(Buffer.byteLength(body)),
            'access-control-allow-origin': '*',
            'access-control-allow-credentials': 'true',
            'x-envoy-upstream-service-time': String(Math.max(1, Date.now() - started)),
            server: 'envoy',
          }
        : {
            'Content-Type': contentType,
            'Content-Length': String(Buffer.byteLength(body)),
            Server: 'gunicorn/19.9.0',
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Credentials': 'true',
          };
      res.writeHead(status, headers);
      res.end(body);
    };
    if (options.sidecar && failing) {
      res.writeHead(503, {
        'content-length': String(Buffer.byteLength(ENVOY_TLS_FAILURE_BODY)),
        'content-type': 'text/plain',
        date: new Date().toUTCString(),
        server: 'envoy',
      });
      res.end(ENVOY_TLS_FAILURE_BODY);
      return;
    }
    const seen: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i];
      if (/^(connection|keep-alive|proxy-connection|transfer-encoding)$/i.test(name)) continue;
      seen[httpbinHeaderName(name)] = req.rawHeaders[i + 1]!;
    }
    if (options.sidecar) {
      for (const [name, value] of Object.entries(sidecarRequestHeaders(host, options.peer))) seen[httpbinHeaderName(name)] = value;
    }
    const headers = Object.fromEntries(Object.entries(seen).sort(([a], [b]) => a.localeCompare(b)));
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (value: unknown): void => send(200, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
    const statusMatch = /^\/status\/(\d{3})$/.exec(url.pathname);
    const delayMatch = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(url.pathname);
    if (url.pathname === '/headers') json({ headers });
    else if (url.pathname === '/ip') json({ origin: req.socket.remoteAddress ?? '' });
    else if (url.pathname === '/get') json({ args: Object.fromEntries(url.searchParams), headers, origin: req.socket.remoteAddress ?? '', url: `http://${host}${req.url ?? '/'}` });
    else if (url.pathname === '/post' || url.pathname.startsWith('/anything')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        parsed = null;
      }
      json({ args: Object.fromEntries(url.searchParams), data, headers, json: parsed, method: req.method, origin: req.socket.remoteAddress ?? '', url: `http://${host}${req.url ?? '/'}` });
    } else if (statusMatch) send(Number(statusMatch[1]), '', 'text/html; charset=utf-8');
    else if (url.pathname === '/redirect-to' && url.searchParams.has('url')) {
      res.setHeader(options.sidecar ? 'location' : 'Location', url.searchParams.get('url')!);
      send(Number(url.searchParams.get('status_code') ?? 302), '', 'text/html; charset=utf-8');
    } else if (delayMatch) {
      const timer = setTimeout(() => json({ headers }), Math.min(Number(delayMatch[1]), 10) * 1000);
      res.on('close', () => clearTimeout(timer));
    } else send(404, '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n', 'text/html');
  };
  const port = await listen(server, address);
  return {
    address,
    port,
    target: `${address}:${port}`,
    sidecar: options.sidecar,
    requests,
    get failing() {
      return failing;
    },
    setFailure(on: boolean): void {
      if (!options.sidecar) throw new Error('setFailure: only the sidecar echo server models Envoy failures');
      failing = on;
    },
    close: () => closeServer(server),
  };
}

// ---------------------------------------------------------------------------
// TLS

interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runArgv(cmd: string, args: readonly string[], cwd: string): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin', HOME: cwd } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const r = await runArgv('/usr/bin/openssl', args, cwd);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

export interface CertificateSet {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Makes a throwaway CA and a leaf certificate for `host` (and `ip`, if given) with the openssl CLI. */
export async function makeCertificates(host: string, ip?: string, caName = 'Istio Egress Harness Test CA'): Promise<CertificateSet> {
  const dir = await mkdtemp(path.join(tmpdir(), 'egress-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/CN=${caName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await openssl(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${host}`], dir);
  const san = [`DNS:${host}`, ...(ip ? [`IP:${ip}`] : [])].join(',');
  await writeFile(path.join(dir, 'leaf.ext'), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  await openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.crt'], dir);
  return { dir, caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'leaf.crt'), keyFile: path.join(dir, 'leaf.key') };
}

export interface TlsServerOptions {
  /** Host name on the certificate, e.g. `en.wikipedia.org`. */
  readonly host: string;
  /** Loopback address to listen on, e.g. `127.0.0.77`. */
  readonly address?: string;
  /**
   * true: the certificate is issued by a CA the fake pods do not trust (do not
   * put `caFile` in the cluster fixture) → curl exits 60.
   */
  readonly untrusted?: boolean;
}

export interface TlsServer extends LoopbackServer {
  readonly host: string;
  /** PEM file of the CA that issued this server's certificate; give it to the fake cluster (`caFiles`) to trust it. */
  readonly caFile: string;
  readonly untrusted: boolean;
  readonly requests: EchoRequest[];
}

/** The page `/wiki/Main_Page` serves; the seed probe greps its `<title>`. */
export const WIKIPEDIA_TITLE = '<title>Wikipedia, the free encyclopedia</title>';

/** HTTPS server (throwaway CA + leaf for `host`) serving `/wiki/Main_Page`. */
export async function startTlsServer(options: TlsServerOptions): Promise<TlsServer> {
  const address = options.address ?? '127.0.0.1';
  const certs = await makeCertificates(options.host, undefined, options.untrusted ? 'Untrusted Harness CA' : undefined);
  const [cert, key] = await Promise.all([readFile(certs.certFile), readFile(certs.keyFile)]);
  const requests: EchoRequest[] = [];
  const server = https.createServer({ cert, key }, (req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    if ((req.url ?? '').split('?')[0] === '/wiki/Main_Page') {
      const body = `<!DOCTYPE html>\n<html class="client-nojs" lang="en" dir="ltr">\n<head>\n<meta charset="UTF-8">\n${WIKIPEDIA_TITLE}\n</head>\n<body><h1>Welcome to Wikipedia</h1></body>\n</html>\n`;
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), server: 'ATS/9.2.11' });
      res.end(body);
    } else {
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      res.end('<!DOCTYPE html><title>Not Found</title>\n');
    }
  });
  const port = await listen(server, address);
  return {
    address,
    port,
    target: `${address}:${port}`,
    host: options.host,
    caFile: certs.caFile,
    untrusted: options.untrusted ?? false,
    requests,
    close: async () => {
      await closeServer(server);
      await rm(certs.dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// Failure helpers

/**
 * A loopback port nothing listens on (curl: exit 7, "Couldn't connect to
 * server"). Found by binding an ephemeral port and releasing it, on an
 * address the other test servers do not use (127.255.255.254 by default), so
 * a later `listen(0)` on 127.0.0.1 cannot take it over.
 */
export async function closedPort(address = '127.255.255.254'): Promise<LoopbackServer> {
  const probe = net.createServer();
  const port = await listen(probe, address);
  await closeServer(probe);
  return { address, port, target: `${address}:${port}`, close: async () => undefined };
}

/** Accepts connections and never answers (curl `--max-time N` → exit 28). */
export async function startHangingServer(address = '127.0.0.1'): Promise<LoopbackServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  const port = await listen(server, address);
  return {
    address,
    port,
    target: `${address}:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}
