/**
 * A language server under benchmark: a fresh process, driven over stdio by a real LSP client, with every wait bounded.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type ProtocolConnection,
  type Range,
} from 'vscode-languageserver-protocol/node';

export class StepTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
  }
}

export class ServerGone extends Error {}

/** How to start one of the servers, and what it is told about settings. */
export interface ServerSpec {
  /** Short name used in tables. */
  readonly name: string;
  readonly args: readonly string[];
  /** Settings sent with `workspace/didChangeConfiguration`. */
  readonly pushedSettings: unknown;
  /** The answer to one `workspace/configuration` item, by section. */
  configuration(section: string | undefined): unknown;
}

export interface Publish {
  readonly uri: string;
  readonly version: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** performance.now() when the notification was read. */
  readonly at: number;
  /** Order of arrival, over all uris. */
  readonly seq: number;
}

interface Waiter {
  readonly uri: string;
  readonly afterSeq: number;
  readonly accept: (p: Publish) => boolean;
  readonly resolve: (p: Publish) => void;
  readonly reject: (e: Error) => void;
}

/** Every child this process started, so that an interrupted benchmark leaves none behind. */
const LIVE = new Set<ChildProcess>();

/** Remembers a child until it exits, so that killAllStarted() can end it. */
export function track(child: ChildProcess): void {
  LIVE.add(child);
  child.once('exit', () => LIVE.delete(child));
}

export function killAllStarted(): void {
  for (const child of LIVE) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  LIVE.clear();
}

export class BenchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly connection: ProtocolConnection;
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private seq = 0;
  private exited = false;
  readonly publishes: Publish[] = [];
  readonly stderr: string[] = [];
  /** `window/logMessage` texts with their arrival time. */
  readonly logs: { readonly message: string; readonly at: number }[] = [];
  private readonly logWaiters: { readonly pattern: RegExp; readonly resolve: (m: { message: string; at: number }) => void }[] = [];
  /** performance.now() when `initialized` was sent. */
  initializedAt = Number.NaN;

  constructor(
    readonly spec: ServerSpec,
    cwd: string,
  ) {
    this.child = spawn(process.execPath, [...spec.args], { cwd, stdio: 'pipe' });
    track(this.child);
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 200) this.stderr.push(chunk.toString());
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const waiter of this.waiters.splice(0)) waiter.reject(new ServerGone(`${spec.name} exited`));
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const publish: Publish = { uri: params.uri, version: params.version, diagnostics: params.diagnostics, at: performance.now(), seq: ++this.seq };
      this.publishes.push(publish);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === publish.uri && publish.seq > waiter.afterSeq && waiter.accept(publish)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(publish);
        }
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      const entry = { message: params.message, at: performance.now() };
      if (this.logs.length < 1000) this.logs.push(entry);
      for (const waiter of [...this.logWaiters]) {
        if (waiter.pattern.test(entry.message)) {
          this.logWaiters.splice(this.logWaiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => spec.configuration(item.section)));
    // Acknowledged, nothing more; other requests get the protocol's "method not found", other notifications are dropped.
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'workspace/codeLens/refresh']) {
      this.connection.onRequest(method, () => null);
    }
    this.connection.onError(() => undefined);
    this.connection.onClose(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new ServerGone(`${this.spec.name} did not start`);
    return pid;
  }

  get alive(): boolean {
    return !this.exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The sequence number of the last publish received; waits can ask for publishes after it. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Initializes with one workspace folder, or none (`null`: a file opened on its own). */
  async initialize(workspaceUri: string | null, timeoutMs: number): Promise<void> {
    await bounded(
      'initialize',
      timeoutMs,
      this.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: workspaceUri,
        workspaceFolders: workspaceUri ? [{ uri: workspaceUri, name: 'bench' }] : null,
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: false },
            publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
            completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
            hover: { contentFormat: ['markdown', 'plaintext'] },
          },
        },
      }),
    );
    this.initializedAt = performance.now();
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: this.spec.pushedSettings });
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** One incremental change; returns the new version. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  /** The first publish for `uri` after `afterSeq` that `accept` takes. */
  waitForPublish(uri: string, afterSeq: number, timeoutMs: number, accept: (p: Publish) => boolean = () => true): Promise<Publish> {
    const seen = this.publishes.find((p) => p.uri === uri && p.seq > afterSeq && accept(p));
    if (seen) return Promise.resolve(seen);
    if (!this.alive) return Promise.reject(new ServerGone(`${this.spec.name} exited`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(new StepTimeout(`diagnostics for ${uri}`, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = {
        uri,
        afterSeq,
        accept,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * The last publish for `uri` after `afterSeq` once `quietMs` have passed without another: a server that publishes in
   * stages (ours, on large files) sends its complete set last.
   */
  async waitForQuiet(uri: string, afterSeq: number, quietMs: number, timeoutMs: number): Promise<Publish> {
    const deadline = performance.now() + timeoutMs;
    let last = await this.waitForPublish(uri, afterSeq, timeoutMs);
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining < quietMs) throw new StepTimeout(`quiet after diagnostics for ${uri}`, timeoutMs);
      try {
        last = await this.waitForPublish(uri, last.seq, quietMs);
      } catch (error) {
        if (error instanceof StepTimeout) return last;
        throw error;
      }
    }
  }

  /** The first `window/logMessage` matching `pattern` (already received or still to come). */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<{ message: string; at: number }> {
    const seen = this.logs.find((l) => pattern.test(l.message));
    if (seen) return Promise.resolve(seen);
    return bounded(`log ${String(pattern)}`, timeoutMs, new Promise((resolve) => this.logWaiters.push({ pattern, resolve })));
  }

  async completion(uri: string, position: Position, timeoutMs: number): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await bounded(
      'completion',
      timeoutMs,
      this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
    );
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  hover(uri: string, position: Position, timeoutMs: number): Promise<Hover | null> {
    return bounded('hover', timeoutMs, this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
  }

  /** Peak resident set size so far (VmHWM), in KiB, or undefined when /proc does not say. */
  peakRssKiB(): number | undefined {
    return readVmHwmKiB(this.pid);
  }

  /** Asks the server to shut down and exit, then kills it if it has not gone within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.alive) {
      try {
        await bounded('shutdown', graceMs, this.connection.sendRequest(ShutdownRequest.type));
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Busy or gone: killed below.
      }
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new ServerGone(`${this.spec.name} stopped`));
  }

  /** Kills the process at once (after a timeout the server's state is unknown). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

/** Rejects with StepTimeout when `promise` takes longer than `ms`. */
export function bounded<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepTimeout(what, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function readVmHwmKiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
