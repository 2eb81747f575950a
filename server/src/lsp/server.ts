import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Project } from '../analysis/workspace/project';
import { YamlService } from '../schema/yamlService';
import type { ServerContext } from './context';
import { DiagnosticsPublisher } from './diagnostics';
import { registerCodeActions } from './features/codeActions';
import { registerCompletion } from './features/completion';
import { registerFolding } from './features/folding';
import { registerHover } from './features/hover';
import { registerSymbols } from './features/symbols';
import { OpenDocuments } from './openDocuments';
import { describe, runNotification } from './runner';
import { optionsFromSettings } from './settings';

/** Starts the language server on the transport named on the command line (`--stdio`, `--node-ipc`, `--socket=N`). */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const project = new Project();
  const open = new OpenDocuments(project);
  const yaml = new YamlService();
  const ctx: ServerContext = { connection, project, open, yaml };
  const publisher = new DiagnosticsPublisher(connection, project, open, yaml);
  let pullConfiguration = false;

  process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${describe(error)}`));
  process.on('unhandledRejection', (error) => connection.console.error(`unhandled rejection: ${describe(error)}`));

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    const init: unknown = params.initializationOptions;
    if (typeof init === 'object' && init !== null && 'settings' in init) project.setOptions(optionsFromSettings(init.settings));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ':'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Istio Egress' },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'istio-egress-language-server', version: '0.1.0' },
    };
  });

  const refreshSettings = async (pushed?: unknown): Promise<void> => {
    const section: unknown = pullConfiguration ? await connection.workspace.getConfiguration('istioEgress') : pushed;
    if (section !== undefined) project.setOptions(optionsFromSettings(section));
    publisher.schedule();
  };

  connection.onInitialized(() => {
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'istioEgress' }).catch(() => undefined);
      runNotification(connection, 'settings', () => refreshSettings());
    }
  });
  connection.onDidChangeConfiguration((params) => {
    const settings: unknown = params.settings;
    const pushed = typeof settings === 'object' && settings !== null && 'istioEgress' in settings ? settings.istioEgress : undefined;
    runNotification(connection, 'settings', () => refreshSettings(pushed));
  });

  open.documents.onDidOpen((e) => publisher.schedule(e.document.uri));
  open.documents.onDidChangeContent((e) => publisher.schedule(e.document.uri));
  open.documents.onDidClose((e) => {
    open.closed(e.document.uri);
    project.removeFile(e.document.uri);
    publisher.forget(e.document.uri);
    publisher.schedule();
  });

  registerCompletion(ctx);
  registerHover(ctx);
  registerSymbols(ctx);
  registerFolding(ctx);
  registerCodeActions(ctx);

  open.documents.listen(connection);
  connection.listen();
}
