import * as vscode from 'vscode';
import type { SummaryRow } from './probeSession';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

let panel: vscode.WebviewPanel | undefined;

/** The probe's summary: one row per source pod and URL. A static page without scripts. */
export function showSummary(title: string, rows: readonly SummaryRow[], headline: string | undefined): void {
  panel ??= vscode.window.createWebviewPanel('istioEgress.probeSummary', 'Egress probe', vscode.ViewColumn.Beside, { enableScripts: false });
  panel.onDidDispose(() => (panel = undefined));
  const body = rows
    .map(
      (r) =>
        `<tr class="${escape(r.verdict.split(':')[0]?.toLowerCase() ?? '')}"><td>${escape(r.source)}</td><td>${escape(r.sidecar)}</td><td>${escape(r.url)}</td><td>${escape(r.status)}</td><td>${escape(r.verdict)}</td><td>${escape(r.seconds)} s</td></tr>`,
    )
    .join('');
  panel.title = `Egress probe: ${title}`;
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--vscode-panel-border);padding:4px 8px;text-align:left;vertical-align:top}.pass td:nth-child(5){color:var(--vscode-testing-iconPassed)}.fail td:nth-child(5),.error td:nth-child(5){color:var(--vscode-testing-iconFailed)}</style></head>
<body><h2>${escape(title)}</h2>${headline ? `<p><strong>${escape(headline)}</strong></p>` : ''}
<table><thead><tr><th>Source pod</th><th>Sidecar</th><th>URL</th><th>Status</th><th>Verdict</th><th>Time</th></tr></thead><tbody>${body || '<tr><td colspan="6">No probe ran: see the output channel.</td></tr>'}</tbody></table></body></html>`;
  panel.reveal(vscode.ViewColumn.Beside, true);
}
