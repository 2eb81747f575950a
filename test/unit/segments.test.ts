import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { splitSegments } from '../../server/src/analysis/documents/segments';

const starts = (text: string) => splitSegments(text).map((s) => [s.startLine, s.text]);

describe('splitSegments', () => {
  it('keeps a file without markers as one document', () => {
    assert.deepEqual(starts('a: 1\nb: 2\n'), [[0, 'a: 1\nb: 2\n']]);
    assert.deepEqual(starts(''), [[0, '']]);
  });

  it('cuts at --- lines, which open the next document', () => {
    assert.deepEqual(starts('a: 1\n---\nb: 2\n--- \nc: 3'), [
      [0, 'a: 1\n'],
      [1, '---\nb: 2\n'],
      [3, '--- \nc: 3'],
    ]);
  });

  it('keeps leading comments and a leading --- with the first document', () => {
    assert.deepEqual(starts('# header\n\n---\na: 1\n'), [[0, '# header\n\n---\na: 1\n']]);
  });

  it('ends a document at ... and handles CRLF', () => {
    assert.deepEqual(starts('a: 1\r\n...\r\nb: 2\r\n---\r\nc: 3\r\n'), [
      [0, 'a: 1\r\n...\r\n'],
      [2, 'b: 2\r\n'],
      [3, '---\r\nc: 3\r\n'],
    ]);
  });

  it('does not cut at ---x, indented --- or --- inside a block scalar line', () => {
    const text = 'a: |\n  ---\n  text\nb: ---x\n----\n';
    assert.deepEqual(starts(text), [[0, text]]);
  });

  it('agrees with the yaml parser on document count and content for varied files', () => {
    const texts = ['a: 1\n---\nb: 2\n---\n---\nc: 3\n', '%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n', '--- !!map\na: 1\n--- >\n  folded\n', '# only a comment\n'];
    for (const text of texts) {
      const segments = splitSegments(text);
      const whole = parseAllDocuments(text);
      const docs = Array.isArray(whole) ? whole : [];
      const perSegment = segments.flatMap((s) => {
        const parsed = parseAllDocuments(s.text);
        return Array.isArray(parsed) ? parsed : [];
      });
      assert.deepEqual(
        perSegment.map((d) => JSON.stringify(d.toJS())),
        docs.map((d) => JSON.stringify(d.toJS())),
        text,
      );
      assert.equal(segments.map((s) => s.text).join(''), text, 'segments cover the text exactly');
    }
  });
});

describe('line breaks as LSP counts them', () => {
  it('treats a lone CR as a line break in LineIndex and in the document scan', async () => {
    const { LineIndex } = await import('../../server/src/analysis/text');
    const text = 'a: 1\r---\rb: 2\r\nc: 3\n';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 5);
    assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 3, character: 0 });
    assert.equal(lines.offsetAt({ line: 0, character: 99 }), 4, 'clamped before the line break');
    assert.equal(lines.offsetAt({ line: 2, character: 99 }), text.indexOf('\r\n'));
    assert.deepEqual(starts(text), [
      [0, 'a: 1\r'],
      [1, '---\rb: 2\r\nc: 3\n'],
    ]);
  });
});
