import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import { serviceToServiceEntry } from '../../analysis/refactor/toServiceEntry';
import type { RelativeFix } from '../../analysis/edits';
import { fileRange, placeResource } from '../../analysis/workspace/placed';
import type { ServerContext } from '../context';

function toRefactorAction(fix: RelativeFix): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of fix.edits) (changes[edit.at.uri] ??= []).push({ range: fileRange(edit.at, edit.range), newText: edit.newText });
  return { title: fix.title, kind: CodeActionKind.RefactorRewrite, edit: { changes } };
}

/** "Convert to a ServiceEntry" for each Service whose document the requested range touches. */
export function refactorActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const model = ctx.open.model(params.textDocument.uri);
  if (!model) return [];
  const { start, end } = params.range;
  // Cursor moves ask for code actions: find the Services under the range before anything costs.
  const services = model.documents.filter((placedDoc, i) => {
    const nextStart = model.documents[i + 1]?.startLine ?? Number.POSITIVE_INFINITY;
    return placedDoc.startLine <= end.line && nextStart > start.line && placedDoc.doc.resource?.kindName === 'Service';
  });
  if (services.length === 0) return [];
  // The edits may reach other open files (the Endpoints, a DestinationRule): their models must be current.
  ctx.open.syncAll();
  const index = ctx.project.index();
  return services.flatMap((placedDoc) => {
    const placed = placeResource(placedDoc);
    if (placed?.resource.kindName !== 'Service') return [];
    const fix = serviceToServiceEntry({ ...placed, resource: placed.resource }, index, ctx.project.options);
    return fix ? [toRefactorAction(fix)] : [];
  });
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
