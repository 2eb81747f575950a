import type { FoldingRange } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

export function registerFolding(ctx: ServerContext): void {
  ctx.connection.onFoldingRanges((params, token) =>
    runSafe(ctx.connection, 'folding ranges', token, [], () => {
      const model = ctx.open.model(params.textDocument.uri);
      if (!model) return [];
      const ranges: FoldingRange[] = [];
      for (const placed of model.documents) {
        // Each document folds as a whole, then by yaml-language-server's ranges inside it.
        const lastLine = placed.startLine + placed.doc.lineCount - 1;
        const lastContentLine = /[\r\n]$/.test(placed.doc.text) ? lastLine - 1 : lastLine;
        if (model.documents.length > 1 && lastContentLine > placed.startLine) {
          ranges.push({ startLine: placed.startLine, endLine: lastContentLine });
        }
        // A loop, not push(...): spreading a very long list overflows the stack.
        for (const range of ctx.yaml.foldingRanges(placed.doc, placed.startLine)) ranges.push(range);
      }
      return ranges;
    }),
  );
}
