/**
 * EGR416 through the language server: the `istioEgress.addressAutoAllocation` setting (pulled again when the client
 * says the configuration changed) silences it, and so does an entry's `status.addresses`.
 *
 * Run: npm run build && node --import tsx --test test/lsp/addressAllocation.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, type Publication } from '../support/lspClient';

const HINT = 4;

/** A database entry on plain TCP, without addresses. */
const ENTRY = [
  'apiVersion: networking.istio.io/v1',
  'kind: ServiceEntry',
  'metadata:',
  '  name: orders-db',
  '  namespace: shop',
  'spec:',
  '  hosts: [orders-db.corp.example]',
  '  ports:',
  '  - number: 5432',
  '    name: tcp-postgres',
  '    protocol: TCP',
  '  resolution: DNS',
  '',
].join('\n');

/** The same entry as exported from a cluster whose istiod allocated it an address. */
const ALLOCATED = [ENTRY.replace('orders-db\n', 'orders-db-live\n').trimEnd(), 'status:', '  addresses:', '  - value: 240.240.0.1', '    host: orders-db.corp.example', ''].join('\n');

const has416 = (p: Publication): boolean => p.diagnostics.some((d) => d.code === 'EGR416');

describe('address auto-allocation through the server (EGR416)', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-address-allocation-'));
    client = new LspTestClient();
    await client.initialize([pathToFileURL(dir).toString()]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hints on the TCP port of an entry without addresses by default', async () => {
    const uri = pathToFileURL(path.join(dir, 'entry.yaml')).toString();
    await client.open(uri, ENTRY);
    const published = await client.waitForDiagnostics(uri, has416);
    const finding = published.diagnostics.find((d) => d.code === 'EGR416');
    assert.equal(finding?.range.start.line, 10);
    assert.equal(finding?.severity, HINT);
  });

  it('says nothing about an entry whose status holds allocated addresses', async () => {
    const uri = pathToFileURL(path.join(dir, 'allocated.yaml')).toString();
    await client.open(uri, ALLOCATED);
    const published = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      [],
    );
  });

  it('takes the hint back when istioEgress.addressAutoAllocation is turned on, and gives it again when it is off', async () => {
    const uri = pathToFileURL(path.join(dir, 'entry.yaml')).toString();
    let next = client.nextDiagnostics(uri, (p) => !has416(p));
    client.settings = { addressAutoAllocation: true };
    await client.changeConfiguration({});
    assert.deepEqual(
      (await next).diagnostics.map((d) => d.code),
      [],
    );

    next = client.nextDiagnostics(uri, has416);
    client.settings = { addressAutoAllocation: false };
    await client.changeConfiguration({});
    assert.equal((await next).diagnostics.find((d) => d.code === 'EGR416')?.range.start.line, 10);
  });
});
