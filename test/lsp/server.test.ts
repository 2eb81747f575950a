import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, DocumentSymbol } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverText, LspTestClient, messageText } from '../support/lspClient';
import { CORPUS_DOCS, CORPUS_SKIP_REASON, HAS_CORPUS, PROJECT_ROOT } from '../support/paths';
import { HTTPBIN_DESTINATION_RULE, HTTPBIN_SERVICE, WIKIPEDIA_SERVICE, wikipediaDestinationRule, wikipediaEndpoints } from '../support/seedManifests';

/** The seed's second scenario with one address and the ISTIO_MUTUAL mistake (line numbers matter: the mode is on 0-based line 29). */
const SELECTORLESS_WITH_ISTIO_MUTUAL = `${WIKIPEDIA_SERVICE}---\n${wikipediaEndpoints({ addresses: ['91.198.174.192'] })}---\n${wikipediaDestinationRule({ tlsMode: 'ISTIO_MUTUAL' })}`;

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);
}

describe('language server over stdio (dist/server.js)', () => {
  let client: LspTestClient;

  before(async () => {
    client = new LspTestClient();
    const init = await client.initialize();
    assert.equal(init.serverInfo?.name, 'istio-egress-language-server');
    assert.ok(init.capabilities.completionProvider, 'completion capability');
    assert.equal(init.capabilities.hoverProvider, true);
  });

  after(async () => {
    await client.stop();
    assert.deepEqual(client.stderr.join(''), '', 'nothing written to stderr');
  });

  it('publishes ISTIO_MUTUAL toward a selector-less Service as EGR402 at the mode value, with related info and a doc link', async () => {
    const uri = 'file:///workspace/wikipedia.yaml';
    await client.open(uri, SELECTORLESS_WITH_ISTIO_MUTUAL);
    const { diagnostics } = await client.waitForDiagnostics(uri);
    assert.deepEqual(codes(diagnostics), ['29:12 EGR402']);
    const [d] = diagnostics;
    assert.ok(d);
    assert.deepEqual(d.range, { start: { line: 29, character: 12 }, end: { line: 29, character: 24 } });
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'istio-egress');
    assert.match(messageText(d), /ISTIO_MUTUAL applies to the Service 'my-wikipedia'/);
    assert.match(d.codeDescription?.href ?? '', /^file:\/\/.*\/docs\/rules\/EGR402\.md$/);
    assert.deepEqual(d.relatedInformation?.[0]?.location, { uri, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 20 } } });
  });

  it('re-validates after an incremental edit: fixing the mode clears the finding', async () => {
    const uri = 'file:///workspace/wikipedia.yaml';
    const version = await client.edit(uri, { start: { line: 29, character: 12 }, end: { line: 29, character: 24 } }, 'DISABLE');
    // Only the hint that DISABLE is redundant for hand-written Endpoints remains (EGR407).
    assert.deepEqual(codes(await client.diagnosticsOfVersion(uri, version)), ['29:12 EGR407']);
    const broken = await client.edit(uri, { start: { line: 29, character: 12 }, end: { line: 29, character: 19 } }, 'DISABLED');
    const diagnostics = await client.diagnosticsOfVersion(uri, broken);
    assert.deepEqual(codes(diagnostics), ['29:12 EGR002'], 'the schema rejects a mode outside the enum');
    assert.match(diagnostics[0] ? messageText(diagnostics[0]) : '', /DISABLE.*SIMPLE.*MUTUAL.*ISTIO_MUTUAL/);
  });

  it('finds a DestinationRule in one file whose ExternalName Service is in another (EGR401)', async () => {
    const serviceUri = 'file:///workspace/svc.yaml';
    const ruleUri = 'file:///workspace/dr.yaml';
    await client.open(ruleUri, HTTPBIN_DESTINATION_RULE.replace('apiVersion: networking.istio.io/v1\n', 'apiVersion: networking.istio.io/v1alpha3\n'));
    await client.open(serviceUri, HTTPBIN_SERVICE);
    const published = await client.waitForDiagnostics(ruleUri, (p) => p.diagnostics.some((d) => d.code === 'EGR401'));
    const finding = published.diagnostics.find((d) => d.code === 'EGR401');
    assert.deepEqual(finding?.range, { start: { line: 5, character: 8 }, end: { line: 5, character: 44 } });
    assert.equal(finding?.severity, 2);
    assert.equal(finding?.relatedInformation?.[0]?.location.uri, serviceUri);
    // Closing the Service's file removes the cross-file finding.
    await client.close(serviceUri);
    const after = await client.waitForDiagnostics(ruleUri, (p) => !p.diagnostics.some((d) => d.code === 'EGR401'));
    assert.ok(
      after.diagnostics.some((d) => d.code === 'EGR304'),
      'the host is now unknown in the workspace (a hint)',
    );
  });

  it('quick-fixes a DestinationRule on an ExternalName Service: apply, re-analyse, nothing left', async () => {
    const uri = 'file:///workspace/seed-externalname.yaml';
    const text = readFileSync(path.join(PROJECT_ROOT, 'examples', '1-externalname-seed.yaml'), 'utf8');
    await client.open(uri, text);
    const { diagnostics } = await client.waitForDiagnostics(uri);
    const dead = diagnostics.find((d) => d.code === 'EGR401');
    assert.ok(dead, codes(diagnostics).join(', '));
    const actions = ((await client.codeActions(uri, dead.range, [dead])) ?? []).filter((a): a is CodeAction => 'edit' in a);
    // The rule's own fix first, then the suppression comments every finding gets.
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Register 'httpbin.org' with a ServiceEntry and move this DestinationRule to it", 'Suppress EGR401 on this line', 'Suppress EGR401 in this file'],
    );
    const edits = actions[0]?.edit?.changes?.[uri] ?? [];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
    assert.match(fixed, /host: httpbin\.org\n/);
    assert.match(fixed, /kind: ServiceEntry\n[\s\S]*- httpbin\.org\n  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - number: 80\n    name: http\n    protocol: HTTP\n$/);
    const version = await client.replaceAll(uri, fixed);
    assert.deepEqual(codes(await client.diagnosticsOfVersion(uri, version)), [], 'the finding is gone and none appeared');
    await client.close(uri);
  });

  it('keeps analysing the neighbours of a broken document', async () => {
    const uri = 'file:///workspace/broken.yaml';
    // Same text under another name, so that this file's resources do not meet wikipedia.yaml's.
    await client.open(uri, `a: [\n---\n${SELECTORLESS_WITH_ISTIO_MUTUAL.replaceAll('my-wikipedia', 'my-wikipedix')}`);
    const { diagnostics } = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      diagnostics.map((d) => String(d.code)),
      ['EGR001', 'EGR402'],
    );
    assert.equal(diagnostics[1]?.range.start.line, 31);
  });

  it('completes tls.mode values from the bundled schema, per document of a multi-document file', async () => {
    const uri = 'file:///workspace/complete.yaml';
    const text =
      'kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n  host: d\n  trafficPolicy:\n    tls:\n      mode: \n';
    await client.open(uri, text);
    const items = await client.completion(uri, { line: 13, character: 12 });
    assert.deepEqual(items.map((i) => i.label).sort(), ['DISABLE', 'ISTIO_MUTUAL', 'MUTUAL', 'SIMPLE']);
    const keys = await client.completion(uri, { line: 12, character: 4 });
    assert.ok(
      keys.some((i) => i.label === 'tls'),
      `keys offered: ${keys.map((i) => i.label).join(', ')}`,
    );
  });

  it('hovers with our own description, on the right document', async () => {
    const uri = 'file:///workspace/wikipedia.yaml';
    const hover = await client.hover(uri, { line: 26, character: 3 });
    assert.match(hoverText(hover), /host/i);
    assert.deepEqual(hover?.range?.start.line, 26, 'hover range is placed in the file, not the document');
  });

  it('outlines one symbol per resource and folds each document', async () => {
    const uri = 'file:///workspace/wikipedia.yaml';
    const symbols = (await client.symbols(uri)) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Service my-wikipedia', 'Endpoints my-wikipedia', 'DestinationRule my-wikipedia'],
    );
    assert.equal(symbols[2]?.range.start.line, 20);
    assert.ok(symbols[2]?.children?.some((c) => c.name === 'spec'));
    const folds = (await client.folding(uri)) ?? [];
    assert.ok(
      folds.some((f) => f.startLine === 9 && f.endLine === 19),
      'the Endpoints document folds as a whole, from its --- line',
    );
  });

  it('answers requests for documents it does not know with empty results', async () => {
    const uri = 'file:///workspace/never-opened.yaml';
    assert.deepEqual(await client.completion(uri, { line: 0, character: 0 }), []);
    assert.equal(await client.hover(uri, { line: 3, character: 3 }), null);
    assert.ok(client.alive);
  });

  it('raises no error on the Istio documentation corpus', { skip: HAS_CORPUS ? false : CORPUS_SKIP_REASON }, async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(CORPUS_DOCS).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length > 10);
    const uris = files.map((f) => pathToFileURL(path.join(CORPUS_DOCS, f)).toString());
    for (const [i, file] of files.entries()) await client.open(uris[i] ?? '', readFileSync(path.join(CORPUS_DOCS, file), 'utf8'));
    for (const uri of uris) {
      const { diagnostics } = await client.waitForDiagnostics(uri);
      const errors = diagnostics.filter((d) => d.severity === 1);
      assert.deepEqual(errors, [], `errors in ${uri}`);
    }
  });
});
