/**
 * `pods/exec` over WebSocket (v5.channel.k8s.io, or v4): the command runs in a fake pod, which has only curl — the
 * machine's real /usr/bin/curl, its destinations mapped onto loopback test servers by the pod's network map (see
 * ../fakePod.ts). A host the pod cannot resolve fails as curl would, under strace or emulated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type * as http from 'node:http';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { CURL, STRACE, deniedSocketsArgv, emulateResolveFailure, planCurl, tracedArgv, type CurlOptionTable, type CurlPlan } from '../fakePod';
import { hasIstioProxy } from './objects';
import { isAuthorized, notFound, PATH_NOT_FOUND, sendRaw, status, UNAUTHORIZED } from './replies';
import { RESOURCES } from './resourceTypes';
import type { ObjectStore } from './store';
import type { ContainerFixture, ExecRecord, PodFixture, RequestRecord, Routes, UnresolvableMode } from './types';

/** What fake pods run with: shared with the rest of the cluster, set up once at its start. */
export interface PodExecOptions {
  readonly store: ObjectStore;
  readonly token: string;
  /** The cluster's request log: exec upgrades are logged there too. */
  readonly requests: RequestRecord[];
  /** Network maps by name; the cluster's `setRoute` changes them in place while it runs. */
  readonly networks: Record<string, Routes>;
  readonly curlOptions: CurlOptionTable;
  /** A closed loopback port, where connections to destinations outside the network map go. */
  readonly catchAll: string;
  readonly clusterDomain: string;
  /** The CA bundle curl trusts in every pod (CURL_CA_BUNDLE). */
  readonly caBundle: string;
  /** Each container's working directory and HOME is made under this. */
  readonly podRoot: string;
  readonly traceDir: string;
  /** Whether strace can make socket(2) fail on this machine (the `deny-sockets` mode). */
  readonly socketDenial: boolean;
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export class PodExec {
  readonly execLog: ExecRecord[] = [];
  /** Run curl under strace and keep the log in `ExecRecord.syscallTrace`. */
  tracing = false;
  private mode: UnresolvableMode;
  private traceCount = 0;
  /** curl processes still running. */
  private readonly children = new Set<ChildProcess>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : 'v4.channel.k8s.io'),
  });

  constructor(private readonly options: PodExecOptions) {
    this.mode = options.socketDenial ? 'deny-sockets' : 'emulate';
  }

  get unresolvableMode(): UnresolvableMode {
    return this.mode;
  }

  setUnresolvableMode(mode: UnresolvableMode): void {
    if (mode === 'deny-sockets' && !this.options.socketDenial) throw new Error('strace cannot deny socket(2) on this machine');
    this.mode = mode;
  }

  activeProcesses(): number {
    return this.children.size;
  }

  /** Kills the curl processes and drops the exec sockets; the HTTPS server itself is closed by its owner. */
  stop(): void {
    for (const child of this.children) killTree(child);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  /** The HTTPS server's `upgrade` handler: checks the request as the API server would, then runs the command. */
  onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = isAuthorized(req, this.options.token);
    this.options.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, authorized: ok });
    if (!ok) return sendRaw(socket, 401, UNAUTHORIZED);
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(url.pathname);
    if (!m) return sendRaw(socket, 404, PATH_NOT_FOUND);
    const [, namespace, podName, sub] = m as unknown as [string, string, string, string];
    const podRt = RESOURCES.find((r) => r.kind === 'Pod')!;
    const podObj = this.options.store.find(podRt, namespace, podName);
    const fixturePod = this.options.store.podFixture(namespace, podName);
    if (!podObj || !fixturePod) return sendRaw(socket, 404, notFound(podRt, podName));
    if (sub !== 'exec') return sendRaw(socket, 400, status(400, 'BadRequest', `the fake cluster does not implement pods/${sub}`, {}));
    const command = url.searchParams.getAll('command');
    const containerName = url.searchParams.get('container') ?? fixturePod.containers[0].name;
    const container = fixturePod.containers.find((c) => c.name === containerName);
    if (!container) return sendRaw(socket, 400, status(400, 'BadRequest', `container ${containerName} is not valid for pod ${podName}`, {}));
    if (command.length === 0) return sendRaw(socket, 400, status(400, 'BadRequest', 'you must specify at least 1 command', {}));
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return sendRaw(
        socket,
        400,
        status(400, 'BadRequest', 'the fake cluster only speaks WebSocket exec (v5.channel.k8s.io / v4.channel.k8s.io); set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true', {}),
      );
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!offered.includes('v5.channel.k8s.io') && !offered.includes('v4.channel.k8s.io')) {
      return sendRaw(socket, 400, status(400, 'BadRequest', `none of the offered subprotocols ${offered.join(', ')} is supported (v5.channel.k8s.io, v4.channel.k8s.io)`, {}));
    }
    const flag = (n: string): boolean => url.searchParams.get(n) === 'true' || url.searchParams.get(n) === '1';
    const record: ExecRecord = { namespace, pod: podName, container: containerName, command, stdin: flag('stdin'), tty: flag('tty') };
    this.execLog.push(record);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.run(ws, record, fixturePod, container, flag('stderr'));
    });
  }

  private async run(ws: WebSocket, record: ExecRecord, pod: PodFixture, container: ContainerFixture, wantStderr: boolean): Promise<void> {
    let finished = false;
    const send = (channel: number, data: Buffer | string): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(Buffer.concat([Buffer.of(channel), typeof data === 'string' ? Buffer.from(data) : data]));
    };
    const stderrChannel = wantStderr ? 2 : record.tty ? 1 : -1;
    const sendErr = (data: Buffer | string): void => {
      if (stderrChannel >= 0) send(stderrChannel, data);
    };
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      record.exitCode = code;
      const st =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command [${record.command.join(' ')}], exit code ${code}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
            };
      send(3, JSON.stringify(st));
      ws.close(1000);
    };
    // Assigned once the process starts, after the closures below that read it are made.
    // eslint-disable-next-line prefer-const
    let child: ChildProcess | undefined;
    // stdin that arrives before the process exists is queued; `null` = end of stdin.
    const pendingStdin: (Buffer | null)[] = [];
    const feedStdin = (chunk: Buffer | null): void => {
      if (!child) {
        pendingStdin.push(chunk);
        return;
      }
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed || stdin.writableEnded) return;
      if (chunk === null) stdin.end();
      else stdin.write(chunk);
    };
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (child) killTree(child);
    });
    ws.on('message', (data: RawData) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (buf.length === 0) return;
      const channel = buf[0];
      if (channel === 0 && buf.length > 1) feedStdin(buf.subarray(1));
      else if (channel === 255 && buf[1] === 0) feedStdin(null);
    });

    const [cmd, ...args] = record.command;
    if (cmd !== 'curl' || container.hasCurl === false) {
      record.mode = 'not-found';
      sendErr(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd ?? ''}": executable file not found in $PATH: unknown\r\n`);
      return finish(126);
    }
    const networkName = pod.network ?? (hasIstioProxy(pod) ? 'sidecar' : 'plain');
    const plan: CurlPlan = planCurl(args, this.options.curlOptions, {
      routes: this.options.networks[networkName] ?? {},
      namespace: pod.namespace,
      clusterDomain: this.options.clusterDomain,
      catchAll: this.options.catchAll,
    });
    if (plan.kind === 'refuse') {
      record.mode = 'refused';
      sendErr(plan.message);
      return finish(plan.exitCode);
    }
    let file: string;
    let argv: string[];
    const traceFile = this.tracing ? path.join(this.options.traceDir, `exec-${++this.traceCount}.strace`) : undefined;
    if (plan.kind === 'run') {
      record.mode = 'curl';
      record.curlArgs = plan.args;
      [file, argv] = traceFile ? [STRACE, tracedArgv(plan.args, traceFile)] : [CURL, plan.args];
    } else if (this.mode === 'deny-sockets') {
      record.mode = 'denied';
      record.curlArgs = plan.args;
      [file, argv] = [STRACE, deniedSocketsArgv(plan.args, traceFile)];
    } else if (plan.uncertain) {
      record.mode = 'curl';
      record.curlArgs = plan.fallbackArgs;
      [file, argv] = [CURL, plan.fallbackArgs];
    } else {
      record.mode = 'emulated';
      const out = emulateResolveFailure(plan);
      if (out.stdout) send(1, out.stdout);
      if (out.stderr) sendErr(out.stderr);
      return finish(out.exitCode);
    }
    if (traceFile) record.syscallTrace = traceFile;
    const cwd = path.join(this.options.podRoot, `${pod.namespace}.${pod.name}.${container.name}`);
    await mkdir(cwd, { recursive: true });
    if (ws.readyState !== WebSocket.OPEN) return;
    const proc = spawn(file, argv, {
      cwd,
      env: { PATH: '/usr/bin:/bin', HOME: cwd, CURL_CA_BUNDLE: this.options.caBundle },
      stdio: [record.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    this.children.add(proc);
    proc.stdin?.on('error', () => undefined);
    for (const chunk of pendingStdin.splice(0)) feedStdin(chunk);
    proc.stdout!.on('data', (c: Buffer) => send(1, c));
    proc.stderr!.on('data', (c: Buffer) => sendErr(c));
    proc.on('error', (err) => {
      this.children.delete(proc);
      sendErr(`fake pod: cannot run ${file}: ${err.message}\n`);
      finish(127);
    });
    proc.on('close', (code, signal) => {
      this.children.delete(proc);
      finish(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  }
}
