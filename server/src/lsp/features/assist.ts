import type { Position } from 'vscode-languageserver/node';
import type { AssistContext } from '../../analysis/assist/context';
import { locate } from '../../analysis/documents/locate';
import type { ServerContext } from '../context';
import { documentAtLine } from '../../analysis/workspace/fileModel';

/** The assist context at a file position: the document there, the spot in it (relative), and the workspace. */
export function assistContextAt(ctx: ServerContext, uri: string, position: Position): AssistContext | undefined {
  const model = ctx.open.model(uri);
  const placed = model && documentAtLine(model, position.line);
  if (!placed) return undefined;
  let spot: ReturnType<typeof locate>;
  try {
    spot = locate(placed.doc.text, { line: position.line - placed.startLine, character: Math.max(0, position.character) });
  } catch {
    // Too deep for the parser's recursion: no workspace-aware suggestions here.
    spot = { kind: 'none' };
  }
  return { spot, placed, index: ctx.project.index(), options: ctx.project.options };
}
