import { parseDocument } from 'yaml';
import { LineIndex, range } from '../text';
import type { RelativeEdit } from '../edits';
import type { PlacedResource } from '../workspace/placed';

/**
 * Replaces a document's content with `yaml`, keeping what surrounds it: the `---` line, comments above the content and
 * after it, and an `...` end marker. So the file's other documents and separators stay exactly as they were.
 */
export function replaceDocument(at: PlacedResource, yaml: string): RelativeEdit {
  const text = at.doc.text;
  const lines = new LineIndex(text);
  const contents = parseDocument(text, { keepSourceTokens: false }).contents;
  const [start, end] = contents?.range ?? [0, text.length];
  // The content's range may or may not take its last line break along; the edit stops before it either way.
  const contentEnd = start + text.slice(start, end).trimEnd().length;
  const from = lines.positionAt(start);
  // Content on the `---` line itself (`--- {kind: Service}`) moves to a line of its own.
  const newText = from.character > 0 ? `\n${yaml.replace(/\n$/, '')}` : yaml.replace(/\n$/, '');
  const to = lines.positionAt(contentEnd);
  return { at, range: range(from.line, from.character, to.line, to.character), newText };
}

/**
 * Removes a document from its file, with its `---` line and its comments. A document's text runs up to the next
 * document's `---`, so the rest of the file keeps its separators; the file's only document leaves an empty file.
 */
export function deleteDocument(at: PlacedResource): RelativeEdit {
  const end = new LineIndex(at.doc.text).positionAt(at.doc.text.length);
  return { at, range: range(0, 0, end.line, end.character), newText: '' };
}
