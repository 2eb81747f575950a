import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileModelBuilder } from '../../server/src/analysis/workspace/fileModel';
import { Project } from '../../server/src/analysis/workspace/project';

const SERVICE = (i: number) => `kind: Service\napiVersion: v1\nmetadata:\n  name: svc-${i}\nspec:\n  ports:\n  - name: tls\n    port: 443\n`;
const DR = (i: number, mode: string) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: dr-${i}\nspec:\n  host: svc-${i}\n  trafficPolicy:\n    tls:\n      mode: ${mode}\n`;

/** A tiny seeded generator (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('incremental analysis', () => {
  it('re-parses only the document an edit touched', () => {
    const builder = new FileModelBuilder();
    const docs = Array.from({ length: 50 }, (_, i) => (i % 2 ? DR(i, 'DISABLE') : SERVICE(i)));
    const first = builder.build('file:///a.yaml', docs.join('---\n'));
    assert.equal(first.parsedCount, 50);
    docs[7] = DR(7, 'ISTIO_MUTUAL');
    const second = builder.build('file:///a.yaml', docs.join('---\n'));
    assert.equal(second.parsedCount, 1);
    assert.equal(second.documents[8]?.doc, first.documents[8]?.doc, 'untouched documents keep their parse');
    // Inserting lines above shifts later documents without re-parsing them.
    const third = builder.build('file:///a.yaml', `# new comment\n# another\n${docs.join('---\n')}`);
    assert.equal(third.parsedCount, 1);
    assert.equal(third.documents[10]?.startLine, (second.documents[10]?.startLine ?? 0) + 2);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equals a fresh full analysis after random edits (seed ${seed})`, () => {
      const rand = random(seed);
      const incremental = new Project();
      const files = new Map<string, string[]>();
      for (let f = 0; f < 3; f++) files.set(`file:///f${f}.yaml`, Array.from({ length: 12 }, (_, i) => (i % 3 === 2 ? DR(i, 'DISABLE') : SERVICE(i))));
      for (const [uri, docs] of files) incremental.setFile(uri, docs.join('---\n'));
      const modes = ['DISABLE', 'SIMPLE', 'ISTIO_MUTUAL', 'MUTUAL'];
      for (let step = 0; step < 60; step++) {
        const uri = `file:///f${Math.floor(rand() * 3)}.yaml`;
        const docs = files.get(uri) ?? [];
        const i = Math.floor(rand() * docs.length);
        const action = rand();
        if (action < 0.4) docs[i] = DR(Math.floor(rand() * 12), modes[Math.floor(rand() * modes.length)] ?? 'DISABLE');
        else if (action < 0.6) docs[i] = SERVICE(Math.floor(rand() * 12));
        else if (action < 0.75) docs[i] = (docs[i] ?? '').slice(0, Math.floor(rand() * (docs[i] ?? '').length));
        else if (action < 0.9) docs.splice(i, 0, `# inserted ${step}\n`);
        else docs.splice(i, 1);
        incremental.setFile(uri, docs.join('---\n'));
        incremental.findings(uri); // interleave reads with writes, as an editor does

        const fresh = new Project();
        for (const [u, d] of files) fresh.setFile(u, d.join('---\n'));
        for (const u of files.keys()) assert.deepEqual(incremental.findings(u), fresh.findings(u), `seed ${seed}, step ${step}, ${u}`);
      }
    });
  }
});
