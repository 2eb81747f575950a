import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { generateFile } from '../../bench/generate';
import { Analysis } from '../../server/src/analysis/engine/analysis';
import { LspTestClient } from '../support/lspClient';

describe('a large file opened inside its workspace folder, while the folder is being indexed', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-inside-'));
  const client = new LspTestClient();
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the findings of a full analysis of the folder, the open document taking over from the indexer', async () => {
    const files = [
      { name: 'neighbour.yaml', text: generateFile(2000, 3).text },
      { name: 'big.yaml', text: generateFile(3000, 4).text },
    ];
    for (const f of files) writeFileSync(path.join(dir, f.name), f.text);
    const uri = pathToFileURL(path.join(dir, 'big.yaml')).toString();
    const reference = new Analysis();
    for (const f of files) reference.setFile(pathToFileURL(path.join(dir, f.name)).toString(), f.text);
    const expected = reference
      .findings(uri)
      .map((f) => `${f.range.start.line} ${f.code}`)
      .sort();
    await client.initialize([pathToFileURL(dir).toString()]);
    // Opened at once: the indexer is reading the folder, maybe this very file.
    await client.open(uri, files[1]?.text ?? '');
    const final = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === expected.length, 60_000);
    assert.deepEqual(final.diagnostics.map((d) => `${d.range.start.line} ${String(d.code)}`).sort(), expected);
  });
});
