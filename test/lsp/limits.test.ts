import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';

describe('size limit', () => {
  let client: LspTestClient;

  before(async () => {
    client = new LspTestClient();
    client.settings = { maxFileSizeMB: 0.001 };
    await client.initialize();
  });

  after(() => client.stop());

  it('gives a file above istioEgress.maxFileSizeMB one informative finding and no egress checks', async () => {
    const uri = 'file:///big.yaml';
    const doc = 'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: e\nsubsets:\n- addresses: [{ip: 127.0.0.1}]\n';
    await client.open(uri, `${doc}---\n`.repeat(20));
    // The limit arrives with the pulled settings, which may come after the first validation.
    const { diagnostics } = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'EGR004'));
    assert.deepEqual(
      diagnostics.map((d) => `${String(d.code)} ${d.severity}`),
      ['EGR004 3'],
    );
    assert.match(String(diagnostics[0]?.message), /above the 0\.0 MB limit \(istioEgress\.maxFileSizeMB\)/);
    // Below the limit the same document is analysed.
    const small = 'file:///small.yaml';
    await client.open(small, doc);
    const analysed = await client.waitForDiagnostics(small);
    assert.ok(analysed.diagnostics.some((d) => d.code === 'EGR110'));
  });
});
