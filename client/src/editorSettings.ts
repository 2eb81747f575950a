import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION, type Settings } from '../../server/src/shared/settings';

/** The `istioEgress.*` settings as VS Code has them now, read as the language server reads them. */
export function editorSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readSettings((key) => config.get(key));
}
