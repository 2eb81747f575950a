/**
 * Line helpers for the manifest builders. Each section is built at column 0 and its parent indents it, so the same
 * section is a whole document's part or, on its own, a fragment to insert (the fuzzer's tokens).
 */

/** `lines` shifted right by `by` spaces. */
export function indent(lines: readonly string[], by = 2): string[] {
  const pad = ' '.repeat(by);
  return lines.map((line) => pad + line);
}

/** One item of a block sequence: `- ` before its first line, its other lines aligned under it. */
export function listItem(lines: readonly string[]): string[] {
  return lines.map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
}

/** `key:` and a block sequence of scalars, written as people do: the dashes under the key. */
export function sequence(key: string, items: readonly string[]): string[] {
  return [`${key}:`, ...items.map((item) => `- ${item}`)];
}

/** `key:` and a mapping of scalars. */
export function mapping(key: string, entries: Readonly<Record<string, string>>): string[] {
  return [`${key}:`, ...Object.entries(entries).map(([k, v]) => `  ${k}: ${v}`)];
}

/** Lines as the text of a fragment: newline-terminated, ready to insert at a line start. */
export function fragmentText(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}
