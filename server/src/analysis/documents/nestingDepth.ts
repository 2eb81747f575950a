import { Lexer, Parser } from 'yaml';

/**
 * Whether a YAML text nests collections deeper than `depth`. Each collection begins at one of `:-?[{|>`, so a text
 * with few of them is answered without parsing (most documents); otherwise by `nestingDepth`.
 */
export function nestsDeeperThan(text: string, depth: number): boolean {
  let openers = 0;
  for (let i = 0; i < text.length && openers <= depth; i++) if (COLLECTION_OPENERS.has(text.charCodeAt(i))) openers++;
  return openers > depth && nestingDepth(text, depth) > depth;
}

const COLLECTION_OPENERS: ReadonlySet<number> = new Set([...':-?[{|>'].map((c) => c.charCodeAt(0)));

/**
 * How deeply a YAML text nests collections, measured by the `yaml` package's own lexer and CST parser (the stages our
 * parser and yaml-language-server's share) in one pass: the most collections its parser holds open at once, which
 * counts exactly what it makes of quotes, comments, block scalars, indentation and errors. The tree composed from it
 * can be deeper, by the maps wrapped around keys after them (`[a: b]`, `[x]: y`): up to twice as deep, in theory;
 * a level or two on fuzzed documents.
 *
 * Both stages are iterative, but closing many collections at once recurses as deep as they are: the pass stops as soon
 * as the depth is above `stopAbove`, so it never recurses deeper than that (nor depends on the caller's stack).
 */
export function nestingDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  const parser = new Parser();
  let deepest = 0;
  for (const lexeme of new Lexer().lex(text)) {
    // Feeding a lexeme yields the documents it completes, not needed here.
    for (const _completed of parser.next(lexeme));
    // The stack holds the document, its open collections and at most one scalar being read.
    deepest = Math.max(deepest, parser.stack.length - 1);
    if (deepest > stopAbove) return deepest;
  }
  return deepest;
}

/**
 * Roughly how many entries a YAML text holds, as a measure of what matching it against a schema costs: its lines plus
 * its commas (flow collections hold one entry per comma). Stops counting once above `stopAbove`.
 */
export function entryCount(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let count = 1;
  for (let i = 0; i < text.length && count <= stopAbove; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x2c) count++;
  }
  return count;
}
