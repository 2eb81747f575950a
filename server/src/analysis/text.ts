/** Zero-based line/character positions, the same shape LSP uses, so adapters pass them through unchanged. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** Moves a range down by `lines`: document-relative ranges become file ranges this way. */
export function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/**
 * The end of the line starting at `from` and where the next line starts. Line breaks are `\r\n`, `\r` or `\n`, as
 * in LSP and YAML; a lone `\r` ends a line too, or positions would drift from the editor's.
 */
export function lineBreakAfter(text: string, from: number): { end: number; next: number } | undefined {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (cr !== -1 && (lf === -1 || cr < lf)) return { end: cr, next: text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1 };
  return lf === -1 ? undefined : { end: lf, next: lf + 1 };
}

/** Offsets of the start of every line of a text; converts offsets to positions by binary search. */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (text.includes('\r')) {
      for (let b = lineBreakAfter(text, 0); b; b = lineBreakAfter(text, b.next)) starts.push(b.next);
    } else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    // An offset inside a line break (the \n of \r\n, or the break itself) stays at the end of the line's content.
    const start = this.starts[low] ?? 0;
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - start };
  }

  /** The offset where a line's content ends, before its line break (one or two characters). */
  private contentEnd(line: number): number {
    const start = this.starts[line] ?? 0;
    let end = this.starts[line + 1] ?? this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line] ?? 0;
    return Math.min(start + Math.max(0, position.character), this.contentEnd(position.line));
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }
}
