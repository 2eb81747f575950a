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
  return scanSegments(text, 0, 0).segments;
}

/** Where a scan stopped because the caller knew the rest (`resumeAt` said so). */
export interface ScanStop {
  readonly offset: number;
  readonly line: number;
}

/**
 * The segments of `text` from `offset`, which must start a segment (the start of the text, or a place where a scan
 * of the same text cut), on line `line`. After each cut, `resumeAt(offset, line)` may stop the scan: what follows a
 * cut depends only on the text from there, so a caller that knows that text's segments can take them instead.
 */
export function scanSegments(
  text: string,
  offset: number,
  line: number,
  resumeAt?: (offset: number, line: number) => boolean,
): { readonly segments: Segment[]; readonly stoppedAt?: ScanStop } {
  const segments: Segment[] = [];
  let segmentStart = offset;
  let segmentLine = line;
  // Comments, blank lines and directives before a `---` belong to the document it opens.
  let hasContent = false;
  let stoppedAt: ScanStop | undefined;

  const cut = (at: number, atLine: number): void => {
    segments.push({ text: text.slice(segmentStart, at), startOffset: segmentStart, startLine: segmentLine });
    segmentStart = at;
    segmentLine = atLine;
    hasContent = false;
    if (resumeAt?.(at, atLine)) stoppedAt = { offset: at, line: atLine };
  };

  const scanAll = text.includes('\r');
  let lineStart = offset;
  for (let n = line; ; n++) {
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
      if (hasContent) cut(lineStart, n);
      if (stoppedAt) return { segments, stoppedAt };
      hasContent = true;
    } else if (END_MARKER.test(head)) {
      if (next === undefined) break;
      cut(next, n + 1);
      if (stoppedAt) return { segments, stoppedAt };
    } else if (!hasContent && !NOT_CONTENT.test(text.slice(lineStart, lineEnd))) {
      hasContent = true;
    }
    if (next === undefined) break;
    lineStart = next;
  }
  if (segmentStart < text.length || (segments.length === 0 && offset === 0)) {
    segments.push({ text: text.slice(segmentStart), startOffset: segmentStart, startLine: segmentLine });
  }
  return { segments };
}
