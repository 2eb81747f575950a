import { LineIndex } from '../../analysis/text';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { PlacedDocument } from '../../analysis/workspace/fileModel';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

/** The outline: one entry per resource, `Kind name.namespace`, holding yaml-language-server's key tree. */
export function registerSymbols(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol((params, token) =>
    runSafe(ctx.connection, 'document symbols', token, [], () => {
      const model = ctx.open.model(params.textDocument.uri);
      if (!model) return [];
      return model.documents.flatMap((placed) => resourceSymbol(ctx, placed));
    }),
  );
}

function resourceSymbol(ctx: ServerContext, placed: PlacedDocument): DocumentSymbol[] {
  const children = ctx.yaml.symbols(placed.doc, placed.startLine);
  const resource = placed.doc.resource;
  if (!resource) return children;
  const name = resource.name?.value ?? '(unnamed)';
  const namespace = resource.namespace ? `.${resource.namespace.value}` : '';
  // The document's true end, so a name on a last line without a final newline stays inside the symbol's range.
  const end = new LineIndex(placed.doc.text).positionAt(placed.doc.text.length);
  const anchor = resource.name ?? resource.kind;
  const selection = {
    start: { line: anchor.range.start.line + placed.startLine, character: anchor.range.start.character },
    end: { line: anchor.range.end.line + placed.startLine, character: anchor.range.end.character },
  };
  return [
    {
      name: `${resource.kind.value} ${name}${namespace}`,
      kind: SymbolKind.Class,
      range: { start: { line: placed.startLine, character: 0 }, end: { line: placed.startLine + end.line, character: end.character } },
      selectionRange: selection,
      children,
    },
  ];
}
