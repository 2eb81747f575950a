import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateFile } from '../../bench/generate';
import { parseYamlDocument } from '../../server/src/analysis/documents/parsedDocument';
import { splitSegments } from '../../server/src/analysis/documents/segments';
import { ParseWorkerClient } from '../../server/src/lsp/parseWorkerClient';
import { DIST, PROJECT_ROOT } from '../support/paths';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');

/** Every document of every rule fixture: syntax errors, schema errors, templates, every kind the rules read. */
function fixtureDocuments(): string[] {
  const texts: string[] = [];
  for (const rule of readdirSync(FIXTURES)) {
    for (const name of readdirSync(path.join(FIXTURES, rule))) {
      if (!/\.ya?ml$/.test(name)) continue;
      for (const segment of splitSegments(readFileSync(path.join(FIXTURES, rule, name), 'utf8'))) texts.push(segment.text);
    }
  }
  return texts;
}

describe('the parse worker (dist/parseWorker.js)', () => {
  const logged: string[] = [];
  const client = new ParseWorkerClient(path.join(DIST, 'parseWorker.js'), (m) => logged.push(m));
  after(() => client.dispose());

  it('parses exactly as this thread does: what crosses the threads is the same data', async () => {
    const texts = [...fixtureDocuments(), ...splitSegments(generateFile(300).text).map((s) => s.text), 'a: [unclosed\n', '\t- tab\n', ''];
    assert.ok(texts.length > 500, `${texts.length} documents`);
    const docs = await client.parse(texts);
    assert.ok(docs, 'the worker answered');
    assert.equal(docs.length, texts.length);
    texts.forEach((text, i) => assert.deepEqual(docs[i], parseYamlDocument(text), `document ${i}:\n${text.slice(0, 200)}`));
    assert.deepEqual(logged, []);
  });

  it('answers batches sent at once, each with its own documents', async () => {
    const batches = [['kind: Service\n'], ['kind: Endpoints\n', 'kind: ServiceEntry\n'], []];
    const replies = await Promise.all(batches.map((b) => client.parse(b)));
    assert.deepEqual(
      replies.map((r) => r?.map((d) => d.text)),
      batches,
    );
  });

  it('a batch beyond its memory limit is left to the caller, and a new worker takes the next', async () => {
    const messages: string[] = [];
    const small = new ParseWorkerClient(path.join(DIST, 'parseWorker.js'), (m) => messages.push(m), 16);
    try {
      // A flow list of 400 000 items: its nodes alone need more than 16 MB.
      const huge = `items: [${'1, '.repeat(400_000)}1]\n`;
      assert.equal(await small.parse([huge]), undefined);
      assert.match(messages.join('\n'), /stopped at its memory limit \(16 MB\)/);
      const after = await small.parse(['kind: Service\n']);
      assert.deepEqual(
        after?.map((d) => d.text),
        ['kind: Service\n'],
      );
    } finally {
      small.dispose();
    }
  });

  it('without its script, says it is not available and answers nothing, so callers parse themselves', async () => {
    const missing = new ParseWorkerClient(path.join(DIST, 'no-such-worker.js'), () => undefined);
    assert.equal(missing.available, false);
    assert.equal(await missing.parse(['kind: Service\n']), undefined);
  });
});
