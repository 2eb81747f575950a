import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { registerProbeCommand } from './probeCommand';
import { registerStatusBar } from './statusBar';

/** Also names the client's trace setting, `istioEgress.trace.server`. */
const CLIENT_ID = SETTINGS_SECTION;
/** Kinds the server knows; it is started only when a YAML document declares one of them. */
const KNOWN_KIND = /^kind:[ \t]*["']?(?:Service|Endpoints|DestinationRule|ServiceEntry)["']?[ \t]*(?:#.*)?$/m;

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  let starting: Promise<LanguageClient> | undefined;
  /** Starts the server once; the probe command may need it before any relevant YAML was opened. */
  const ensureClient = (): Promise<LanguageClient> => {
    starting ??= (async () => {
      client = createClient(context);
      await client.start();
      return client;
    })();
    return starting;
  };
  registerProbeCommand(context, ensureClient);
  let statusBar = false;
  const startIfRelevant = (document: vscode.TextDocument): void => {
    if (starting || document.languageId !== 'yaml' || !KNOWN_KIND.test(document.getText())) return;
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
    ],
    synchronize: { configurationSection: CLIENT_ID },
    initializationOptions: { settings: vscode.workspace.getConfiguration(CLIENT_ID) },
  };
  return new LanguageClient(CLIENT_ID, 'Istio Egress', serverOptions, clientOptions);
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
