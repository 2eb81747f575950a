import { DocumentHighlightKind, type DocumentHighlight, type Location } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

/**
 * Go to definition, find references and document highlights over the names that tie egress resources together.
 * Every open document is synced first: the answer may lie in another open file the project has not seen yet.
 */
export function registerNavigation(ctx: ServerContext): void {
  ctx.connection.onDefinition((params, token) =>
    runSafe(ctx.connection, 'definition', token, null, (): Location[] | null => {
      ctx.open.syncAll();
      const found = ctx.analysis.definitions(params.textDocument.uri, params.position);
      return found.length ? found : null;
    }),
  );
  ctx.connection.onReferences((params, token) =>
    runSafe(ctx.connection, 'references', token, [], (): Location[] => {
      ctx.open.syncAll();
      return ctx.analysis.references(params.textDocument.uri, params.position, params.context.includeDeclaration);
    }),
  );
  ctx.connection.onDocumentHighlight((params, token) =>
    runSafe(ctx.connection, 'document highlight', token, [], (): DocumentHighlight[] => {
      ctx.open.syncAll();
      return ctx.analysis.highlights(params.textDocument.uri, params.position).map((h) => ({
        range: h.range,
        kind: h.role === 'declaration' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
      }));
    }),
  );
}
