/**
 * EGR416 and the mesh's address auto-allocation through the CLI: `--address-auto-allocation` and the project file's
 * `addressAutoAllocation` silence it; an entry's `status.addresses` (what Istio's allocation controller writes) does
 * too, without either.
 *
 * Run: npm run build && node --import tsx --test test/cli/addressAllocation.test.ts
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIST, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const CLI = path.join(DIST, 'cli.js');
const cli = (args: string[], cwd: string = PROJECT_ROOT) => run(process.execPath, [CLI, ...args], { cwd });

const TCP_PORTS = 'test/fixtures/EGR416/tcp-ports.yaml';
const STATUS = 'test/fixtures/EGR416/status-addresses.yaml';

interface JsonFinding {
  readonly code: string;
  readonly range: { readonly start: { readonly line: number } };
  readonly document?: { readonly name: string };
}

async function egr416(args: string[], cwd?: string): Promise<string[]> {
  const result = await cli(['check', '--format', 'json', ...args], cwd);
  assert.notEqual(result.code, 2, result.stderr);
  return (JSON.parse(result.stdout) as JsonFinding[]).filter((f) => f.code === 'EGR416').map((f) => `${f.document?.name ?? '?'}:${f.range.start.line + 1}`);
}

describe('istio-egress check and address auto-allocation (EGR416)', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-address-allocation-'));
    copyFileSync(path.join(PROJECT_ROOT, TCP_PORTS), path.join(dir, 'entries.yaml'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports TCP ports of entries without addresses when nothing says the mesh allocates them', async () => {
    assert.deepEqual(await egr416([TCP_PORTS]), ['orders-db:10', 'cache:23']);
  });

  it('reports nothing with --address-auto-allocation', async () => {
    assert.deepEqual(await egr416(['--address-auto-allocation', TCP_PORTS]), []);
    const text = await cli(['check', '--address-auto-allocation', '--fail-on', 'hint', TCP_PORTS]);
    assert.equal(text.code, 0, text.stdout);
  });

  it('skips an entry whose status.addresses holds allocated addresses, even without the flag', async () => {
    assert.deepEqual(await egr416([STATUS]), ['cache:30']);
    assert.deepEqual(await egr416(['--address-auto-allocation', STATUS]), []);
  });

  it('reads addressAutoAllocation from .istio-egress.yaml, and reports a value that is not a boolean', async () => {
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'addressAutoAllocation: true\n');
    assert.deepEqual(await egr416(['entries.yaml'], dir), []);
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'addressAutoAllocation: false\n');
    assert.deepEqual(await egr416(['entries.yaml'], dir), ['orders-db:10', 'cache:23']);
    assert.deepEqual(await egr416(['--address-auto-allocation', 'entries.yaml'], dir), [], 'the flag wins over the file');
    writeFileSync(path.join(dir, '.istio-egress.yaml'), 'addressAutoAllocation: "yes"\n');
    const warned = await cli(['check', 'entries.yaml'], dir);
    assert.match(warned.stderr, /\.istio-egress\.yaml: addressAutoAllocation must be true or false/);
    assert.match(warned.stdout, /hint EGR416/);
  });

  it('lists the flag in --help', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /--address-auto-allocation/);
  });
});
