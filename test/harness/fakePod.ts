/**
 * The "pod" side of the fake cluster: turns the argv a test's
 * `kubectl exec … -- curl …` sends into a run of the machine's real
 * /usr/bin/curl that can only ever reach loopback test servers.
 *
 * How curl is kept on loopback
 * ----------------------------
 * 1. Every connection goes through `--connect-to` entries the pod prepends
 *    (curl uses the FIRST matching entry, so the user's own `--connect-to`s can
 *    never win). For each URL whose destination is in the pod's network map:
 *
 *        --connect-to HOST:PORT:NAME:TPORT  --resolve NAME:TPORT:TIP
 *
 *    where `TIP:TPORT` is the loopback target. The Host header and TLS SNI stay
 *    `HOST` (connect-to never rewrites them) and `curl -v` prints
 *    `Connected to NAME (TIP) port TPORT`.
 *    The LAST entry is a catch-all `--connect-to ::127.0.0.1:<closed port>`, so
 *    anything else (unmapped IPs, known names on unmapped ports, redirects with
 *    -L to other hosts, URLs this parser misread) is refused on loopback
 *    (exit 7) without any name lookup.
 *
 * 2. A URL host name that is not in the map (after the pod's DNS search list,
 *    `<name>.<ns>.svc.<domain>`, `<name>.svc.<domain>`, `<name>.<domain>`, as
 *    with ndots:5) must fail like a DNS failure: curl exit 6,
 *    `curl: (6) Could not resolve host: <host>`. The pod runs the REAL curl
 *    then, without the catch-all, under
 *    `strace -f -e trace=socket -e inject=socket:error=EACCES`: every
 *    socket(2) call fails, so the resolver cannot send a single packet and curl
 *    prints its genuine output (progress meter, -v lines, -w variables) and
 *    exits 6. Where strace/ptrace is unavailable the pod does not run curl at
 *    all and prints curl 7.88's output itself (see `emulateResolveFailure`).
 *
 * 3. TLS via a cluster IP (the seed's `--resolve en.wikipedia.org:443:127.0.0.77`):
 *    port 443 cannot be bound without root, so the map holds
 *    `127.0.0.77:443 → 127.0.0.77:<ephemeral>`. The user's `--resolve` says
 *    en.wikipedia.org:443 is 127.0.0.77; `127.0.0.77:443` is mapped, so the pod
 *    adds `--connect-to en.wikipedia.org:443:en.wikipedia.org:<port>` and
 *    `--resolve en.wikipedia.org:<port>:127.0.0.77`. Unlike rewriting the URL
 *    to `https://en.wikipedia.org:<port>/…`, this keeps the Host header
 *    `en.wikipedia.org` and SNI intact; `curl -v` really prints
 *    `Connected to en.wikipedia.org (127.0.0.77) port <port>`. The user's
 *    argv is passed on unchanged.
 *
 * 4. curl gets `-q` first (no ~/.curlrc), a clean environment (no *_proxy
 *    variables; HOME is a private temp dir; CURL_CA_BUNDLE is the fixture's CA
 *    bundle only), and options that could reach the network some other way
 *    (proxies, -K config files, --next, DoH, DNS servers, unix sockets) are
 *    refused with exit 2. Output files may only be relative (inside the pod's
 *    private working dir) or /dev/null, /dev/stdout, /dev/stderr, `-`.
 */
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';

export const CURL = '/usr/bin/curl';
export const STRACE = '/usr/bin/strace';

export interface CurlOptionInfo {
  readonly long: string;
  readonly takesArg: boolean;
}

export interface CurlOptionTable {
  readonly long: ReadonlyMap<string, CurlOptionInfo>;
  readonly short: ReadonlyMap<string, CurlOptionInfo>;
}

