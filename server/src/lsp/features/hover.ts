import type { ServerContext } from '../context';
import { documentAt } from '../openDocuments';
import { runSafe } from '../runner';

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) =>
    runSafe(ctx.connection, 'hover', token, null, async () => {
      const model = ctx.open.model(params.textDocument.uri);
      const placed = model && documentAt(model, params.position.line);
      if (!placed) return null;
      return ctx.yaml.hover(placed.doc, placed.startLine, params.position);
    }),
  );
}
