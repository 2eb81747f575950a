import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { Finding } from '../../analysis/findings';
import { comparePositions, type Range } from '../../analysis/text';
import type { ServerContext } from '../context';
import { toDiagnostic } from '../diagnostics';
import { runSafe } from '../runner';

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function toCodeActions(finding: Finding): CodeAction[] {
  return (finding.fixes ?? []).map((fix, i) => {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits) (changes[edit.uri] ??= []).push({ range: edit.range, newText: edit.newText });
    return {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toDiagnostic(finding)],
      isPreferred: i === 0,
      edit: { changes },
    };
  });
}

/** Quick fixes: the fixes the rules attached to the findings under the requested range. */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction((params, token) =>
    runSafe(ctx.connection, 'code actions', token, [], () => {
      const uri = params.textDocument.uri;
      if (!ctx.open.model(uri)) return [];
      return ctx.project
        .findings(uri)
        .filter((f) => f.fixes?.length && overlaps(f.range, params.range))
        .flatMap(toCodeActions);
    }),
  );
}
