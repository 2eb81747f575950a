import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateFile } from '../../bench/generate';
import { splitSegments } from '../../server/src/analysis/documents/segments';
import type { Finding } from '../../server/src/analysis/findings';
import { RULES } from '../../server/src/analysis/rules';
import { Project } from '../../server/src/analysis/engine/project';
import { randomDocument } from '../support/randomManifests';
import { Rng } from '../support/random';

const URI = 'file:///staged.yaml';
const LOCAL_CODES = new Set(RULES.filter((r) => r.scope === 'document').map((r) => r.code));
const WORKSPACE_CODES = new Set(RULES.filter((r) => r.scope === 'workspace').map((r) => r.code));

function key(f: Finding): string {
  const { start, end } = f.range;
  return `${f.code} ${start.line}:${start.character}-${end.line}:${end.character} ${f.message}`;
}

function oneShot(text: string): Finding[] {
  const project = new Project();
  project.setFile(URI, text);
  return project.findings(URI);
}

/** A stop condition that lets `n` documents be parsed per call: the tiniest budgets. */
function afterParses(n: number): () => boolean {
  let left = n;
  return () => --left <= 0;
}

/** Random documents that run into each other, with suppression comments: per line, and one for the file at its end. */
function randomFile(documents: number, seed: number): string {
  const rng = new Rng(seed);
  const docs = Array.from({ length: documents }, () => {
    const lines = randomDocument(rng).split('\n');
    if (rng.chance(0.1)) lines.splice(rng.int(0, lines.length), 0, rng.pick(['# istio-egress-disable', '# istio-egress-disable EGR405, EGR002', '# istio-egress-disable EGR104']));
    return lines.join('\n');
  });
  // At the very end, yet it holds for the first documents too (and for partial findings before the end is parsed).
  docs.push('# istio-egress-disable-file EGR103');
  return `${docs.join('\n---\n')}\n`;
}

/**
 * Stages `text` from nothing, `step` documents per slice, checking each slice's partial findings against the full
 * ones: exactly the full set's document-local findings above the first document not parsed yet.
 */
function stageAndCheck(text: string, step: number): { project: Project; slices: number; partialSizes: number[] } {
  const full = oneShot(text);
  const starts = splitSegments(text).map((s) => s.startLine);
  const project = new Project();
  const partialSizes: number[] = [];
  let slices = 0;
  for (;;) {
    const progress = project.parseAhead(URI, text, afterParses(step));
    slices++;
    const partial = project.partialFindings(URI, text);
    partialSizes.push(partial.length);
    const workspace = partial.filter((f) => WORKSPACE_CODES.has(f.code));
    assert.deepEqual(workspace.map(key), [], `slice ${slices}: no workspace finding before the whole file is parsed`);
    // Documents are parsed in file order from the top: the ready ones are those above `boundary`.
    const boundary = starts[progress.ready] ?? Number.POSITIVE_INFINITY;
    const expected = full.filter((f) => LOCAL_CODES.has(f.code) && f.range.start.line < boundary);
    assert.deepEqual(partial.map(key), expected.map(key), `slice ${slices} (${progress.ready}/${progress.total} documents)`);
    if (progress.ready === progress.total) break;
  }
  return { project, slices, partialSizes };
}

