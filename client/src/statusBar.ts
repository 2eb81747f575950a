import { watch, type FSWatcher } from 'node:fs';
import * as vscode from 'vscode';
import { runKubectl } from '../../server/src/shared/kubectlRunner';
import { kubeconfigFiles, readKubeContext } from '../../server/src/shared/probe';
import { SETTINGS_SECTION } from '../../server/src/shared/settings';
import { editorSettings } from './editorSettings';
import { connectionFromSettings } from './probe/probeSession';
import { PROBE_COMMAND } from './probeCommand';

/**
 * The kube context and namespace the probe would use, in the status bar; a click probes the Service under the
 * cursor. Hidden in untrusted workspaces and when `istioEgress.statusBar.enabled` is off; kept current when the
 * kubeconfig files change.
 */
export function registerStatusBar(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('istioEgress.context', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Istio Egress: kube context';
  item.command = PROBE_COMMAND;
  let watchers: FSWatcher[] = [];
  const refresh = async (): Promise<void> => {
    const settings = editorSettings();
    watchers.forEach((w) => w.close());
    watchers = [];
    if (!vscode.workspace.isTrusted || !settings['statusBar.enabled']) {
      item.hide();
      return;
    }
    const connection = connectionFromSettings(settings);
    const info = await readKubeContext(runKubectl, connection);
    item.text = `$(cloud) ${info.context ?? 'no kube context'}${info.namespace ? ` · ${info.namespace}` : ''}`;
    item.tooltip = 'Kube context and namespace the egress probe uses. Click to probe the Service under the cursor.';
    item.show();
    for (const file of kubeconfigFiles(connection.kubeconfig)) {
      try {
        watchers.push(watch(file, () => void refresh()));
      } catch {
        // A missing kubeconfig is not an error here: kubectl will say so when the probe runs.
      }
    }
  };
  context.subscriptions.push(
    item,
    { dispose: () => watchers.forEach((w) => w.close()) },
    vscode.workspace.onDidGrantWorkspaceTrust(() => void refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) void refresh();
    }),
  );
  void refresh();
}
