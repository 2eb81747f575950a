import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { Fix } from '../../analysis/findings';
import type { ServerContext } from '../context';

function toRefactorAction(fix: Fix): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of fix.edits) (changes[edit.uri] ??= []).push({ range: edit.range, newText: edit.newText });
  return { title: fix.title, kind: CodeActionKind.RefactorRewrite, edit: { changes } };
}

/** "Convert to a ServiceEntry" for each Service whose document the requested range touches. */
export function refactorActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  if (!ctx.open.model(uri)) return [];
  // The edits may reach other open files (the Endpoints, a DestinationRule): their models must be current.
  return ctx.analysis.refactorings(uri, params.range, () => ctx.open.syncAll()).map(toRefactorAction);
}

/** Whether the client asked for actions of this kind: `only` absent, or naming the kind or a parent of it. */
function requested(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((wanted) => wanted === '' || kind === wanted || kind.startsWith(`${wanted}.`));
}

/** The quick fixes, then the refactorings, each only when `context.only` lets its kind through. */
export function withRefactors(ctx: ServerContext, params: CodeActionParams, quickFixes: readonly CodeAction[]): CodeAction[] {
  return [...(requested(params, CodeActionKind.QuickFix) ? quickFixes : []), ...(requested(params, CodeActionKind.RefactorRewrite) ? refactorActions(ctx, params) : [])];
}
