import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Analysis } from '../analysis/engine/analysis';
import { YamlService } from '../schema/yamlService';
import type { ServerContext } from './context';
import { DiagnosticsPublisher } from './diagnostics';
import { registerCodeActions } from './features/codeActions';
import { registerCodeLens } from './features/codeLens';
import { registerProbeRequests } from './features/probeTarget';
import { registerCompletion } from './features/completion';
import { registerFolding } from './features/folding';
import { registerHover } from './features/hover';
import { registerNavigation } from './features/navigation';
import { registerSymbols } from './features/symbols';
import { OpenDocuments } from './openDocuments';
import { PARSE_WORKER_SCRIPT, ParseWorkerClient } from './parseWorkerClient';
import { holdOnInput, REQUESTS } from './requestGate';
import { describe, runNotification } from './runner';
import { ProjectSettings } from './projectSettings';
import { helmSettings, maxFileBytes, optionsFromSettings } from './settings';
import { SETTINGS_SECTION } from '../shared/settings';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../shared/protocol';
import { ChartRenderer, type HelmSettings } from './chartRenderer';
import { OverlayBuilder } from './overlayBuilder';
import { warmUp, warmUpInIdleTime } from './warmUp';
import { WorkspaceIndexer } from './workspaceIndexer';

/** Starts the language server on the transport named on the command line (`--stdio`, `--node-ipc`, `--socket=N`). */
export function startServer(): void {
  holdOnInput(REQUESTS);
  const connection = createConnection(ProposedFeatures.all);
  const analysis = new Analysis();
  const open = new OpenDocuments(analysis);
  const yaml = new YamlService();
  const settings = new ProjectSettings(analysis);
  const ctx: ServerContext = { connection, analysis, open, yaml, settings };

  let pullConfiguration = false;
  let watchFiles = false;
  const parser = new ParseWorkerClient(PARSE_WORKER_SCRIPT, (message) => connection.console.warn(message));
  const publisher = new DiagnosticsPublisher(connection, analysis, open, settings, parser);
  const indexer = new WorkspaceIndexer(connection, analysis, open, () => publisher.schedule(), parser);
  const charts = new ChartRenderer(
    connection,
    analysis,
    (dir) => settings.projectFor(dir),
    () => publisher.schedule(),
  );
  const overlays = new OverlayBuilder(
    connection,
    analysis,
    (dir) => settings.projectFor(dir),
    () => publisher.schedule(),
  );
  let helm: HelmSettings | undefined;

  process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${describe(error)}`));
  process.on('unhandledRejection', (error) => connection.console.error(`unhandled rejection: ${describe(error)}`));

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    await warmUp(yaml).catch((error: unknown) => connection.console.error(`warm-up failed: ${describe(error)}`));
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    indexer.setFolders(folders);
    settings.setFolders(folders);
    charts.setFolders(folders);
    overlays.setFolders(folders);
    const init: unknown = params.initializationOptions;
    if (typeof init === 'object' && init !== null && 'settings' in init) {
      settings.setEditorOptions(optionsFromSettings(init.settings));
      open.maxBytes = maxFileBytes(init.settings);
      helm = helmSettings(init.settings);
    }
    // Editors without workspace trust do not send it: there the user chose to run the server on the folder.
    if (typeof init === 'object' && init !== null && 'workspaceTrusted' in init) {
      charts.setTrusted(init.workspaceTrusted !== false);
      overlays.setTrusted(init.workspaceTrusted !== false);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [' ', ':'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Istio Egress' },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
      },
      serverInfo: { name: 'istio-egress-language-server', version: '0.1.0' },
    };
  });

  const refreshSettings = async (pushed?: unknown): Promise<void> => {
    const section: unknown = pullConfiguration ? await connection.workspace.getConfiguration(SETTINGS_SECTION) : pushed;
    if (section !== undefined) {
      settings.setEditorOptions(optionsFromSettings(section));
      open.maxBytes = maxFileBytes(section);
      open.resync();
      charts.setHelm(helmSettings(section));
      overlays.setKubectl(helmSettings(section).kubectlPath);
    }
    publisher.schedule();
  };

  connection.onInitialized(() => {
    void warmUpInIdleTime().catch((error: unknown) => connection.console.error(`warm-up failed: ${describe(error)}`));
    if (watchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          // Templates' helpers (`_helpers.tpl`) are part of a chart too: a change renders it again.
          watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.istio-egress.yaml' }, { globPattern: '**/templates/**/*.tpl' }],
        })
        .catch(() => undefined);
    }
    publisher.setWorkspaceKnown(false);
    runNotification(connection, 'workspace indexing', async () => {
      try {
        await settings.reload();
        await indexer.indexAll();
      } finally {
        publisher.setWorkspaceKnown(true);
      }
      // Off the indexing path: a chart's findings come when helm has rendered it.
      if (helm) {
        charts.setHelm(helm);
        overlays.setKubectl(helm.kubectlPath);
      }
      runNotification(connection, 'chart rendering', () => charts.renderAll());
      runNotification(connection, 'overlay builds', () => overlays.buildAll());
    });
    if (pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
      runNotification(connection, 'settings', () => refreshSettings());
    }
  });
  connection.onDidChangeConfiguration((params) => {
    const settings: unknown = params.settings;
    const pushed = typeof settings === 'object' && settings !== null && SETTINGS_SECTION in settings ? settings[SETTINGS_SECTION] : undefined;
    runNotification(connection, 'settings', () => refreshSettings(pushed));
  });

  open.documents.onDidOpen((e) => publisher.schedule(e.document.uri));
  open.documents.onDidSave((e) => {
    charts.fileChanged(e.document.uri);
    overlays.fileChanged(e.document.uri);
  });
  connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
    charts.setTrusted(true);
    overlays.setTrusted(true);
  });
  open.documents.onDidChangeContent((e) => publisher.schedule(e.document.uri));
  open.documents.onDidClose((e) => {
    const uri = e.document.uri;
    open.closed(uri);
    publisher.forget(uri);
    runNotification(connection, 'close', () => indexer.closed(uri).then(() => publisher.schedule()));
  });
  connection.onDidChangeWatchedFiles((params) =>
    runNotification(connection, 'watched files', async () => {
      const projectFileChanged = params.changes.some((c) => ProjectSettings.isProjectFile(c.uri));
      if (projectFileChanged) await settings.reload();
      await indexer.onWatchedFiles(params.changes.filter((c) => !ProjectSettings.isProjectFile(c.uri)));
      if (projectFileChanged) {
        charts.projectFilesChanged();
        void overlays.buildAll();
      }
      for (const change of params.changes) {
        charts.fileChanged(change.uri);
        overlays.fileChanged(change.uri);
      }
    }),
  );

  registerCompletion(ctx);
  registerHover(ctx);
  registerSymbols(ctx);
  registerFolding(ctx);
  registerCodeActions(ctx);
  registerCodeLens(ctx);
  registerProbeRequests(ctx);
  registerNavigation(ctx);

  open.documents.listen(connection);
  connection.listen();
}