describe('staged first analysis (parse ahead in slices, partial findings)', () => {
  const inputs = [
    { name: 'bench/generate.ts, 2 000 documents', text: generateFile(2000).text },
    { name: 'random manifests with suppression comments, 2 000 documents', text: randomFile(2000, 7) },
  ];

  for (const { name, text } of inputs) {
    it(`${name}: partial findings are the full set's local findings of the parsed documents; the model ends as a one-shot build's`, () => {
      const full = oneShot(text);
      assert.ok(
        full.some((f) => WORKSPACE_CODES.has(f.code)),
        'the input has workspace findings to keep back',
      );
      assert.ok(
        full.some((f) => LOCAL_CODES.has(f.code)),
        'the input has local findings to publish early',
      );
      const { project, slices, partialSizes } = stageAndCheck(text, 97);
      assert.ok(slices > 10, `parsed in many slices (${slices})`);
      assert.ok((partialSizes[0] ?? 0) > 0, 'the first slice already has findings to show');

      const model = project.setFile(URI, text);
      assert.equal(model.parsedCount, 0, 'setFile reuses every staged parse');
      const shot = new Project().setFile(URI, text);
      assert.deepEqual(
        model.documents.map((d) => [d.index, d.startLine, d.doc.text]),
        shot.documents.map((d) => [d.index, d.startLine, d.doc.text]),
      );
      assert.deepEqual(model.suppressions, shot.suppressions);
      assert.deepEqual(project.findings(URI), full);
    });
  }

  it('one document per slice gives the same result as one go', () => {
    const text = randomFile(150, 11);
    const { project } = stageAndCheck(text, 1);
    assert.equal(project.setFile(URI, text).parsedCount, 0);
    assert.deepEqual(project.findings(URI), oneShot(text));
  });

  it('honours suppressions in partial findings, also a disable-file comment not parsed yet', () => {
    const text = randomFile(300, 3);
    const unsuppressed = text.replace('# istio-egress-disable-file EGR103', '# nothing to see');
    const project = new Project();
    project.parseAhead(URI, text, afterParses(100));
    const other = new Project();
    other.parseAhead(URI, unsuppressed, afterParses(100));
    assert.ok(
      other.partialFindings(URI, unsuppressed).some((f) => f.code === 'EGR103'),
      'the input has EGR103 in its first documents',
    );
    assert.ok(!project.partialFindings(URI, text).some((f) => f.code === 'EGR103'));
  });

  it('a newer version mid-way reuses what was parsed, and ends as a one-shot build of that version', () => {
    const v1 = generateFile(2000).text;
    const project = new Project();
    const half = project.parseAhead(URI, v1, afterParses(1000));
    assert.equal(half.ready, 1000);
    // A document inserted near the top (moving every line below), one changed in the parsed half, one below it.
    const changed = splitSegments(v1).map((s) => s.text);
    changed[500] = (changed[500] ?? '').replace(/name: /, 'name: x');
    changed[1500] = (changed[1500] ?? '').replace(/name: /, 'name: y');
    changed.splice(1, 0, '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n');
    const v2 = changed.join('');
    const planned = project.parseProgress(URI, v2);
    assert.equal(planned.total, 2001);
    assert.equal(planned.ready, 999, 'the parsed documents of v1 that v2 still has');
    const full = oneShot(v2);
    const fullKeys = new Set(full.map(key));
    for (let progress = planned; progress.ready < progress.total;) {
      progress = project.parseAhead(URI, v2, afterParses(250));
      for (const f of project.partialFindings(URI, v2)) {
        assert.ok(fullKeys.has(key(f)) && !WORKSPACE_CODES.has(f.code), `partial finding not in the full set: ${key(f)}`);
      }
    }
    assert.equal(project.setFile(URI, v2).parsedCount, 0);
    assert.deepEqual(project.findings(URI), full);
  });

  it('a request that sets the file mid-way parses only the rest; staging then has nothing left', () => {
    const text = generateFile(1000).text;
    const project = new Project();
    project.parseAhead(URI, text, afterParses(400));
    const model = project.setFile(URI, text);
    assert.equal(model.parsedCount, 600);
    let asked = 0;
    assert.deepEqual(
      project.parseAhead(URI, text, () => ++asked > 0),
      { total: 1000, ready: 1000 },
    );
    assert.equal(asked, 0, 'nothing parsed');
    assert.deepEqual(project.findings(URI), oneShot(text));
    assert.deepEqual(
      project.partialFindings(URI, text).map(key),
      oneShot(text)
        .filter((f) => LOCAL_CODES.has(f.code))
        .map(key),
    );
  });

  it('an edit to a built file leaves one document to parse (no staging for it)', () => {
    const text = generateFile(1000).text;
    const project = new Project();
    project.setFile(URI, text);
    const edited = text.replace('mode: DISABLE', 'mode: SIMPLE');
    assert.deepEqual(project.parseProgress(URI, edited), { total: 1000, ready: 999 });
    assert.equal(project.setFile(URI, edited).parsedCount, 1);
    assert.deepEqual(project.findings(URI), oneShot(edited));
  });
});
