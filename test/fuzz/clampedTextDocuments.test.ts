/**
 * The server's open-document store (`CLAMPED_TEXT_DOCUMENTS`) against the reference text an editor holds
 * (`RefDocument`): after any sequence of changes, including ranges past the end, reversed, negative or beside a CR/LF,
 * both hold the same text and the same line geometry. In process, without a server: thousands of changes in a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CLAMPED_TEXT_DOCUMENTS } from '../../server/src/lsp/clampedTextDocuments';
import { Random, RefDocument } from './generate';

type Update = (document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number) => TextDocument;

const PIECES = ['a', 'key: v', ' ', '\n', '\r\n', '\r', '\t', '[', 'é', '\uD83D\uDE00', '\uD800', '---\n', '- x\n'];

function randomText(rng: Random, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += rng.pick(PIECES);
  return text;
}

/** A position anywhere near the document: inside it, past a line's end, past the last line, or negative. */
function randomPosition(rng: Random, ref: RefDocument): Position {
  const lines = ref.lineCount;
  return rng.weighted<() => Position>([
    [6, () => ref.positionAt(rng.int(ref.getText().length + 1))],
    [2, () => ({ line: rng.int(lines), character: rng.between(0, 60) })],
    [2, () => ({ line: lines + rng.int(4), character: rng.int(20) })],
    [1, () => ({ line: -rng.between(1, 3), character: rng.int(5) - 2 })],
    [1, () => ({ line: rng.int(lines), character: -rng.between(1, 3) })],
  ])();
}

function randomChange(rng: Random, ref: RefDocument): TextDocumentContentChangeEvent {
  if (rng.chance(0.03)) return { text: randomText(rng, rng.int(12)) };
  const range: Range = { start: randomPosition(rng, ref), end: randomPosition(rng, ref) };
  return { range, text: rng.chance(0.3) ? '' : randomText(rng, rng.between(1, 4)) };
}

/** Where `document` and the reference disagree (text, line count, or any line's start and end), if anywhere. */
function disagreement(document: TextDocument, ref: RefDocument): string | undefined {
  if (document.getText() !== ref.getText()) return `text ${JSON.stringify(document.getText())} vs ${JSON.stringify(ref.getText())}`;
  if (document.lineCount !== ref.lineCount) return `lineCount ${document.lineCount} vs ${ref.lineCount}`;
  for (let line = 0; line < ref.lineCount; line++) {
    const start = { line, character: 0 };
    const end = { line, character: Number.MAX_SAFE_INTEGER };
    if (document.offsetAt(start) !== ref.offsetAt(start) || document.offsetAt(end) !== ref.offsetAt(end)) return `line ${line} geometry`;
  }
  return undefined;
}

/** Runs random batches of changes through `update` and the reference; the first disagreement, if any. */
function firstDisagreement(update: Update, seed: number, rounds: number): string | undefined {
  const rng = new Random(seed);
  for (let round = 0; round < rounds; round++) {
    const initial = randomText(rng, rng.int(15));
    const ref = new RefDocument('file:///t.yaml', 1, initial);
    let document = TextDocument.create('file:///t.yaml', 'yaml', 1, initial);
    for (let version = 2; version < 12; version++) {
      const changes: TextDocumentContentChangeEvent[] = [];
      // Several changes in one didChange: each is made for (and applies to) the text the previous one left.
      const batch = rng.between(1, 3);
      const preview = new RefDocument(ref.uri, version, ref.getText());
      for (let i = 0; i < batch; i++) {
        const change = randomChange(rng, preview);
        preview.apply(change);
        changes.push(change);
      }
      for (const change of changes) ref.apply(change);
      document = update(document, changes, version);
      const problem = disagreement(document, ref);
      if (problem) return `round ${round}, version ${version}, after ${JSON.stringify(changes)}: ${problem}`;
    }
  }
  return undefined;
}

describe('CLAMPED_TEXT_DOCUMENTS', () => {
  it('holds the reference text and line geometry after 4 000 random batches of changes', () => {
    // `update` is an arrow function: it has no `this` to lose.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    assert.equal(firstDisagreement(CLAMPED_TEXT_DOCUMENTS.update, 7, 400), undefined);
  });

  it('is needed: the unclamped library diverges on the same changes (else the test above proves nothing)', () => {
    assert.notEqual(
      firstDisagreement((d, c, v) => TextDocument.update(d, c, v), 7, 400),
      undefined,
    );
  });

  it('applies a range past the last line at the end of the text, then later changes where the editor does', () => {
    // Shrunk by the fuzzer (regressions/382b1c2668): the library took the second change to line 2 of another text.
    let document = CLAMPED_TEXT_DOCUMENTS.create('file:///t.yaml', 'yaml', 1, 'a: 1\n');
    document = CLAMPED_TEXT_DOCUMENTS.update(document, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: 'b: 2\n' }], 2);
    document = CLAMPED_TEXT_DOCUMENTS.update(document, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'c: 3\n' }], 3);
    assert.equal(document.getText(), 'a: 1\nb: 2\nc: 3\n');
    assert.equal(document.version, 3);
  });

  it('takes a range that is reversed only once clamped start-first', () => {
    // Start (1:0) is before end (0:99) by position, but 0:99 clamps to 0:3, before 1:0.
    let document = CLAMPED_TEXT_DOCUMENTS.create('file:///t.yaml', 'yaml', 1, 'abc\ndef\n');
    document = CLAMPED_TEXT_DOCUMENTS.update(document, [{ range: { start: { line: 1, character: 0 }, end: { line: 0, character: 99 } }, text: 'X' }], 2);
    assert.equal(document.getText(), 'abcXdef\n');
  });
});
