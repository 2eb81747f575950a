import type { Position } from 'vscode-languageserver/node';
import type { AssistContext } from '../../analysis/assist/context';
import type { ServerContext } from '../context';

/** The assist context at a position of an open document, its model brought to the editor's version first. */
export function assistContextAt(ctx: ServerContext, uri: string, position: Position): AssistContext | undefined {
  return ctx.open.model(uri) ? ctx.analysis.assistAt(uri, position) : undefined;
}
