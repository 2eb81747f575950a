import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hoverText, LspTestClient } from '../support/lspClient';

/** A DestinationRule of `ports` port-level settings: about 100 KB for 1 000, well above what is parsed per request. */
function bigRule(ports: number): string {
  const out = [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    '  name: big',
    '  namespace: shop',
    'spec:',
    '  host: api.partner.example',
    '  trafficPolicy:',
    '    portLevelSettings:',
  ];
  for (let i = 0; i < ports; i++) out.push('    - port:', `        number: ${8000 + i}`, '      tls:', `        mode: ${i % 2 ? 'SIMPLE' : 'DISABLE'}`, `        sni: s${i}.partner.example`);
  return `${out.join('\n')}\n`;
}

describe('completion and hover in a large document, sent right behind the keystroke (dist/server.js)', () => {
  let client: LspTestClient;
  const uri = 'file:///quick/big-rule.yaml';
  const text = bigRule(1000);
  const lines = text.split('\n');
  // The `mode:` of the 600th entry, retyped: the key stays, its value is erased and typed again.
  const line = lines.indexOf('        mode: DISABLE', lines.indexOf('        number: 8600'));

  before(async () => {
    client = new LspTestClient();
    await client.initialize([]);
    await client.open(uri, text);
    await client.waitForDiagnostics(uri);
  });

  after(async () => {
    await client.stop();
  });

  it('offers the TLS modes, ours and the schema, for a value typed into entry 600 before the edit is parsed', async () => {
    await client.edit(uri, { start: { line, character: 14 }, end: { line, character: 21 } }, 'S');
    // No wait for diagnostics: the request follows the keystroke, as an editor sends it.
    const items = await client.completion(uri, { line, character: 15 });
    const labels = [...new Set(items.map((i) => i.label))];
    for (const mode of ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']) assert.ok(labels.includes(mode), labels.join(', '));
    const edit = items.find((i) => i.label === 'SIMPLE')?.textEdit;
    assert.ok(edit && 'range' in edit);
    assert.deepEqual(edit.range.start, { line, character: 14 }, 'the replaced range is on the line typed, in the file');
  });

  it('hovers on a key of a later entry, with the schema description, before the next edit is parsed', async () => {
    const sni = lines.indexOf('        sni: s900.partner.example');
    await client.edit(uri, { start: { line, character: 15 }, end: { line, character: 15 } }, 'IMPLE');
    const hover = await client.hover(uri, { line: sni, character: 9 });
    // The schema's description: yaml-language-server refuses a document of over 4 000 entries as a whole, so this
    // comes from the skeleton it was given instead.
    assert.match(hoverText(hover), /Server name sent in the TLS handshake/);
  });
});
