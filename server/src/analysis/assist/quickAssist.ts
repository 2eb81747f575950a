import { locate, type Spot } from '../documents/locate';
import { parseYamlDocument } from '../documents/parsedDocument';
import { skeletonAt, type Skeleton } from '../documents/skeleton';
import type { Position } from '../text';
import { documentAtLine, type FileModel, type PlacedDocument } from '../workspace/fileModel';

/**
 * Completion and hover while the file's model lags behind the editor (pure): the keystroke just typed has not been
 * parsed yet, and parsing the whole file (or a 200 KB document) first would keep the request waiting. The document
 * under the cursor is found in the current text by its separators; a small one is parsed alone, a large one is read
 * through its skeleton (`documents/skeleton.ts`) with the resource of the model's last parse.
 */

/** Documents up to this size are parsed whole for the request: a few milliseconds. */
const PARSE_WHOLE_BYTES = 16 * 1024;

const SEPARATOR = /^(?:---|\.\.\.)(?:\s|$)/;

/**
 * The lines of the document holding `line` in `text`, as the file's model cuts documents: from the separator line
 * that opens it (or the file's first line) to before the next separator.
 */
export function documentLines(text: string, line: number): { readonly start: number; readonly lines: readonly string[] } {
  let start = 0;
  let startOffset = 0;
  let offset = 0;
  // Walk to the line, remembering where the last document began (a separator starts with '-' or '.': checked first).
  for (let index = 0; index < line; index++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) break;
    const first = text.charCodeAt(offset);
    if ((first === 45 || first === 46) && SEPARATOR.test(text.slice(offset, Math.min(next, offset + 4)))) {
      start = index;
      startOffset = offset;
    }
    offset = next + 1;
  }
  const lines: string[] = [];
  for (let i = start, from = startOffset; from <= text.length; i++) {
    const next = text.indexOf('\n', from);
    const content = text.slice(from, next === -1 ? text.length : next);
    if (i > start && i > line && SEPARATOR.test(content)) break;
    lines.push(content.endsWith('\r') ? content.slice(0, -1) : content);
    if (next === -1) break;
    from = next + 1;
  }
  return { start, lines };
}

export interface QuickAssist {
  readonly spot: Spot;
  readonly placed: PlacedDocument;
  /** Set when the document was read through its skeleton: schema answers must use it too. */
  readonly skeleton?: Skeleton;
}

/**
 * The spot and document for a request at `position` in `text`, the editor's current text of a file whose last built
 * model is `model`; undefined when only the whole parse can tell (a skeleton that cannot be cut safely, a large
 * document whose start moved since the last parse).
 */
export function quickAssist(model: FileModel, text: string, position: Position): QuickAssist | undefined {
  const { start, lines } = documentLines(text, position.line);
  const relative = { line: position.line - start, character: position.character };
  const docText = lines.join('\n');
  const last = documentAtLine(model, position.line);
  if (docText.length <= PARSE_WHOLE_BYTES) {
    const doc = parseYamlDocument(docText);
    return { spot: locate(docText, relative), placed: { uri: model.uri, index: last?.index ?? 0, startLine: start, doc } };
  }
  if (!last || last.startLine !== start) return undefined;
  const skeleton = skeletonAt(docText, relative.line, relative.character);
  if (!skeleton) return undefined;
  const spot = locate(skeleton.text, { line: skeleton.lines.indexOf(relative.line), character: relative.character });
  const back = (l: number): number => skeleton.lines[l] ?? relative.line;
  const mapped: Spot =
    spot.kind === 'none' ? spot : { ...spot, range: { start: { ...spot.range.start, line: back(spot.range.start.line) }, end: { ...spot.range.end, line: back(spot.range.end.line) } } };
  return { spot: mapped, placed: last, skeleton };
}
