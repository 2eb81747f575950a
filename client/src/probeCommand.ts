import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { runKubectl } from '../../server/src/shared/kubectlRunner';
import type { ProbeSettings } from '../../server/src/shared/probeSettings';
import { PROBE_TARGET_REQUEST, SERVICES_REQUEST, type ProbeTargetParams, type ProbeTargetResult, type ServiceSummary } from '../../server/src/shared/protocol';
import type { Settings } from '../../server/src/shared/settings';
import { editorSettings } from './editorSettings';
import { connectionFromSettings, runProbeSession, type ProbeConnection } from './probe/probeSession';
import { showSummary } from './probe/summaryPanel';

export const PROBE_COMMAND = 'istioEgress.probeService';

interface LensArgument {
  readonly uri: string;
  readonly name: string;
  readonly namespace?: string;
}

function isLensArgument(value: unknown): value is LensArgument {
  return typeof value === 'object' && value !== null && typeof (value as LensArgument).uri === 'string' && typeof (value as LensArgument).name === 'string';
}

/** Which Service to probe: the CodeLens's, the one under the cursor, or one picked from the workspace's. */
async function chooseTarget(client: LanguageClient, argument: unknown): Promise<ProbeTargetResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  let params: ProbeTargetParams | undefined;
  if (isLensArgument(argument)) params = { uri: argument.uri, name: argument.name, ...(argument.namespace ? { namespace: argument.namespace } : {}) };
  else if (editor?.document.languageId === 'yaml') params = { uri: editor.document.uri.toString(), position: editor.selection.active };
  let target = params ? await client.sendRequest<ProbeTargetResult | null>(PROBE_TARGET_REQUEST, params) : null;
  if (!target) {
    const services = await client.sendRequest<ServiceSummary[]>(SERVICES_REQUEST, {});
    const picked = await vscode.window.showQuickPick(
      services.map((s) => ({ label: s.name, description: `${s.namespace} · ${s.type}`, service: s })),
      { title: 'Probe egress service', placeHolder: services.length ? 'Service to probe' : 'No Service in the workspace' },
    );
    if (!picked) return undefined;
    target = await client.sendRequest<ProbeTargetResult | null>(PROBE_TARGET_REQUEST, { uri: picked.service.uri, name: picked.service.name, namespace: picked.service.namespace });
  }
  return target ?? undefined;
}

/** What a probe run takes from the settings; the probe fills in its own defaults for the rest. */
function probeRunSettings(settings: Settings): { connection: ProbeConnection; settings: Partial<ProbeSettings>; alwaysAsk: readonly string[] } {
  return {
    connection: connectionFromSettings(settings),
    settings: {
      clusterDomain: settings.clusterDomain,
      istioVersion: settings.istioVersion,
      httpPath: settings['probe.httpPath'],
      noSidecarNamespace: settings['probe.noSidecarNamespace'],
      sourceSelectors: settings['probe.sourceSelectors'],
      curlMaxTimeSeconds: settings['probe.timeoutSeconds'],
      outboundTrafficPolicy: settings.outboundTrafficPolicy,
    },
    alwaysAsk: settings['probe.alwaysAskContexts'],
  };
}

/**
 * "Probe egress service": runs kubectl against the user's cluster, so it is refused in untrusted workspaces (the
 * manifest also disables it there). Results: the output channel, a summary view, and a diagnostic (source "probe")
 * on the line a failure blames, cleared by the next run.
 */
export function registerProbeCommand(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const output = vscode.window.createOutputChannel('Istio Egress Probe', 'istio-egress-probe');
  const diagnostics = vscode.languages.createDiagnosticCollection('istio-egress-probe');
  const confirmed = new Set<string>();
  context.subscriptions.push(
    output,
    diagnostics,
    vscode.commands.registerCommand(PROBE_COMMAND, async (argument: unknown) => {
      if (!vscode.workspace.isTrusted) {
        await vscode.window.showWarningMessage('Istio Egress: probing runs kubectl against your cluster, so it is off in untrusted workspaces. Trust the workspace to use it.');
        return;
      }
      const target = await chooseTarget(await getClient(), argument);
      if (!target) return;
      const { connection, settings, alwaysAsk } = probeRunSettings(editorSettings());
      diagnostics.clear();
      output.clear();
      output.show(true);
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Probing ${target.name}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runProbeSession(
          { target, connection, settings, alwaysAsk, confirmed, signal: abort.signal },
          {
            confirm: async (ctx, service) =>
              (await vscode.window.showWarningMessage(`Probe Service ${service} in kube context "${ctx}"? This runs kubectl exec and curl in that cluster.`, { modal: true }, 'Probe')) ===
              'Probe',
            progress: (message) => progress.report({ message }),
            log: (text) => output.appendLine(text),
          },
          runKubectl,
        );
      });
      if (outcome.cancelledByUser) return;
      const byUri = new Map<string, vscode.Diagnostic[]>();
      for (const d of outcome.diagnostics) {
        const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
        const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'probe';
        byUri.set(d.uri, [...(byUri.get(d.uri) ?? []), diagnostic]);
      }
      for (const [uri, list] of byUri) diagnostics.set(vscode.Uri.parse(uri), list);
      showSummary(`${target.namespace ?? outcome.report?.target.namespace ?? ''}/${target.name}`, outcome.summary, outcome.report?.driftHeadline);
      const exit = outcome.report?.exitCode;
      const message =
        exit === 0
          ? `Egress probe of ${target.name}: every probe passed.`
          : exit === 1
            ? `Egress probe of ${target.name}: a probe failed — see the summary.`
            : `Egress probe of ${target.name} could not run — see the output.`;
      if (exit === 0) void vscode.window.showInformationMessage(message);
      else void vscode.window.showWarningMessage(message);
    }),
  );
}
