import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../server/src/shared/protocol';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { registerProbeCommand } from './probeCommand';
import { registerStatusBar } from './statusBar';

/** Also names the client's trace setting, `istioEgress.trace.server`. */
const CLIENT_ID = SETTINGS_SECTION;
/** Kinds the server knows; it is started only when a YAML document declares one of them. */
const KNOWN_KIND = /^kind:[ \t]*["']?(?:Service|Endpoints|DestinationRule|ServiceEntry|VirtualService)["']?[ \t]*(?:#.*)?$/m;
/** Chart templates are `helm` documents where an extension (Kubernetes, helm-ls) claims them. */
const LANGUAGES = new Set(['yaml', 'helm']);

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  let starting: Promise<LanguageClient> | undefined;
  /** Starts the server once; the probe command may need it before any relevant YAML was opened. */
  const ensureClient = (): Promise<LanguageClient> => {
    starting ??= (async () => {
      const started = createClient(context);
      client = started;
      await started.start();
      // Charts are rendered with helm only once the user trusts the workspace.
      context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void started.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION)));
      return started;
    })();
    return starting;
  };
  registerProbeCommand(context, ensureClient);
  let statusBar = false;
  const startIfRelevant = (document: vscode.TextDocument): void => {
    if (starting || !LANGUAGES.has(document.languageId) || !KNOWN_KIND.test(document.getText())) return;
    void ensureClient();
    // The context is read with kubectl, so only once a relevant file shows the user works on egress.
    if (!statusBar) {
      statusBar = true;
      registerStatusBar(context);
    }
  };
  vscode.workspace.textDocuments.forEach(startIfRelevant);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(startIfRelevant),
    vscode.workspace.onDidChangeTextDocument((e) => startIfRelevant(e.document)),
  );
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'helm' },
    ],
    synchronize: { configurationSection: CLIENT_ID },
    initializationOptions: { settings: vscode.workspace.getConfiguration(CLIENT_ID), workspaceTrusted: vscode.workspace.isTrusted },
  };
  return new LanguageClient(CLIENT_ID, 'Istio Egress', serverOptions, clientOptions);
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