function collect(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let optionTable: Promise<CurlOptionTable> | undefined;

/** Reads curl's option list (`curl --help all`) so argv is split exactly as this curl build does. */
export function loadCurlOptions(): Promise<CurlOptionTable> {
  optionTable ??= collect(CURL, ['--help', 'all'], { PATH: '/usr/bin:/bin' }).then((r) => {
    const long = new Map<string, CurlOptionInfo>();
    const short = new Map<string, CurlOptionInfo>();
    for (const line of r.stdout.split('\n')) {
      const m = /^\s+(?:-(\S), )?--([a-z0-9.-]+)(?: ([<[]))?/.exec(line);
      if (!m) continue;
      const info: CurlOptionInfo = { long: m[2], takesArg: m[3] !== undefined };
      long.set(info.long, info);
      if (m[1]) short.set(m[1], info);
    }
    if (long.size < 100) throw new Error(`could not read curl's options from \`curl --help all\` (${r.stderr})`);
    return { long, short };
  });
  return optionTable;
}

let straceWorks: Promise<boolean> | undefined;

/**
 * Whether strace can trace and fail socket(2) here (ptrace may be forbidden in
 * some containers). Checked with node itself listening on loopback, so the
 * check cannot reach the network even if injection silently failed.
 */
export function canDenySockets(): Promise<boolean> {
  straceWorks ??= collect(
    STRACE,
    [
      '-f',
      '-qq',
      '-o',
      '/dev/null',
      '-e',
      'trace=socket',
      '-e',
      'inject=socket:error=EACCES',
      process.execPath,
      '-e',
      "const s=require('net').createServer();s.on('error',e=>{console.log(e.code);process.exit(0)});s.listen(0,'127.0.0.1',()=>{console.log('LISTENING');s.close()})",
    ],
    { PATH: '/usr/bin:/bin' },
  ).then(
    (r) => r.code === 0 && r.stdout.trim() === 'EACCES',
    () => false,
  );
  return straceWorks;
}

/** Options the fake pod refuses: they could reach the network around the connect-to mapping. */
const REFUSED = new Set([
  'proxy',
  'preproxy',
  'socks4',
  'socks4a',
  'socks5',
  'socks5-hostname',
  'proxy1.0',
  'config',
  'next',
  'doh-url',
  'dns-servers',
  'dns-interface',
  'dns-ipv4-addr',
  'dns-ipv6-addr',
  'unix-socket',
  'abstract-unix-socket',
  'ftp-port',
]);
/** Options naming files curl writes: only relative paths or /dev/null & co. */
const WRITES_FILE = new Set(['output', 'dump-header', 'cookie-jar', 'trace', 'trace-ascii', 'stderr', 'libcurl', 'etag-save', 'alt-svc', 'hsts', 'output-dir']);
const SAFE_OUTPUTS = new Set(['-', '%', '/dev/null', '/dev/stdout', '/dev/stderr']);

export interface ParsedCurl {
  readonly urls: string[];
  readonly resolves: string[];
  readonly connectTos: string[];
  readonly refused: string[];
  readonly badOutputs: string[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  globOff: boolean;
  writeOut: string | undefined;
  /** Something this parser could not follow (unknown option); the catch-all still applies. */
  unknown: string[];
}

/** Splits curl's argv (without the leading `curl`) the way curl does. */
export function parseCurlArgs(args: readonly string[], table: CurlOptionTable): ParsedCurl {
  const p: ParsedCurl = {
    urls: [],
    resolves: [],
    connectTos: [],
    refused: [],
    badOutputs: [],
    silent: false,
    showError: false,
    verbose: false,
    globOff: false,
    writeOut: undefined,
    unknown: [],
  };
  const apply = (info: CurlOptionInfo, negated: boolean, value: string | undefined): void => {
    const name = info.long;
    if (REFUSED.has(name)) p.refused.push(`--${name}`);
    if (WRITES_FILE.has(name) && value !== undefined && !SAFE_OUTPUTS.has(value) && (value.startsWith('/') || value.split('/').includes('..'))) p.badOutputs.push(`--${name} ${value}`);
    switch (name) {
      case 'url':
        if (value !== undefined) p.urls.push(value);
        break;
      case 'resolve':
        if (value !== undefined) p.resolves.push(value);
        break;
      case 'connect-to':
        if (value !== undefined) p.connectTos.push(value);
        break;
      case 'silent':
        p.silent = !negated;
        break;
      case 'show-error':
        p.showError = !negated;
        break;
      case 'verbose':
        p.verbose = !negated;
        break;
      case 'globoff':
        p.globOff = !negated;
        break;
      case 'write-out':
        p.writeOut = value;
        break;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      p.urls.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const name = a.slice(2);
      let info = table.long.get(name);
      let negated = false;
      if (!info && name.startsWith('no-')) {
        const base = table.long.get(name.slice(3));
        if (base && !base.takesArg) {
          info = base;
          negated = true;
        }
      }
      if (!info) {
        p.unknown.push(a);
        continue;
      }
      apply(info, negated, info.takesArg ? args[++i] : undefined);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const info = table.short.get(a[j]);
        if (!info) {
          p.unknown.push(`-${a[j]}`);
          continue;
        }
        if (info.takesArg) {
          const rest = a.slice(j + 1);
          apply(info, false, rest.length > 0 ? rest : args[++i]);
          break;
        }
        apply(info, false, undefined);
      }
    } else {
      p.urls.push(a);
    }
  }
  return p;
}

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ftp: 21,
  ftps: 990,
  dict: 2628,
  ldap: 389,
  ldaps: 636,
  imap: 143,
  imaps: 993,
  pop3: 110,
  pop3s: 995,
  smtp: 25,
  smtps: 465,
  gopher: 70,
  gophers: 70,
  telnet: 23,
  tftp: 69,
  mqtt: 1883,
  rtsp: 554,
  scp: 22,
  sftp: 22,
  smb: 445,
  smbs: 445,
};

export interface UrlTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * Host and port curl will connect to for a URL argument, or `undefined` for
 * URLs without a network host (file:), or 'uncertain' when this parser cannot
 * tell (globs, unknown schemes, garbage).
 */
export function urlTarget(raw: string, globOff: boolean): UrlTarget | undefined | 'uncertain' {
  let text = raw;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  let scheme: string;
  if (schemeMatch) scheme = schemeMatch[1].toLowerCase();
  else {
    // curl guesses the scheme from the host name's first label, like `ftp.example.com`.
    const guess = /^(ftp|dict|ldap|imap|smtp|pop3)\./i.exec(text);
    scheme = guess ? guess[1].toLowerCase() : 'http';
    text = `${scheme}://${text}`;
  }
  if (scheme === 'file') return undefined;
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined) return 'uncertain';
  const authority = text.slice(scheme.length + 3).split(/[/?#]/, 1)[0] ?? '';
  if (!globOff && /[{}]|\[(?![0-9a-f:.]*\])/i.test(authority)) return 'uncertain';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'uncertain';
  }
  if (url.hostname === '') return 'uncertain';
  return { host: url.hostname.toLowerCase(), port: url.port === '' ? defaultPort : Number(url.port) };
}

export interface PodNetworkContext {
  /** `host:port` → `127.x.y.z:port` */
  readonly routes: Readonly<Record<string, string>>;
  readonly namespace: string;
  readonly clusterDomain: string;
  /** A closed loopback `ip:port` that catches every unmapped connection. */
  readonly catchAll: string;
}

export type Destination =
  | { readonly kind: 'mapped'; readonly host: string; readonly port: number; readonly name: string; readonly target: string }
  | { readonly kind: 'known'; readonly host: string; readonly port: number }
  | { readonly kind: 'unresolvable'; readonly host: string; readonly port: number };

function splitHostPort(spec: string): [string, string] | undefined {
  const i = spec.lastIndexOf(':');
  return i < 0 ? undefined : [spec.slice(0, i), spec.slice(i + 1)];
}

/** The DNS names the pod's resolver would try for `name` (resolv.conf search list, ndots:5). */
export function searchCandidates(name: string, namespace: string, clusterDomain: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = [`${name}.${namespace}.svc.${clusterDomain}`, `${name}.svc.${clusterDomain}`, `${name}.${clusterDomain}`];
  return dots >= 5 ? [name, ...searched] : [...searched, name];
}

/** Where a connection to `host:port` from this pod ends up. */
export function resolveDestination(host: string, port: number, parsed: Pick<ParsedCurl, 'resolves' | 'connectTos'>, ctx: PodNetworkContext): Destination {
  let name = host;
  let connectPort = port;
  for (const spec of parsed.connectTos) {
    const m = /^([^:]*):(\d*):([^:]*):(\d*)$/.exec(spec);
    if (!m) continue;
    if ((m[1] === '' || m[1].toLowerCase() === host) && (m[2] === '' || Number(m[2]) === port)) {
      name = m[3] === '' ? host : m[3].toLowerCase();
      connectPort = m[4] === '' ? port : Number(m[4]);
      break;
    }
  }
  for (const spec of parsed.resolves) {
    const m = /^\+?([^:]+):(\d+):(.+)$/.exec(spec);
    if (!m || m[1].toLowerCase() !== name || Number(m[2]) !== connectPort) continue;
    for (const addr of m[3].split(',')) {
      const ip = addr.replace(/^\[|\]$/g, '');
      const target = ctx.routes[`${ip}:${connectPort}`];
      if (target) return { kind: 'mapped', host, port, name, target };
    }
    return { kind: 'known', host, port };
  }
  if (isIP(name) !== 0) {
    const target = ctx.routes[`${name}:${connectPort}`];
    return target ? { kind: 'mapped', host, port, name, target } : { kind: 'known', host, port };
  }
  const knownHosts = new Set(Object.keys(ctx.routes).map((k) => splitHostPort(k)?.[0]?.toLowerCase() ?? k));
  for (const candidate of searchCandidates(name, ctx.namespace, ctx.clusterDomain)) {
    if (!knownHosts.has(candidate)) continue;
    const target = ctx.routes[`${candidate}:${connectPort}`];
    return target ? { kind: 'mapped', host, port, name, target } : { kind: 'known', host, port };
  }
  return { kind: 'unresolvable', host, port };
}

export type CurlPlan =
  /** Run curl with `args` (argv after the binary). */
  | { readonly kind: 'run'; readonly args: string[]; readonly destinations: Destination[] }
  /**
   * `host` must fail to resolve: run curl with `args` and socket(2) denied. Where
   * that is impossible: emulate the failure, or (`uncertain`: this parser could
   * not read a URL) run `fallbackArgs`, which carry the loopback catch-all.
   */
  | {
      readonly kind: 'unresolvable';
      readonly args: string[];
      readonly fallbackArgs: string[];
      readonly uncertain: boolean;
      readonly host: string;
      readonly url: string;
      readonly parsed: ParsedCurl;
      readonly destinations: Destination[];
    }
  /** Do not run curl: print `message` to stderr, exit `exitCode`. */
  | { readonly kind: 'refuse'; readonly exitCode: number; readonly message: string };

/** Decides how the fake pod runs `curl <userArgs>`. */
export function planCurl(userArgs: readonly string[], table: CurlOptionTable, ctx: PodNetworkContext): CurlPlan {
  const parsed = parseCurlArgs(userArgs, table);
  if (parsed.refused.length > 0) {
    return { kind: 'refuse', exitCode: 2, message: `fake pod: curl option ${[...new Set(parsed.refused)].join(', ')} is not supported by the test harness (it could leave loopback)\n` };
  }
  if (parsed.badOutputs.length > 0) {
    return { kind: 'refuse', exitCode: 2, message: `fake pod: curl may only write relative paths or /dev/null in the test harness: ${parsed.badOutputs.join(', ')}\n` };
  }
  const destinations: Destination[] = [];
  let unresolvable: { host: string; url: string; uncertain: boolean } | undefined;
  for (const url of parsed.urls) {
    const t = urlTarget(url, parsed.globOff);
    if (t === undefined) continue;
    if (t === 'uncertain') {
      unresolvable ??= { host: url, url, uncertain: true };
      continue;
    }
    const d = resolveDestination(t.host, t.port, parsed, ctx);
    destinations.push(d);
    if (d.kind === 'unresolvable') unresolvable ??= { host: t.host, url, uncertain: false };
  }
  const mapping: string[] = [];
  const seen = new Set<string>();
  for (const d of destinations) {
    if (d.kind !== 'mapped') continue;
    const [tip, tport] = splitHostPort(d.target)!;
    const hostSpec = isIP(d.host) === 6 ? `[${d.host}]` : d.host;
    const entry =
      isIP(d.name) !== 0 ? [`--connect-to`, `${hostSpec}:${d.port}:${tip}:${tport}`] : [`--connect-to`, `${hostSpec}:${d.port}:${d.name}:${tport}`, '--resolve', `${d.name}:${tport}:${tip}`];
    const key = entry.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    mapping.push(...entry);
  }
  const runArgs = ['-q', ...mapping, '--connect-to', `::${ctx.catchAll}`, ...userArgs];
  if (unresolvable) {
    return {
      kind: 'unresolvable',
      args: ['-q', ...userArgs],
      fallbackArgs: runArgs,
      uncertain: unresolvable.uncertain,
      host: unresolvable.host,
      url: unresolvable.url,
      parsed,
      destinations,
    };
  }
  return { kind: 'run', args: runArgs, destinations };
}

const TRACED = 'trace=socket,connect,bind,sendto,sendmsg,sendmmsg';

/**
 * The strace argv that runs curl with every socket(2) failing, so no packet
 * can leave. `traceFile` also records the socket syscalls there.
 */
export function deniedSocketsArgv(curlArgs: readonly string[], traceFile?: string): string[] {
  return ['-f', '-qq', '-o', traceFile ?? '/dev/null', '-e', TRACED, '-e', 'inject=socket:error=EACCES', CURL, ...curlArgs];
}

/** The strace argv that runs curl normally but records its socket syscalls in `traceFile`. */
export function tracedArgv(curlArgs: readonly string[], traceFile: string): string[] {
  return ['-f', '-qq', '-o', traceFile, '-e', TRACED, CURL, ...curlArgs];
}

/**
 * Addresses a traced process connected or sent to (from a strace log written
 * by `deniedSocketsArgv`/`tracedArgv`): `127.0.0.1:40123`, `[::1]:80`,
 * `unix:/path`. Tests assert they all lie in 127.0.0.0/8.
 */
export function tracedDestinations(trace: string): string[] {
  const out: string[] = [];
  for (const line of trace.split('\n')) {
    if (!/\b(connect|sendto|sendmsg|sendmmsg)\(/.test(line)) continue;
    const v4 = /sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(line);
    const v6 = /sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
    const unix = /sun_path="([^"]*)"/.exec(line);
    if (v4) out.push(`${v4[2]}:${v4[1]}`);
    else if (v6) out.push(`[${v6[2]}]:${v6[1]}`);
    else if (unix) out.push(`unix:${unix[1]}`);
  }
  return out;
}

