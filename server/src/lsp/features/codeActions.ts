import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../../analysis/findings';
import { comparePositions, type Range } from '../../analysis/text';
import type { ServerContext } from '../context';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from '../diagnostics';
import { runSafe } from '../runner';
import { withRefactors } from './refactorings';

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/**
 * The findings to act on: among those shown (the project config's filter applied), the ones the client says it shows
 * under the range, or, from a client that sends no diagnostics of ours, every shown finding under the range.
 */
function selectFindings(findings: readonly Finding[], range: Range, shown: readonly Diagnostic[]): Finding[] {
  const ours = shown.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  if (ours.length === 0) return findings.filter((f) => overlaps(f.range, range));
  return findings.filter((f) => ours.some((d) => d.code === f.code && comparePositions(d.range.start, f.range.start) === 0 && comparePositions(d.range.end, f.range.end) === 0));
}

function toCodeAction(finding: Finding, fix: Fix): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of fix.edits) (changes[edit.uri] ??= []).push({ range: edit.range, newText: edit.newText });
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(finding)],
    isPreferred: fix.preferred === true,
    edit: { changes },
  };
}

/**
 * Quick fixes for the findings under the requested range: first the fixes the rules attached, then the suppression
 * comments (one per code and line, however many findings share them).
 */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params, token) =>
    runSafe(ctx.connection, 'code actions', token, [], async () => {
      const uri = params.textDocument.uri;
      const text = ctx.open.model(uri) ? ctx.open.documents.get(uri)?.getText() : undefined;
      if (text === undefined) return [];
      const shown = ctx.analysis.findings(uri, { config: await ctx.settings.configFor(uri) });
      const findings = selectFindings(shown, params.range, params.context.diagnostics);
      const fixes = ctx.analysis.quickFixes(findings, text).map(({ finding, fix }) => toCodeAction(finding, fix));
      return withRefactors(ctx, params, fixes);
    }),
  );
}
