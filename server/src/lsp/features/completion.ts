import { CompletionList } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { documentAt } from '../openDocuments';
import { runSafe } from '../runner';

export function registerCompletion(ctx: ServerContext): void {
  ctx.connection.onCompletion((params, token) =>
    runSafe(ctx.connection, 'completion', token, CompletionList.create([], false), async () => {
      const model = ctx.open.model(params.textDocument.uri);
      const placed = model && documentAt(model, params.position.line);
      if (!placed) return CompletionList.create([], false);
      return ctx.yaml.complete(placed.doc, placed.startLine, params.position);
    }),
  );
}
