import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DIST, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const CLI = path.join(DIST, 'cli.js');

describe('istio-egress check on egress gateway wiring (dist/cli.js as a process)', () => {
  it('reports the Gateway selector, ports and TLS that do not fit (EGR418, EGR419, EGR420) and exits 0 on warnings', async () => {
    const result = await run(
      process.execPath,
      [CLI, 'check', 'test/fixtures/EGR418/own-gateway-chart', 'test/fixtures/EGR419/wrong-ports.yaml', 'test/fixtures/EGR420/mutual-to-plain-server.yaml'],
      { cwd: PROJECT_ROOT },
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'Checked 4 files, 9 documents: 4 warnings.');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'test/fixtures/EGR418/own-gateway-chart/gateway.yaml:9:3 warning EGR418',
        'test/fixtures/EGR419/wrong-ports.yaml:40:19 warning EGR419',
        'test/fixtures/EGR419/wrong-ports.yaml:43:13 warning EGR419',
        'test/fixtures/EGR420/mutual-to-plain-server.yaml:36:17 warning EGR420',
      ],
    );
    assert.match(lines[0] ?? '', /carries istio=istio-partner-egress: Deployment 'partner-egress' \(app=partner-egress, istio=partner-egress\) does not/);
  });

  it('reports double TLS on an entry port declared HTTPS only where the applications call it (EGR403)', async () => {
    const files = ['entry-https-port.yaml', 'entry-gateway-origination.yaml', 'entry-forward-proxy.yaml'].map((f) => `test/fixtures/EGR403/${f}`);
    const result = await run(process.execPath, [CLI, 'check', '--format', 'json', ...files], { cwd: PROJECT_ROOT });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { file: string; code: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      report.map((f) => `${f.file}:${f.range.start.line + 1} ${f.code}`),
      ['test/fixtures/EGR403/entry-https-port.yaml:24 EGR403'],
    );
  });

  it('reports a VirtualService whose hosts no server of its Gateway takes (EGR426), read per namespace', async () => {
    const result = await run(process.execPath, [CLI, 'check', '--format', 'json', 'test/fixtures/EGR426'], { cwd: PROJECT_ROOT });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { file: string; code: string; severity: string; message: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      report.map((f) => `${f.file}:${f.range.start.line + 1} ${f.code} ${f.severity}`),
      ['test/fixtures/EGR426/host-not-served.yaml:23 EGR426 warning', 'test/fixtures/EGR426/other-namespace.yaml:22 EGR426 warning'],
    );
    assert.match(report[1]?.message ?? '', /takes none of this VirtualService's hosts \(pay\.partner\.example\) for namespace 'shop'/);
  });

  it('exits 1 on routes that name no destination, which Istio refuses (EGR427)', async () => {
    const result = await run(process.execPath, [CLI, 'check', 'test/fixtures/EGR427'], { cwd: PROJECT_ROOT });
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'Checked 2 files, 3 documents: 5 errors.');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'test/fixtures/EGR427/missing.yaml:12:7 error EGR427',
        'test/fixtures/EGR427/missing.yaml:14:7 error EGR427',
        'test/fixtures/EGR427/missing.yaml:15:5 error EGR427',
        'test/fixtures/EGR427/missing.yaml:25:5 error EGR427',
        'test/fixtures/EGR427/missing.yaml:28:5 error EGR427',
      ],
    );
  });
});
