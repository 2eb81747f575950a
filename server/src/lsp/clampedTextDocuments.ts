import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * How `TextDocuments` creates and updates the open documents: like vscode-languageserver-textdocument, except that
 * each change's range is first clamped into the text it applies to. The library (1.0.16) applies a range as sent: it
 * clamps the offsets but keeps the unclamped line numbers for its line table, so a range past the last line, or one
 * whose end falls before its start once clamped, leaves the server with another text than the editor holds. Clamped
 * here as VS Code clamps positions: past a line's end is the line's end, past the last line is the end of the text,
 * a negative line is its start, and a reversed range is taken start-first. Changes apply one after the other, each
 * to the text the previous one left, as LSP specifies.
 */
export const CLAMPED_TEXT_DOCUMENTS: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
  update: (document, changes, version) => {
    for (const change of changes) TextDocument.update(document, [clampedChange(document, change)], version);
    return TextDocument.update(document, [], version);
  },
};

/** The change with its range inside `document` and start-first (a full replacement is returned as it is). */
export function clampedChange(document: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent {
  if (!('range' in change) || !change.range) return { text: change.text };
  const a = document.offsetAt(change.range.start);
  const b = document.offsetAt(change.range.end);
  return { range: { start: document.positionAt(Math.min(a, b)), end: document.positionAt(Math.max(a, b)) }, text: change.text };
}
