import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidSaveTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentHighlightRequest,
  DocumentSymbolRequest,
  ExitNotification,
  FoldingRangeRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Definition,
  type Diagnostic,
  type DocumentHighlight,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type LocationLink,
  type Position,
  type ProtocolConnection,
  type Range,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { bounded, ServerGone } from './bounded';
import { DIST } from './paths';
import { Publications, type Publication } from './publications';

export type { Publication } from './publications';

export interface LspClientOptions {
  /** Node's arguments: the server script and its flags. Default: the built `dist/server.js --stdio`. */
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** Names the server in errors. */
  readonly name?: string;
  /** The server's environment (default: this process's), e.g. a temporary HOME for the helm it runs. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LogEntry {
  readonly message: string;
  /** performance.now() when the notification was read. */
  readonly at: number;
}

/** What the tests' client announces: pulled settings, watched files, hierarchical symbols. */
const TEST_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

/**
 * A real LSP client driving a language server process (by default the built `dist/server.js --stdio`) over its
 * standard streams: the tests' client, and the benchmark's underneath its time limits. Every publication is kept
 * with its arrival time and order, so a caller can wait for a document's next set, a given version, or the first set
 * after some point; waits fail at once when the server exits.
 */
export class LspTestClient {
  /** The server process (the benchmark tracks it, to kill it when interrupted). */
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];
  /** `window/logMessage` texts, in order. */
  readonly logs: string[] = [];
  /** Registrations the server asked for (method names), e.g. `workspace/didChangeWatchedFiles`. */
  readonly registrations: string[] = [];
  /** What the client answers to `workspace/configuration` for the `istioEgress` section. */
  settings: Record<string, unknown> = {};
  /** The answer to one `workspace/configuration` item, by section: `settings` for any section unless replaced. */
  configuration: (section: string | undefined) => unknown = () => this.settings;
  /** performance.now() when `initialized` was sent. */
  initializedAt = Number.NaN;
  private readonly name: string;
  private readonly logTimes: number[] = [];
  private readonly logWaiters: { readonly pattern: RegExp; readonly resolve: (log: LogEntry) => void }[] = [];
  private readonly published = new Publications(() => (this.alive ? undefined : new ServerGone(`${this.name} exited`)));
  private readonly versions = new Map<string, number>();
  private exited = false;

  constructor({ args = [path.join(DIST, 'server.js'), '--stdio'], cwd, name = 'server', env }: LspClientOptions = {}) {
    this.name = name;
    this.child = spawn(process.execPath, [...args], { cwd, env: env ?? process.env, stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', () => {
      this.exited = true;
      this.published.failWaits(new ServerGone(`${name} exited`));
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.published.add(params));
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      const log: LogEntry = { message: params.message, at: performance.now() };
      this.logs.push(log.message);
      this.logTimes.push(log.at);
      for (const waiter of [...this.logWaiters]) {
        if (waiter.pattern.test(log.message)) {
          this.logWaiters.splice(this.logWaiters.indexOf(waiter), 1);
          waiter.resolve(log);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => this.configuration(item.section)));
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
    });
    // Acknowledged, nothing more (yaml-language-server asks for these); other requests get "method not found".
    for (const method of ['client/unregisterCapability', 'window/workDoneProgress/create', 'workspace/codeLens/refresh']) {
      this.connection.onRequest(method, () => null);
    }
    // A write to a server that has gone fails its send; the waits report the exit.
    this.connection.onError(() => undefined);
    this.connection.onClose(() => undefined);
    this.connection.listen();
  }

  get alive(): boolean {
    return !this.exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The `seq` of the last publication received, for waits that want only later ones. */
  get lastSeq(): number {
    return this.published.lastSeq;
  }

  /** Initializes with the tests' capabilities and these workspace folders (none: files opened on their own). */
  initialize(workspaceFolders: readonly string[] = [], initializationOptions?: unknown): Promise<InitializeResult> {
    return this.initializeWith({
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolders.length ? workspaceFolders.map((uri, i) => ({ uri, name: `folder${i}` })) : null,
      capabilities: TEST_CAPABILITIES,
      ...(initializationOptions === undefined ? {} : { initializationOptions }),
    });
  }

  /** Tells the server a document was saved (`textDocument/didSave`). */
  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Sends a notification of the server's own protocol. */
  async notify(method: string, params?: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** Sends `initialize` with exactly `params`, then `initialized`. */
  async initializeWith(params: InitializeParams): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, params);
    this.initializedAt = performance.now();
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Pushes settings (`workspace/didChangeConfiguration`), for servers that do not pull them. */
  async changeConfiguration(settings: unknown): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Replaces `range` with `text` (an incremental change), bumping the version. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  /** Replaces the whole text (a full-document change), bumping the version. */
  async replaceAll(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async watchedFilesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The first publication for `uri` after `after` (a `lastSeq`) that `accept` takes, already here or still to come. */
  waitForPublication(uri: string, { after, accept = () => true, timeoutMs = 10_000 }: { after: number; accept?: (p: Publication) => boolean; timeoutMs?: number }): Promise<Publication> {
    return this.published.waitFor(uri, after, accept, timeoutMs);
  }

  /** The last publication for `uri` that `accept` takes (by default: any) if there is one yet, else the next. */
  waitForDiagnostics(uri: string, accept: (p: Publication) => boolean = () => true, timeoutMs = 10_000): Promise<Publication> {
    const seen = this.publications(uri).filter(accept);
    const last = seen[seen.length - 1];
    return last ? Promise.resolve(last) : this.waitForPublication(uri, { after: this.lastSeq, accept, timeoutMs });
  }

  /** Like waitForDiagnostics, but only publications that arrive after this call count. */
  nextDiagnostics(uri: string, accept: (p: Publication) => boolean = () => true, timeoutMs = 10_000): Promise<Publication> {
    return this.waitForPublication(uri, { after: this.lastSeq, accept, timeoutMs });
  }

  /** Every publication for `uri` so far, in order of arrival. */
  publications(uri: string): readonly Publication[] {
    return this.published.of(uri);
  }

  /** Waits for diagnostics of a given document version. */
  diagnosticsOfVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, (p) => p.version === version).then((p) => p.diagnostics);
  }

  /** The first `window/logMessage` matching `pattern` (already received or still to come), with its arrival time. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<LogEntry> {
    const index = this.logs.findIndex((message) => pattern.test(message));
    const message = this.logs[index];
    if (message !== undefined) return Promise.resolve({ message, at: this.logTimes[index] ?? Number.NaN });
    return bounded(`log ${String(pattern)}`, timeoutMs, new Promise<LogEntry>((resolve) => this.logWaiters.push({ pattern, resolve })));
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Definition | LocationLink[] | null> {
    return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
  }

  references(uri: string, position: Position, includeDeclaration: boolean): Promise<Location[] | null> {
    return this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } });
  }

  highlights(uri: string, position: Position): Promise<DocumentHighlight[] | null> {
    return this.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position });
  }

  symbols(uri: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
    return this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  }

  folding(uri: string): Promise<FoldingRange[] | null> {
    return this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  }

  /** Asks the server to shut down and exit; kills it if it has not answered, or not gone, within `graceMs` each. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.alive) {
      try {
        await bounded('shutdown', graceMs, this.connection.sendRequest(ShutdownRequest.type));
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Busy or already gone: killed below.
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
    this.published.failWaits(new ServerGone(`${this.name} stopped`));
  }

  /** Kills the process at once (after a timeout the server's state is unknown). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

export function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}

/** A diagnostic's message as text (LSP 3.18 allows markup there). */
export function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
