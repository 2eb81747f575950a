import * as vscode from 'vscode';

export const PROBE_COMMAND = 'istioEgress.probeService';

/**
 * "Probe egress service". Probing runs kubectl against the user's cluster, so it is refused in untrusted
 * workspaces (the manifest also hides it there).
 */
export function registerProbeCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(PROBE_COMMAND, async () => {
      if (!vscode.workspace.isTrusted) {
        await vscode.window.showWarningMessage('Istio Egress: probing runs kubectl, so it is off in untrusted workspaces.');
        return;
      }
      await vscode.window.showInformationMessage('Istio Egress: probing a cluster is not available in this version yet.');
    }),
  );
}
