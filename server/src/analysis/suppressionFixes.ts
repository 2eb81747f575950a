import { directiveOf, MARKER } from './documents/suppressions';
import type { Finding, Fix, TextEdit } from './findings';
import { LineIndex, type Position } from './text';

/** A line's content, without its line break. */
function lineText(text: string, lines: LineIndex, line: number): string {
  return text.slice(lines.offsetAt({ line, character: 0 }), lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }));
}

/** Adds `code` to the directive on `line` when it lists codes (a bare directive silences everything already). */
function extendDirective(uri: string, content: string, line: number, code: string, wantFile: boolean): TextEdit | undefined {
  const directive = directiveOf(content);
  if (!directive || directive.file !== wantFile || directive.codes.includes('*')) return undefined;
  const end: Position = { line, character: content.trimEnd().length };
  return { uri, range: { start: end, end }, newText: `, ${code}` };
}

function insertAt(uri: string, at: Position, newText: string): TextEdit {
  return { uri, range: { start: at, end: at }, newText };
}

/**
 * The "suppress" quick fixes every finding gets, written in the comment syntax the analysis honours (see
 * documents/suppressions.ts): for the finding's line, a directive on the line above (or the code added to one that is
 * there); for the whole file, a file directive at the top (or the code added to the first one). Never preferred:
 * editors list them after the fixes that resolve the finding. Made once per text: a request may ask for thousands of
 * findings, and the line index and the file-directive scan serve them all.
 */
export function suppressionFixer(text: string): (finding: Pick<Finding, 'code' | 'uri' | 'range'>) => Fix[] {
  const lines = new LineIndex(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let fileDirective: { readonly line: number; readonly content: string } | undefined;
  if (text.includes(`${MARKER}-file`)) {
    for (let i = 0; i < lines.lineCount && !fileDirective; i++) {
      const content = lineText(text, lines, i);
      if (extendDirective('', content, i, 'X', true)) fileDirective = { line: i, content };
    }
  }
  return (finding) => {
    const { code, uri } = finding;
    const line = Math.min(finding.range.start.line, lines.lineCount - 1);
    const content = lineText(text, lines, line);
    const indent = /^[ \t]*/.exec(content)?.[0] ?? '';
    const above = line > 0 ? extendDirective(uri, lineText(text, lines, line - 1), line - 1, code, false) : undefined;
    const onLine = above ?? insertAt(uri, { line, character: 0 }, `${indent}# ${MARKER} ${code}${eol}`);
    const inFile =
      (fileDirective && extendDirective(uri, fileDirective.content, fileDirective.line, code, true)) ?? insertAt(uri, { line: 0, character: 0 }, `# ${MARKER}-file ${code}${eol}`);
    return [
      { title: `Suppress ${code} on this line`, edits: [onLine] },
      { title: `Suppress ${code} in this file`, edits: [inFile] },
    ];
  };
}

/** The suppression fixes of one finding (see `suppressionFixer`). */
export function suppressionFixes(finding: Pick<Finding, 'code' | 'uri' | 'range'>, text: string): Fix[] {
  return suppressionFixer(text)(finding);
}
