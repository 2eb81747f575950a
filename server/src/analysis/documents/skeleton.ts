/**
 * The part of a large YAML document that a completion or hover at one line needs, as a small document of its own
 * (pure): the lines leading from the root down to the cursor (each mapping key or list item that contains it), the
 * block of lines around the cursor inside its innermost parent, and the `apiVersion`, `kind` and `metadata` lines.
 * Parsing it costs a few lines instead of the whole document, so typing in a 200 KB document is answered without
 * waiting for the whole parse. List items left out before a kept one are stood in for by `- {}` lines, so every
 * list index in a path is the document's own.
 */

export interface Skeleton {
  readonly text: string;
  /** The document line of each skeleton line; -1 for a stand-in item. */
  readonly lines: readonly number[];
}

/** Lines of the cursor's own block kept on either side of it. */
const BLOCK_LINES = 120;
/** Lines of `metadata` kept (name, namespace, a few labels). */
const METADATA_LINES = 40;

/** The column of a line's first character; -1 for a blank or comment-only line. */
function indentOf(line: string): number {
  const match = /^( *)(\S)/.exec(line);
  return !match || match[2] === '#' ? -1 : (match[1] ?? '').length;
}

function isItem(line: string, indent: number): boolean {
  return line.charAt(indent) === '-' && (line.length === indent + 1 || line.charAt(indent + 1) === ' ');
}

/**
 * The skeleton for `line` (0-based, in `text`, a single YAML document), with the cursor at `column`. Undefined when
 * the text uses tabs for indentation or a flow collection spans lines around the cursor (no cheap cut is safe).
 */
export function skeletonAt(text: string, line: number, column: number): Skeleton | undefined {
  const all = text.split('\n');
  if (line < 0 || line >= all.length) return undefined;
  const own = all[line] ?? '';
  const ownIndent = indentOf(own);
  // A line being typed (blank, or a word) sits where its text or the cursor starts.
  let limit = ownIndent >= 0 ? Math.min(ownIndent, column) : column;
  const keep = new Set<number>([line]);
  /** Stand-in items to put before a kept line: how many, at which indentation. */
  const standIns = new Map<number, { readonly count: number; readonly indent: number }>();
  let innermost = -1;
  let itemIndent = -1;
  let siblings = 0;
  let itemLine = -1;
  // On an item itself: its list's parent may stand at the dash's column, and its earlier items belong to the block
  // (kept, or stood in for where the block is cut), not to the count below.
  const onItem = ownIndent >= 0 && isItem(own, ownIndent) && column > ownIndent;
  if (onItem) {
    limit = ownIndent + 1;
    itemIndent = ownIndent;
  }
  for (let i = line - 1; i >= 0 && limit > 0; i--) {
    const current = all[i] ?? '';
    if (current.includes('\t')) return undefined;
    const indent = indentOf(current);
    if (indent < 0 || indent >= limit) continue;
    if (itemIndent === indent && isItem(current, indent)) {
      // An earlier item of the list whose item holds the cursor.
      if (itemLine >= 0) siblings++;
      continue;
    }
    if (itemLine >= 0 && siblings > 0) standIns.set(itemLine, { count: siblings, indent: itemIndent });
    itemLine = -1;
    siblings = 0;
    itemIndent = -1;
    keep.add(i);
    if (innermost < 0) innermost = i;
    if (isItem(current, indent)) {
      // The keys of the list's parent may stand at the dash's own column (an indentless sequence).
      itemIndent = indent;
      itemLine = i;
      limit = indent + 1;
    } else {
      limit = indent;
    }
  }
  if (itemLine >= 0 && siblings > 0) standIns.set(itemLine, { count: siblings, indent: itemIndent });

  // The cursor's block: its siblings inside the innermost parent, up to BLOCK_LINES each way.
  const parentIndent = innermost >= 0 ? indentOf(all[innermost] ?? '') : -1;
  // A parent item's block ends at the next item of its list, as a key's ends at its next sibling.
  const inBlock = (i: number): boolean => {
    const indent = indentOf(all[i] ?? '');
    return indent < 0 || indent > parentIndent;
  };
  let end = line;
  while (end + 1 < all.length && end + 1 - line <= BLOCK_LINES && inBlock(end + 1)) end++;
  let start = line;
  while (start - 1 > innermost && line - (start - 1) <= BLOCK_LINES) start--;
  // Cut only before a line at the block's own level, so that no nested value is split from its key.
  const level = childLevel(all, innermost + 1, line);
  if (start > innermost + 1) {
    while (start < line && indentOf(all[start] ?? '') !== level) start++;
    // Items of the block's own list left out before the cut.
    let skipped = 0;
    for (let i = innermost + 1; i < start; i++) if (indentOf(all[i] ?? '') === level && isItem(all[i] ?? '', level)) skipped++;
    if (skipped > 0 && isItem(all[start] ?? '', level)) standIns.set(start, { count: skipped, indent: level });
  }
  for (let i = start; i <= end; i++) keep.add(i);
  if (keptFlowIsOpen(all, keep)) return undefined;

  // What every document needs to be read: its kind, and its name and namespace.
  for (let i = 0; i < all.length; i++) {
    const current = all[i] ?? '';
    if (indentOf(current) !== 0) continue;
    if (/^(apiVersion|kind)\s*:/.test(current)) keep.add(i);
    if (/^metadata\s*:\s*$/.test(current)) {
      keep.add(i);
      for (let j = i + 1; j < all.length && j <= i + METADATA_LINES && indentOf(all[j] ?? '') !== 0; j++) keep.add(j);
    }
  }

  const out: string[] = [];
  const lines: number[] = [];
  for (const i of [...keep].sort((a, b) => a - b)) {
    const standIn = standIns.get(i);
    for (let n = 0; n < (standIn?.count ?? 0); n++) {
      out.push(`${' '.repeat(standIn?.indent ?? 0)}- {}`);
      lines.push(-1);
    }
    out.push(all[i] ?? '');
    lines.push(i);
  }
  return { text: out.join('\n'), lines };
}

/** The indentation of the block's own entries: the first non-blank line after its parent, up to the cursor. */
function childLevel(all: readonly string[], from: number, to: number): number {
  for (let i = from; i <= to; i++) {
    const indent = indentOf(all[i] ?? '');
    if (indent >= 0) return indent;
  }
  return -1;
}

/** Whether a kept line opens a flow collection (`[`, `{`) that it does not close: cutting after it would break it. */
function keptFlowIsOpen(all: readonly string[], keep: ReadonlySet<number>): boolean {
  for (const i of keep) {
    const line = (all[i] ?? '').replace(/#.*$/, '');
    let depth = 0;
    let quote = '';
    for (const ch of line) {
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '[' || ch === '{') depth++;
      else if (ch === ']' || ch === '}') depth--;
    }
    if (depth > 0) return true;
  }
  return false;
}
