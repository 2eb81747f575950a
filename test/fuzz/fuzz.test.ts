/**
 * Fuzz tests of the built language server (`dist/server.js --stdio`), part of `npm test`:
 *
 * - a fixed seed: 300 edit steps over 20 generated documents, every step checked (see runner.ts); a failure is shrunk
 *   and written to test/fuzz/regressions/ before the test fails;
 * - every file in test/fuzz/regressions/ opened (its edit history replayed, if it has one), probed and edited;
 * - protocol misuse: unknown documents, positions past the end and negative, cancelled requests, out-of-order
 *   versions, changes to never-opened documents, double close and double open.
 *
 * The long run is `npm run fuzz` (test/fuzz/long.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ErrorCodes,
  FoldingRangeRequest,
  HoverRequest,
  LSPErrorCodes,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { PROJECT_ROOT } from '../support/paths';
import { DEFAULT_GEN, EditGenerator, lineLengths, loadCorpus, Random, RefDocument } from './generate';
import { DEFAULT_FUZZ, fmtRange, formatReport, FuzzClient, loadRegressions, rangeProblem, REQUEST_TIMEOUT_MS, requestLimitMs, runFuzz, type Failure } from './runner';

const SEED = 20_240_611;
const rng = new Random(SEED);
const corpus = loadCorpus(PROJECT_ROOT);

function describeFailures(failures: readonly Failure[]): string {
  return failures.map((f) => `${f.signature}: ${f.detail}`).join('\n');
}

describe('fuzz: fixed seed', () => {
  it(`survives 300 edit steps over 20 documents (seed ${SEED}) with every check passing`, async () => {
    const report = await runFuzz({
      ...DEFAULT_FUZZ,
      seed: SEED,
      corpus,
      edits: 300,
      documents: 20,
      lifetime: 15,
      maxOpen: 4,
      checkEvery: 1,
      batchMax: 3,
      // Big payloads (200 KB lines, 1 000-deep nesting, alias bombs) stay in, a little rarer than in the long run.
      gen: { ...DEFAULT_GEN, bigChance: 0.03 },
      shrink: { ms: 30_000, trials: 250 },
      stopOnFirstFailure: true,
      log: (line) => console.log(line),
    });
    console.log(formatReport(report));
    assert.equal(report.steps, 300, `stopped at step ${report.steps}`);
    assert.deepEqual(
      report.failures.map((f) => `${f.failure.signature} (step ${f.step}): ${f.failure.detail}`),
      [],
      'failures (shrunk inputs written to test/fuzz/regressions/)',
    );
  });
});

describe('fuzz: regressions', () => {
  const files = loadRegressions();
  let client: FuzzClient;

  before(async () => {
    client = await FuzzClient.start();
  });

  after(async () => {
    await client.stop();
  });

  if (files.length === 0) it('has no regression files yet', () => undefined);

  for (const [i, file] of files.entries()) {
    it(`${file.name}${file.header ? ` — ${file.header.replace(/^# fuzz-regression:\s*/, '').slice(0, 100)}` : ''}`, async () => {
      if (!client.alive) client = await FuzzClient.start();
      const uri = `file:///fuzz/regressions/${file.name}`;
      const rng = new Random(SEED + i);
      const failures: Failure[] = [];
      const stuck = (): boolean => failures.some((f) => f.kind === 'timeout' || f.kind === 'crash');
      try {
        await client.open(uri, file.text);
        let version = 1;
        for (const batch of file.batches ?? []) version = await client.changeWith(uri, batch);
        await client.waitForPublication(uri, version, requestLimitMs(file.text));
        // Files are probed on each line's start, middle and end: small ones everywhere, big ones (a 200 KB line, where
        // each request re-reads the document) on their first lines and the case's own position.
        const doc = client.document(uri);
        const probes: Position[] = file.probe ? [file.probe] : [];
        const text = doc?.getText() ?? '';
        const lines = doc?.lineCount ?? 0;
        const probeLimit = text.length > 20_000 ? 9 : 60;
        for (let line = 0; line < lines && probes.length < probeLimit; line++) {
          const length = (doc?.offsetAt({ line: line + 1, character: 0 }) ?? 0) - (doc?.offsetAt({ line, character: 0 }) ?? 0);
          probes.push({ line, character: 0 }, { line, character: length >> 1 }, { line, character: Math.max(0, length - 1) }, { line, character: length + 7 });
        }
        probes.push({ line: lines, character: 0 }, { line: lines + 5, character: text.length });
        failures.push(...(await client.check(rng, [uri], { positions: 0, symbols: true, folding: true, codeActions: true, differential: true }, probes)));
        const edits = new EditGenerator(rng.fork(), corpus, { ...DEFAULT_GEN, bigChance: 0 });
        // Each request on a 100 KB line costs about a second (yaml-language-server reads it again): fewer edits there.
        const steps = text.length > 20_000 ? 3 : 10;
        for (let step = 0; step < steps && !stuck(); step++) {
          await client.change(uri, 1, (d) => edits.next(d));
          failures.push(...(await client.check(rng, [uri], { positions: 1, symbols: true, folding: true, codeActions: true, differential: true })));
        }
      } finally {
        if (stuck() || !client.alive) {
          client.kill();
          client = await FuzzClient.start();
        } else {
          await client.close(uri);
        }
      }
      assert.equal(describeFailures(failures), '', `${file.name} still fails`);
    });
  }
});

