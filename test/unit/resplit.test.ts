import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../support/random';
import { resplitSegments } from '../../server/src/analysis/documents/resplit';
import { splitSegments } from '../../server/src/analysis/documents/segments';

/** Lines that make or almost make document markers, and content around them. */
const LINES = ['---', '--- ', '--- # c', '...', '... ', 'a: 1', '  ---', '# comment', '', '%YAML 1.2', '---x', 'b: |', '  text', '--', '----', '.. .'];
const PIECES = ['\n', '-', '.', ' ', 'a', '#', '---\n', '\n---', '...\n', '\n...', 'k: v\n', '\r\n'];

function randomText(rng: Rng): string {
  return Array.from({ length: rng.int(0, 30) }, () => rng.pick(LINES)).join('\n') + (rng.chance(0.5) ? '\n' : '');
}

/** A small edit anywhere: an insertion, a deletion or a replacement of a few characters. */
function randomEdit(rng: Rng, text: string): string {
  const at = rng.int(0, text.length);
  const removed = rng.chance(0.5) ? rng.int(0, Math.min(6, text.length - at)) : 0;
  const inserted = rng.chance(0.7) ? Array.from({ length: rng.int(1, 3) }, () => rng.pick(PIECES)).join('') : '';
  return text.slice(0, at) + inserted + text.slice(at + removed);
}

describe('resplitSegments', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`equals a full split after every random edit, and keeps only unchanged segments (seed ${seed})`, () => {
      const rng = new Rng(seed);
      for (let file = 0; file < 40; file++) {
        let text = randomText(rng);
        let segments = splitSegments(text);
        for (let step = 0; step < 40; step++) {
          const next = rng.chance(0.05) ? randomText(rng) : randomEdit(rng, text);
          const { segments: resplit, sameAs } = resplitSegments({ text, segments }, next);
          const where = `seed ${seed}, file ${file}, step ${step}: ${JSON.stringify(text)} → ${JSON.stringify(next)}`;
          assert.deepEqual(resplit, splitSegments(next), where);
          sameAs.forEach((j, i) => {
            if (j !== -1) assert.equal(segments[j]?.text, resplit[i]?.text, `${where}: segment ${i} is not old segment ${j}`);
          });
          text = next;
          segments = [...resplit];
        }
      }
    });
  }

  it('re-scans only around a one-line edit in a long file', () => {
    const docs = Array.from({ length: 2000 }, (_, i) => `kind: ConfigMap\nmetadata:\n  name: c${i}\n`);
    const text = docs.join('---\n');
    const segments = splitSegments(text);
    const edited = text.replace('name: c1000\n', 'name: c1000-renamed\n# and a new line\n');
    const { segments: resplit, sameAs } = resplitSegments({ text, segments }, edited);
    assert.deepEqual(resplit, splitSegments(edited));
    assert.equal([...sameAs].filter((j) => j === -1).length, 1, 'one segment scanned anew');
    assert.equal(resplit[1500]?.startLine, (segments[1500]?.startLine ?? 0) + 1, 'later segments move down one line');
  });
});
