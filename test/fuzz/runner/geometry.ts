/**
 * Checks that positions and ranges lie inside a document (line geometry as LSP defines it: `\n`, `\r\n` and `\r` end
 * lines), and the classes of problems that failure signatures are made of.
 */
import type { Position, Range } from 'vscode-languageserver-protocol/node';

export type Geometry = readonly number[];

function positionProblem(p: Position | undefined, g: Geometry, what: string): string | undefined {
  if (!p || typeof p.line !== 'number' || typeof p.character !== 'number') return `${what} is not a position`;
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `${what} ${p.line}:${p.character} is not integral`;
  if (p.line < 0 || p.character < 0) return `${what} ${p.line}:${p.character} is negative`;
  const length = g[p.line];
  if (length === undefined) return `${what} ${p.line}:${p.character} is past the last line (${g.length} lines)`;
  if (p.character > length) return `${what} ${p.line}:${p.character} is past the end of its line (${length} characters)`;
  return undefined;
}

export function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

export function rangeProblem(r: Range | undefined, g: Geometry, what = 'range'): string | undefined {
  if (!r) return `${what} is missing`;
  const problem = positionProblem(r.start, g, `${what} start`) ?? positionProblem(r.end, g, `${what} end`);
  if (problem) return problem;
  if (!before(r.start, r.end)) return `${what} ${fmtRange(r)} ends before it starts`;
  return undefined;
}

/** The class of a problem, for failure signatures: what the shrinker keeps and what distinct failures are. */
export function problemClass(problem: string): string {
  if (/ends before it starts/.test(problem)) return 'reversed';
  if (/is not inside range/.test(problem)) return 'selection-outside-range';
  if (/empty name/.test(problem)) return 'empty-name';
  if (/spans lines/.test(problem)) return 'multi-line-edit';
  if (/does not hold the position/.test(problem)) return 'edit-misses-position';
  return 'outside-document';
}

/**
 * Texts with line breaks other than `\n` and `\r\n` (a lone `\r`, which LSP counts as a line break) get their own
 * signatures, so that a failure they cause does not hide the same symptom from another cause.
 */
export function lineBreakClass(text: string): string {
  return /\r(?!\n)/.test(text) ? ':lone-CR' : '';
}

/** Requests at positions past the end (valid input: LSP clamps them) get their own signatures, like lone CRs. */
export function positionClass(p: Position, g: Geometry): string {
  if (p.line < 0 || p.character < 0) return ':at-negative';
  const length = g[p.line];
  if (length === undefined) return ':at-past-document-end';
  return p.character > length ? ':at-past-line-end' : '';
}

export function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function fmtRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function isValidPosition(p: Position, g: Geometry): boolean {
  return positionProblem(p, g, 'p') === undefined;
}