describe('fuzz: publications', () => {
  it('names the version whose text the diagnostics were computed from, while edits arrive during validation', async () => {
    // A fresh server: its first validation of a folder looks for .istio-egress.yaml on disk, which leaves time for
    // edits to arrive. Each edit inserts a line at the top, so EGR003's line tells which text was analysed.
    const client = await FuzzClient.start();
    const text = 'apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: api.example.com\n';
    const mismatches: string[] = [];
    let seen = 0;
    client.observers.push((p, versionText) => {
      const egr003 = p.diagnostics.find((d) => d.code === 'EGR003');
      if (!egr003) return;
      seen++;
      const expected = versionText.split('\n').findIndex((l) => l.startsWith('apiVersion:'));
      if (egr003.range.start.line !== expected) mismatches.push(`version ${String(p.version)}: EGR003 on line ${egr003.range.start.line}, apiVersion is on line ${expected}`);
    });
    try {
      for (let round = 0; round < 3; round++) {
        const uri = `file:///fuzz/race-${SEED}-${round}/a/b/c/d/e/doc.yaml`;
        await client.open(uri, text);
        let version = 1;
        for (let i = 0; i < 40; i++) {
          version = await client.changeWith(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# line ${i}\n` }]);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await client.waitForPublication(uri, version, REQUEST_TIMEOUT_MS);
        const failures = await client.check(rng, [uri], { positions: 0, symbols: false, folding: false, codeActions: false });
        assert.equal(describeFailures(failures), '');
        await client.close(uri);
      }
    } finally {
      await client.stop();
    }
    assert.ok(seen > 0, 'EGR003 published');
    assert.deepEqual(mismatches, [], 'diagnostics computed for an older text, published under a newer version');
  });
});

describe('fuzz: deep nesting', () => {
  it('survives documents nested 500 to 2 000 levels deep, with requests on each (a sequence that crashed the server)', async () => {
    // Found by fuzzing: after these documents and requests, V8 aborts the server ("FATAL ERROR: RegExpCompiler
    // Allocation failed") when a regular expression is first compiled near the end of the stack during a deep walk.
    const client = await FuzzClient.start();
    const seq = (d: number): string => `deep:\n${'- '.repeat(d)}x\n`;
    const flow = (d: number): string => `deep: ${'['.repeat(d)}x${']'.repeat(d)}\n`;
    const failures: Failure[] = [];
    try {
      for (const [name, text] of [
        ['flow-500', flow(500)],
        ['seq-500', seq(500)],
        ['flow-1000', flow(1000)],
        ['flow-2000', flow(2000)],
        ['seq-2000', seq(2000)],
      ] as const) {
        const uri = `file:///fuzz/deep/${name}.yaml`;
        await client.open(uri, text);
        failures.push(
          ...(await client.check(rng, [uri], { positions: 0, symbols: true, folding: true, codeActions: false }, [
            { line: 0, character: 2 },
            { line: 1, character: 3 },
          ])),
        );
        if (failures.some((f) => f.kind === 'timeout' || f.kind === 'crash')) break;
      }
    } finally {
      if (client.alive) await client.stop();
      else client.kill();
    }
    assert.equal(describeFailures(failures), '');
  });
});

describe('fuzz: protocol misuse', () => {
  let client: FuzzClient;
  const sample = corpus.find((f) => f.name.endsWith('3-selectorless-endpoints.yaml'))?.text ?? corpus[0]?.text ?? '';
  /** Error answers that are a clean refusal (not an exception in a handler). */
  const CLEAN_ERRORS = [ErrorCodes.InvalidParams, ErrorCodes.InvalidRequest, LSPErrorCodes.RequestFailed, LSPErrorCodes.ContentModified, LSPErrorCodes.RequestCancelled];

  before(async () => {
    client = await FuzzClient.start();
  });

  after(async () => {
    await client.stop();
  });

  /** All five requests on `uri` at `position` (and a range from there), answered in time and without internal errors. */
  async function requestAll(uri: string, position: Position, failures: Failure[]): Promise<void> {
    const c = client.lsp.connection;
    const range = { start: position, end: { line: position.line + 1, character: position.character } };
    await client.request('textDocument/completion', uri, position, () => c.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), failures, CLEAN_ERRORS);
    await client.request('textDocument/hover', uri, position, () => c.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), failures, CLEAN_ERRORS);
    await client.request('textDocument/documentSymbol', uri, undefined, () => c.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), failures, CLEAN_ERRORS);
    await client.request('textDocument/foldingRange', uri, undefined, () => c.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }), failures, CLEAN_ERRORS);
    await client.request(
      'textDocument/codeAction',
      uri,
      position,
      () => c.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } }),
      failures,
      CLEAN_ERRORS,
    );
  }

  async function assertClean(failures: Failure[]): Promise<void> {
    // A request answered after everything sent so far: the server is alive and has processed it all.
    await client.request('textDocument/foldingRange', 'file:///fuzz/misuse/ping.yaml', undefined, () => client.lsp.folding('file:///fuzz/misuse/ping.yaml'), failures);
    failures.push(...client.collect());
    assert.equal(describeFailures(failures), '');
    assert.ok(client.alive, 'the server process is alive');
  }

  it('answers requests for documents that were never opened', async () => {
    const failures: Failure[] = [];
    for (const position of [
      { line: 0, character: 0 },
      { line: 10, character: 4 },
    ])
      await requestAll('file:///fuzz/misuse/never-opened.yaml', position, failures);
    await requestAll('untitled:Untitled-1', { line: 0, character: 0 }, failures);
    await assertClean(failures);
  });

  it('answers requests at positions past the end of lines and of the document', async () => {
    const uri = 'file:///fuzz/misuse/past-end.yaml';
    await client.open(uri, sample);
    const doc = client.document(uri);
    const lines = doc?.lineCount ?? 0;
    const positions: Position[] = [
      { line: lines, character: 0 },
      { line: lines - 1, character: 10_000 },
      { line: 3, character: 1_000_000 },
      { line: 1_000_000, character: 1_000_000 },
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
    ];
    const failures = await client.check(rng, [uri], { positions: 0, symbols: true, folding: true, codeActions: true }, positions);
    for (const position of positions) await requestAll(uri, position, failures);
    await client.close(uri);
    await assertClean(failures);
  });

  it('answers requests at negative positions', async () => {
    const uri = 'file:///fuzz/misuse/negative.yaml';
    await client.open(uri, sample);
    const failures: Failure[] = [];
    for (const position of [
      { line: -1, character: -1 },
      { line: 0, character: -5 },
      { line: -100, character: 3 },
      { line: 2, character: -1 },
    ]) {
      await requestAll(uri, position, failures);
    }
    const range = { start: { line: -3, character: -3 }, end: { line: -1, character: 0 } };
    await client.request('textDocument/codeAction', uri, range.start, () => client.lsp.codeActions(uri, range, []), failures, CLEAN_ERRORS);
    await client.close(uri);
    await assertClean(failures);
  });

  it('answers cancelled requests with a result or RequestCancelled, never crashing', async () => {
    const uri = 'file:///fuzz/misuse/cancel.yaml';
    // Requests are in flight while an edit is sent, so which version they answer is not known: publications for this
    // document are not range-checked here (the fixed-seed test does that).
    client.ignored.add(uri);
    // Big enough that a request takes a while: 200 documents.
    await client.open(uri, `${sample}\n---\n`.repeat(200));
    const failures: Failure[] = [];
    const c = client.lsp.connection;
    const doc = client.document(uri);
    const edits = new EditGenerator(rng.fork(), corpus, { ...DEFAULT_GEN, bigChance: 0 });
    let answered = 0;
    let cancelled = 0;
    for (let i = 0; i < 25; i++) {
      const position = doc ? doc.positionAt(rng.int(doc.getText().length)) : { line: 0, character: 0 };
      const source = new CancellationTokenSource();
      const requests: Promise<unknown>[] = [
        c.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }, source.token),
        c.sendRequest(HoverRequest.type, { textDocument: { uri }, position }, source.token),
        c.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }, source.token),
        c.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }, source.token),
        c.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }, source.token),
      ];
      for (const request of requests) request.catch(() => undefined);
      // Sends `$/cancelRequest` for each, right after the requests; half the time an edit comes in between.
      if (i % 2) await client.change(uri, 1, (d) => edits.next(d));
      source.cancel();
      for (const [k, request] of requests.entries()) {
        await client.request(`textDocument/${['completion', 'hover', 'documentSymbol', 'foldingRange', 'codeAction'][k] ?? '?'}`, uri, position, () => request, failures, [
          LSPErrorCodes.RequestCancelled,
        ]);
      }
      for (const request of requests) {
        await request.then(
          () => answered++,
          () => cancelled++,
        );
      }
      source.dispose();
    }
    console.log(`cancellation: ${answered} answered, ${cancelled} cancelled`);
    await client.close(uri);
    await assertClean(failures);
  });

  it('takes changes with out-of-order and repeated versions, and recovers with the next in-order version', async () => {
    const uri = 'file:///fuzz/misuse/versions.yaml';
    client.ignored.add(uri);
    const failures: Failure[] = [];
    const c = client.lsp.connection;
    // What the server holds: changes are applied in arrival order, whatever their version (only ranges inside the
    // document here, which the server's text library applies correctly).
    const mirror = new RefDocument(uri, 1, sample);
    await c.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: sample } });
    const edits = new EditGenerator(rng.fork(), corpus, { ...DEFAULT_GEN, bigChance: 0, weirdRanges: false });
    for (const version of [5, 3, 3, 4, 2, 2, 9, 1, 0, -7, 9, 9]) {
      const edit = edits.next(mirror);
      const change = edit.kind === 'full' ? { text: edit.text } : { range: edit.range, text: edit.text };
      mirror.apply(change);
      await c.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
      // Let a validation run in between now and then, so that a stale model could be cached.
      if (version % 2) await requestAll(uri, { line: 1, character: 2 }, failures);
    }
    await requestAll(uri, { line: 0, character: 0 }, failures);
    // The server must now analyse the text it holds, whatever the versions were.
    client.adopt(uri, mirror.getText(), 9);
    failures.push(...(await client.check(rng, [uri], { positions: 3, symbols: true, folding: true, codeActions: true })));
    // And a full replacement with a higher version brings everything back in step.
    const final = `${sample}\n---\nkind: Service\napiVersion: v1\nmetadata: {name: after}\nspec: {type: ExternalName, externalName: api.example.com}\n`;
    client.ignored.add(uri);
    await c.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 100 }, contentChanges: [{ text: final }] });
    const published = await client.waitForPublication(uri, 100, REQUEST_TIMEOUT_MS);
    assert.ok(published, 'diagnostics published for version 100');
    const g = lineLengths(final);
    for (const d of published.diagnostics) assert.equal(rangeProblem(d.range, g), undefined, `${String(d.code)} ${fmtRange(d.range)} inside the document`);
    client.adopt(uri, final, 100);
    failures.push(...(await client.check(rng, [uri], { positions: 3, symbols: true, folding: true, codeActions: true })));
    await client.close(uri);
    await assertClean(failures);
  });

  it('ignores changes to a document that was never opened', async () => {
    const uri = 'file:///fuzz/misuse/not-open.yaml';
    const c = client.lsp.connection;
    await c.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'kind: Service\n' }],
    });
    await c.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: sample }] });
    const failures: Failure[] = [];
    await requestAll(uri, { line: 0, character: 1 }, failures);
    // Nothing to publish for it (a non-empty publication for an untracked document fails the check).
    await assertClean(failures);
  });

  it('takes didClose twice, and didClose of a document never opened', async () => {
    const uri = 'file:///fuzz/misuse/close-twice.yaml';
    await client.open(uri, sample);
    await client.close(uri);
    await client.lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await client.lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: 'file:///fuzz/misuse/never.yaml' } });
    const failures: Failure[] = [];
    await requestAll(uri, { line: 0, character: 0 }, failures);
    // Reopened after the double close, it is analysed afresh.
    await client.open(uri, sample);
    failures.push(...(await client.check(rng, [uri])));
    await client.close(uri);
    await assertClean(failures);
  });

  it('takes didOpen twice without a close, analysing the second text', async () => {
    const uri = 'file:///fuzz/misuse/open-twice.yaml';
    client.ignored.add(uri);
    const long = `${sample}\n---\n${sample}`;
    await client.lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: long } });
    const failures: Failure[] = [];
    await requestAll(uri, { line: 40, character: 4 }, failures);
    const short = 'kind: Service\napiVersion: v1\nmetadata: {name: x}\n';
    await client.lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: short } });
    await requestAll(uri, { line: 0, character: 0 }, failures);
    client.adopt(uri, short, 1);
    failures.push(...(await client.check(rng, [uri], { positions: 3, symbols: true, folding: true, codeActions: true })));
    await client.close(uri);
    await assertClean(failures);
  });
});