const PROGRESS_HEAD =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
  '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
  '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0';

/**
 * curl 7.88.1's output for a host that does not resolve, for machines where
 * strace cannot deny sockets (then curl is not run at all). Covers -s/-S/-v and
 * the common `-w` variables.
 */
export function emulateResolveFailure(plan: { host: string; url: string; parsed: ParsedCurl }): { stdout: string; stderr: string; exitCode: number } {
  const msg = `Could not resolve host: ${plan.host}`;
  let stderr = plan.parsed.silent ? '' : PROGRESS_HEAD;
  if (plan.parsed.verbose) stderr += `* ${msg}\n* Closing connection 0\n`;
  if (!plan.parsed.silent || plan.parsed.showError) stderr += `curl: (6) ${msg}\n`;
  let stdout = '';
  if (plan.parsed.writeOut !== undefined) {
    const vars: Record<string, string> = {
      http_code: '000',
      response_code: '000',
      http_connect: '000',
      exitcode: '6',
      errormsg: msg,
      url: plan.url,
      url_effective: /^[a-z][a-z0-9+.-]*:\/\//i.test(plan.url) ? plan.url : `http://${plan.url}`,
      remote_ip: '',
      remote_port: '0',
      local_ip: '',
      local_port: '0',
      num_connects: '0',
      num_redirects: '0',
      size_download: '0',
      size_upload: '0',
      size_header: '0',
      size_request: '0',
      content_type: '',
      redirect_url: '',
      scheme: '',
      ssl_verify_result: '0',
      http_version: '0',
      method: 'GET',
    };
    let target: 'stdout' | 'stderr' = 'stdout';
    const text = plan.parsed.writeOut.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t');
    for (const part of text.split(/(%\{[a-z_]+\}|%%)/)) {
      let out = part;
      if (part === '%%') out = '%';
      else if (part.startsWith('%{')) {
        const name = part.slice(2, -1);
        if (name === 'stderr' || name === 'stdout') {
          target = name;
          continue;
        }
        out = vars[name] ?? (name.startsWith('time_') ? '0.000000' : '');
      }
      if (target === 'stdout') stdout += out;
      else stderr += out;
    }
  }
  return { stdout, stderr, exitCode: 6 };
}
