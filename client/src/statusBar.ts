import { watch, type FSWatcher } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runKubectl } from '../../server/src/probe';
import { PROBE_COMMAND } from './probeCommand';

/** The kubeconfig files kubectl reads: the setting, else `KUBECONFIG` (several files), else ~/.kube/config. */
function kubeconfigFiles(config: vscode.WorkspaceConfiguration): string[] {
  const pinned = config.get<string>('probe.kubeconfig')?.trim();
  if (pinned) return [pinned];
  const env = process.env.KUBECONFIG;
  if (env) return env.split(path.delimiter).filter(Boolean);
  return [path.join(os.homedir(), '.kube', 'config')];
}

interface ContextInfo {
  readonly context?: string;
  readonly namespace?: string;
}

async function readContext(config: vscode.WorkspaceConfiguration): Promise<ContextInfo> {
  const kubeconfig = config.get<string>('probe.kubeconfig')?.trim();
  const pinnedContext = config.get<string>('probe.context')?.trim();
  const result = await runKubectl({
    kubectlPath: config.get<string>('kubectlPath')?.trim() || 'kubectl',
    args: [...(kubeconfig ? [`--kubeconfig=${kubeconfig}`] : []), ...(pinnedContext ? [`--context=${pinnedContext}`] : []), 'config', 'view', '--minify', '-o', 'json'],
    timeoutMs: 10_000,
    maxOutputBytes: 256 * 1024,
  });
  if (result.exitCode !== 0) return {};
  try {
    const view = JSON.parse(result.stdout) as { 'current-context'?: string; contexts?: { name?: string; context?: { namespace?: string } }[] };
    const name = pinnedContext ?? view['current-context'];
    const entry = view.contexts?.find((c) => c.name === name) ?? view.contexts?.[0];
    return { ...(name ? { context: name } : {}), ...(entry?.context?.namespace ? { namespace: entry.context.namespace } : {}) };
  } catch {
    return {};
  }
}

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
    const config = vscode.workspace.getConfiguration('istioEgress');
    watchers.forEach((w) => w.close());
    watchers = [];
    if (!vscode.workspace.isTrusted || !config.get<boolean>('statusBar.enabled', true)) {
      item.hide();
      return;
    }
    const info = await readContext(config);
    item.text = `$(cloud) ${info.context ?? 'no kube context'}${info.namespace ? ` · ${info.namespace}` : ''}`;
    item.tooltip = 'Kube context and namespace the egress probe uses. Click to probe the Service under the cursor.';
    item.show();
    for (const file of kubeconfigFiles(config)) {
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
      if (e.affectsConfiguration('istioEgress')) void refresh();
    }),
  );
  void refresh();
}
