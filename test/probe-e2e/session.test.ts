import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alwaysAsks, runProbeSession, type ProbeUi } from '../../client/src/probe/probeSession';
import { Project } from '../../server/src/analysis/engine/project';
import { runKubectl } from '../../server/src/probe';
import { probeFileModel } from '../../server/src/probe/fromProject';
import { kubectlEnv } from '../harness/fakeCluster';
import { ensureKubectl } from '../harness/kubectl';
import { startSeedCluster, type SeedCluster } from '../harness/seedCluster';
import { HTTPBIN_SERVICE_ONE_LINE_PORT, httpbinDestinationRule } from '../support/seedManifests';

const FILE = 'file:///ws/httpbin.yaml';
// The rule's mode is on line 18 (0-based), where the probe diagnostic must land.
const TEXT = `${HTTPBIN_SERVICE_ONE_LINE_PORT}---\n${httpbinDestinationRule('ISTIO_MUTUAL')}`;

describe("the editor's probe session (client code without the VS Code API) against the fake cluster", () => {
  let seed: SeedCluster;
  let kubectl: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    kubectl = await ensureKubectl();
    seed = await startSeedCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-session-'));
    env = kubectlEnv(seed.cluster, await seed.cluster.writeKubeconfig(dir, { context: 'staging-prod-eu', namespace: 'default' }));
  });

  after(async () => {
    await seed.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function ui(answer: boolean): ProbeUi & { asked: string[]; lines: string[] } {
    const asked: string[] = [];
    const lines: string[] = [];
    return {
      asked,
      lines,
      confirm: async (context) => {
        asked.push(context);
        return answer;
      },
      progress: () => undefined,
      log: (text) => lines.push(text),
    };
  }

  it('asks before probing, and asks every time for a context matching *prod*', () => {
    assert.ok(alwaysAsks('staging-prod-eu', ['*prod*']));
    assert.ok(!alwaysAsks('kind-dev', ['*prod*']));
  });

  it('stops when the user declines: nothing is run in the cluster', async () => {
    const project = new Project();
    project.setFile(FILE, TEXT);
    const file = probeFileModel(project.index(), project.options, 'my-httpbin');
    assert.ok(file);
    const before = seed.cluster.execLog.length;
    const declined = ui(false);
    const outcome = await runProbeSession(
      { target: { name: 'my-httpbin', file }, connection: { kubectlPath: kubectl }, settings: {}, alwaysAsk: ['*prod*'], confirmed: new Set(), env },
      declined,
      (request) => runKubectl({ ...request, env }),
    );
    assert.equal(outcome.cancelledByUser, true);
    assert.deepEqual(declined.asked, ['staging-prod-eu']);
    assert.equal(seed.cluster.execLog.length, before);
  });

  it('turns a failure blamed on the DestinationRule into a probe diagnostic on its mode line, and fills the summary', async () => {
    const project = new Project({ clusterDomain: 'cluster.local', istioVersion: '1.20', outboundTrafficPolicy: 'ALLOW_ANY', addressAutoAllocation: false });
    project.setFile(FILE, TEXT);
    const file = probeFileModel(project.index(), project.options, 'my-httpbin');
    assert.ok(file);
    const dr = seed.cluster.get('DestinationRule', 'my-httpbin', 'default');
    assert.ok(dr);
    seed.cluster.upsert({ ...dr, spec: { host: 'my-httpbin.default.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } });
    seed.cluster.setSidecarFailure(true);
    try {
      const confirmed = new Set<string>();
      const accepted = ui(true);
      const outcome = await runProbeSession(
        { target: { name: 'my-httpbin', file }, connection: { kubectlPath: kubectl }, settings: { istioVersion: '1.20' }, alwaysAsk: [], confirmed, env },
        accepted,
        (request) => runKubectl({ ...request, env }),
      );
      assert.equal(outcome.report?.exitCode, 1);
      assert.deepEqual(
        outcome.diagnostics.map((d) => [d.uri, d.range.start.line, d.severity]),
        [[FILE, 18, 'error']],
      );
      assert.match(outcome.diagnostics[0]?.message ?? '', /^Probe from default\/curl-/);
      assert.deepEqual(outcome.summary.map((r) => [r.sidecar, r.status]).sort(), [
        ['no', '200'],
        ['yes', '503'],
      ]);
      assert.ok(
        accepted.lines.some((l) => l.startsWith('$ ') && l.includes('exec')),
        'the commands run are logged',
      );
      assert.ok(confirmed.has('staging-prod-eu'));
    } finally {
      seed.cluster.setSidecarFailure(false);
      seed.cluster.upsert(dr);
    }
  });
});
