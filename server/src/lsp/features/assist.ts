import type { Position } from 'vscode-languageserver/node';
import type { AssistContext } from '../../analysis/assist/context';
import { locate } from '../../analysis/documents/locate';
import type { ServerContext } from '../context';
import { documentAt } from '../openDocuments';

/** The assist context at a file position: the document there, the spot in it (relative), and the workspace. */
export function assistContextAt(ctx: ServerContext, uri: string, position: Position): AssistContext | undefined {
  const model = ctx.open.model(uri);
  const placed = model && documentAt(model, position.line);
  if (!placed) return undefined;
  const spot = locate(placed.doc.text, { line: position.line - placed.startLine, character: position.character });
  return { spot, placed, index: ctx.project.index(), options: ctx.project.options };
}
