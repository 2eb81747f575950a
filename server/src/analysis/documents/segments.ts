import { lineBreakAfter } from '../text';
/**
 * One YAML document's slice of a file. Found by a line scan for `---` / `...` markers, which YAML forbids
 * inside content at column 0, so the scan agrees with a full parse without doing one.
 */
export interface Segment {
  /** The document's text, from the start of its first line to the start of the next document. */
  readonly text: string;
  /** Offset of the first character in the file. */
  readonly startOffset: number;
  /** Zero-based line of the first character in the file. */
  readonly startLine: number;
}

const START_MARKER = /^---(?:[ \t]|$)/;
const END_MARKER = /^\.\.\.(?:[ \t]|$)/;
const NOT_CONTENT = /^(?:[ \t]*(?:#.*)?|%.*)$/;

export function splitSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segmentStart = 0;
  let segmentLine = 0;
  // Comments, blank lines and directives before a `---` belong to the document it opens.
  let hasContent = false;

  const cut = (offset: number, atLine: number): void => {
    segments.push({ text: text.slice(segmentStart, offset), startOffset: segmentStart, startLine: segmentLine });
    segmentStart = offset;
    segmentLine = atLine;
    hasContent = false;
  };

  const scanAll = text.includes('\r');
  let lineStart = 0;
  for (let line = 0; ; line++) {
    // Lines end at \r\n, \r or \n, as the editor counts them; the fast path handles files without \r.
    let lineEnd: number;
    let next: number | undefined;
    if (scanAll) {
      const brk = lineBreakAfter(text, lineStart);
      lineEnd = brk ? brk.end : text.length;
      next = brk?.next;
    } else {
      const newline = text.indexOf('\n', lineStart);
      lineEnd = newline === -1 ? text.length : newline;
      next = newline === -1 ? undefined : newline + 1;
    }
    const head = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
    if (START_MARKER.test(head)) {
      if (hasContent) cut(lineStart, line);
      hasContent = true;
    } else if (END_MARKER.test(head)) {
      if (next === undefined) break;
      cut(next, line + 1);
    } else if (!hasContent && !NOT_CONTENT.test(text.slice(lineStart, lineEnd))) {
      hasContent = true;
    }
    if (next === undefined) break;
    lineStart = next;
  }
  if (segmentStart < text.length || segments.length === 0) {
    segments.push({ text: text.slice(segmentStart), startOffset: segmentStart, startLine: segmentLine });
  }
  return segments;
}
