import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DEFAULT_SEED, generateFile } from '../../bench/generate';
import { RULES } from '../../server/src/analysis/rules';
import { Project } from '../../server/src/analysis/engine/project';
import { LspTestClient, messageText } from '../support/lspClient';

const WORKSPACE_CODES = new Set(RULES.filter((r) => r.scope === 'workspace').map((r) => r.code));
const DOCUMENTS = 4000;

function key(code: string, range: Diagnostic['range'], message: string): string {
  return `${code} ${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character} ${message}`;
}

function keysOf(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => key(String(d.code), d.range, messageText(d)));
}

/** Our findings of `text`, analysed in one go. */
function oneShot(uri: string, text: string): string[] {
  const project = new Project();
  project.setFile(uri, text);
  return project.findings(uri).map((f) => key(f.code, f.range, f.message));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Ordering and content only, no timings: a slow machine parses fewer documents per slice, which changes how many
 * partial publications there are, not what they hold or in which order things happen.
 */
describe('staged first analysis of a large file (dist/server.js)', () => {
  // A server per test: open files analyse together, and each test's expectations are of its file alone.
  let client: LspTestClient;

  beforeEach(async () => {
    client = new LspTestClient();
    await client.initialize();
  });

  afterEach(async () => {
    await client.stop();
    assert.equal(client.stderr.join(''), '', 'nothing written to stderr');
  });

  it(`opening ${DOCUMENTS} documents: the top documents' local findings first, a hover answered meanwhile, then the full set`, async () => {
    const file = generateFile(DOCUMENTS);
    const uri = 'file:///staged/egress.yaml';
    const project = new Project();
    project.setFile(uri, file.text);
    const full = project.findings(uri);
    assert.deepEqual(
      full.map((f) => key(f.code, f.range, f.message)),
      oneShot(uri, file.text),
    );
    const expected = full.map((f) => key(f.code, f.range, f.message));
    const expectedSet = new Set(expected);
    const local = full.filter((f) => !WORKSPACE_CODES.has(f.code)).map((f) => ({ line: f.range.start.line, key: key(f.code, f.range, f.message) }));
    assert.ok(
      full.some((f) => WORKSPACE_CODES.has(f.code)),
      'the file has workspace findings',
    );

    // Another open file, with nothing the rules relate to the large one.
    const other = 'file:///staged/notes.yaml';
    await client.open(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: b\n');
    await client.waitForDiagnostics(other);

    await client.open(uri, file.text);
    // Sent right behind didOpen: in one synchronous analysis both would wait for the full publication. The hover in
    // the other file needs nothing of the large one; the one in the large file is answered from the document under
    // the cursor while the rest is parsed.
    const hostKey = file.anchors.find((a) => a.type === 'hostKey' && a.role === 'middle');
    assert.ok(hostKey);
    const answeredAfter = (request: Promise<unknown>): Promise<number> => request.then(() => client.publications(uri).length);
    const hoverElsewhere = answeredAfter(client.hover(other, { line: 1, character: 2 }));
    const hoverHere = answeredAfter(client.hover(uri, { line: hostKey.line, character: hostKey.character + 1 }));
    const final = await client.waitForDiagnostics(uri, (p) => p.version === 1 && keysOf(p).join('\n') === expected.join('\n'), 60_000);
    // Nothing comes after the full set.
    await sleep(500);
    const publications = client.publications(uri);
    assert.equal(publications[publications.length - 1], final, 'the full set is the last publication');
    const finalIndex = publications.indexOf(final);
    for (const [where, answered] of [
      ['in another file', await hoverElsewhere],
      ['in the large file', await hoverHere],
    ] as const) {
      assert.ok(answered <= finalIndex, `hover ${where} answered before the full publication (after ${answered} publications; the full set is #${finalIndex})`);
    }

    assert.ok(finalIndex >= 1, 'at least one partial publication before the full set');
    for (const [i, partial] of publications.slice(0, finalIndex).entries()) {
      assert.equal(partial.version, 1);
      const keys = keysOf(partial);
      assert.deepEqual(
        keys.filter((k) => !expectedSet.has(k)),
        [],
        `publication #${i} holds only findings of the full set`,
      );
      assert.deepEqual(
        partial.diagnostics.filter((d) => WORKSPACE_CODES.has(String(d.code))).map((d) => String(d.code)),
        [],
        `publication #${i} holds no workspace finding`,
      );
      assert.ok(keys.length < expected.length);
    }
    // The first publication holds every local finding of the top of the file, down to its last one there (the
    // worker thread parses from the bottom up meanwhile: what it has parsed may be published too).
    const first = publications[0];
    assert.ok(first && first.diagnostics.length > 0, 'the first publication has findings');
    const half = file.text.split('\n').length / 2;
    const top = first.diagnostics.filter((d) => d.range.start.line < half);
    assert.ok(top.length > 0, 'findings of the top of the file come first');
    const lastLine = Math.max(...top.map((d) => d.range.start.line));
    assert.deepEqual(
      top.map((d) => key(String(d.code), d.range, messageText(d))),
      local.filter((f) => f.line <= lastLine).map((f) => f.key),
    );
  });

  it('a completion in the file being opened is answered from the document under the cursor, before the full set', async () => {
    const file = generateFile(DOCUMENTS);
    const uri = 'file:///staged/typing.yaml';
    const at = file.anchors.find((a) => a.type === 'modeValue' && a.role === 'middle');
    assert.ok(at);
    const position = { line: at.line, character: at.character };
    // Computed first: a client busy with it would send the request only afterwards.
    const expected = oneShot(uri, file.text);
    await client.open(uri, file.text);
    const early = client.completion(uri, position).then((items) => ({ items, after: client.publications(uri).length }));
    const final = await client.waitForDiagnostics(uri, (p) => keysOf(p).join('\n') === expected.join('\n'), 60_000);
    const { items, after } = await early;
    // Had the request parsed the whole file, no partial publication would follow its answer.
    assert.ok(after < client.publications(uri).indexOf(final), `answered while the file was still being parsed (after ${after} publications)`);
    const later = await client.completion(uri, position);
    assert.deepEqual(items.map((i) => i.label).sort(), later.map((i) => i.label).sort(), 'the same values as once the file is analysed');
  });

  it('a file replaced wholesale while its first analysis runs: the new version takes over, and ends with its full set', async () => {
    const uri = 'file:///staged/replaced.yaml';
    const v1 = generateFile(3000).text;
    const v2 = generateFile(3000, DEFAULT_SEED + 1).text;
    const expected = oneShot(uri, v2);
    const expectedSet = new Set(expected);
    const allOfV1 = new Set(oneShot(uri, v1));
    await client.open(uri, v1);
    const version = await client.replaceAll(uri, v2);
    const final = await client.waitForDiagnostics(uri, (p) => p.version === version && keysOf(p).join('\n') === expected.join('\n'), 60_000);
    await sleep(500);
    const publications = client.publications(uri);
    assert.equal(publications[publications.length - 1], final, 'the full set of the new version is the last publication');
    const firstOfV2 = publications.findIndex((p) => p.version === version);
    assert.ok(
      publications.slice(firstOfV2).every((p) => p.version === version),
      'nothing of the old version after the new one',
    );
    assert.ok(publications.indexOf(final) > firstOfV2, 'the new version is staged too: partial findings before its full set');
    for (const [i, p] of publications.entries()) {
      const pool = p.version === version ? expectedSet : allOfV1;
      assert.deepEqual(
        keysOf(p).filter((k) => !pool.has(k)),
        [],
        `publication #${i} (version ${String(p.version)}) holds only findings of its version's full set`,
      );
      if (p !== final) assert.deepEqual(p.diagnostics.filter((d) => WORKSPACE_CODES.has(String(d.code))).length, 0, `publication #${i} is partial: no workspace finding`);
    }
  });
});
