import { scanSegments, splitSegments, type Segment } from './segments';

/** A new version's segments, and which of them are the previous version's, unchanged. */
export interface Resplit {
  readonly segments: readonly Segment[];
  /** For each segment, the index of the previous version's segment with the same text, or -1. */
  readonly sameAs: Int32Array;
  /** The new text between `start` and `end` is all that differs from the previous version. */
  readonly changed: { readonly start: number; readonly end: number };
}

/** `splitSegments` of the previous version, with its text. */
export interface SplitText {
  readonly text: string;
  readonly segments: readonly Segment[];
}

/** How many characters of the line at a segment start the scan reads to decide the cut there (`---` and one more). */
const MARKER_LOOKAHEAD = 4;

/**
 * `splitSegments(text)`, re-scanning only around what changed since `previous`: the segments before the first changed
 * character are kept, the scan restarts at the last of them, and it stops at the first cut inside the unchanged end of
 * the text where the previous version cut too, since from a cut on, segments depend only on the text that follows.
 * Files with `\r` get a full scan (their line breaks are rare enough not to bother).
 */
export function resplitSegments(previous: SplitText, text: string): Resplit {
  const old = previous.text;
  if (text.includes('\r') || old.includes('\r')) return fresh(text);
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const oldSegments = previous.segments;
  // The last old segment whose start, and the characters read to decide it, lie in the unchanged beginning.
  let restart = 0;
  while (restart + 1 < oldSegments.length && (oldSegments[restart + 1]?.startOffset ?? Infinity) + MARKER_LOOKAHEAD <= prefix) restart++;
  const from = oldSegments[restart];
  if (!from) return fresh(text);

  const shift = text.length - old.length;
  const unchangedFrom = text.length - suffix;
  let resumeIndex = -1;
  const scan = scanSegments(text, from.startOffset, from.startLine, (offset) => {
    if (offset < unchangedFrom) return false;
    resumeIndex = segmentStartingAt(oldSegments, offset - shift);
    return resumeIndex !== -1;
  });

  const segments: Segment[] = oldSegments.slice(0, restart);
  const sameAs: number[] = segments.map((_, i) => i);
  for (const segment of scan.segments) {
    segments.push({ ...segment, text: detached(segment.text) });
    sameAs.push(-1);
  }
  const stop = scan.stoppedAt;
  if (stop) {
    const resumed = oldSegments[resumeIndex];
    const lineShift = stop.line - (resumed?.startLine ?? stop.line);
    for (let j = resumeIndex; j < oldSegments.length; j++) {
      const segment = oldSegments[j];
      if (!segment) continue;
      segments.push(shift === 0 && lineShift === 0 ? segment : { text: segment.text, startOffset: segment.startOffset + shift, startLine: segment.startLine + lineShift });
      sameAs.push(j);
    }
  }
  return { segments, sameAs: Int32Array.from(sameAs), changed: { start: prefix, end: unchangedFrom } };
}

/**
 * A copy of a slice that does not keep the text it was cut from alive: kept segments outlive their version of the
 * file, and a slice would hold on to that whole version (V8 slices point into their parent string).
 */
function detached(slice: string): string {
  return ` ${slice}`.slice(1);
}

function fresh(text: string): Resplit {
  const segments = splitSegments(text);
  return { segments, sameAs: new Int32Array(segments.length).fill(-1), changed: { start: 0, end: text.length } };
}

/** The index of the segment starting exactly at `offset`, by binary search, or -1. */
function segmentStartingAt(segments: readonly Segment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = segments[mid]?.startOffset ?? 0;
    if (start === offset) return mid;
    if (start < offset) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** Block size for comparing long texts: equal blocks compare as memory, so only the differing block is walked. */
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + BLOCK <= max && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b`, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + BLOCK <= limit && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < limit && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}
