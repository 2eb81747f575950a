/**
 * `check --kubectl KUBECTL`: overlay folders given on the command line are built with `kubectl kustomize` (the
 * pinned kubectl of the test harness, never the machine's; no kube config is read) and their findings put back on the
 * files and patches that define what the build holds.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureKubectl } from '../harness/kubectl';
import { toolEnv } from '../support/toolEnv';
import { DIST } from '../support/paths';
import { run } from '../support/run';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - name: tls\n    port: 443\n';
const ENDPOINTS = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses:\n  - ip: 91.198.174.192\n  ports:\n  - name: tls\n    port: 443\n';
const RULE = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  host: my-wikipedia\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n';
const PATCH = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';

interface JsonFinding {
  file: string;
  range: { start: { line: number } };
  severity: string;
  code: string;
  message: string;
}

describe('istio-egress check: overlay folders checked as they build', () => {
  let kubectl: string;
  let home: string;
  const cli = (args: string[], cwd: string) => run(process.execPath, [path.join(DIST, 'cli.js'), ...args], { cwd, env: toolEnv(home) });

  /** A base with a selector-less Service, its Endpoints and a DISABLE rule, and a prod overlay over it. */
  function tree(overlay: string, extra: Record<string, string> = {}): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-kust-'));
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources:\n- service.yaml\n- endpoints.yaml\n- rule.yaml\n',
      'base/service.yaml': SERVICE,
      'base/endpoints.yaml': ENDPOINTS,
      'base/rule.yaml': RULE,
      'overlays/prod/kustomization.yaml': overlay,
      'overlays/prod/tls-patch.yaml': PATCH,
      ...extra,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  before(async () => {
    kubectl = await ensureKubectl();
    home = mkdtempSync(path.join(tmpdir(), 'istio-egress-kust-home-'));
  });

  it('puts a mistake a patch makes on the patch line, which the files alone leave unjudged', async () => {
    const dir = tree('namespace: prod\nresources:\n- ../../base\npatches:\n- path: tls-patch.yaml\n');
    const plain = await cli(['check', '--format', 'json', '--no-render', 'overlays/prod', 'base'], dir);
    assert.equal(plain.code, 0, plain.stdout);
    assert.ok(!(JSON.parse(plain.stdout) as JsonFinding[]).some((f) => f.code === 'EGR402'), 'without the build, the patched rule is not judged');

    const built = await cli(['check', '--format', 'json', '--kubectl', kubectl, 'overlays/prod'], dir);
    assert.equal(built.code, 1, built.stderr);
    const findings = JSON.parse(built.stdout) as JsonFinding[];
    const error = findings.find((f) => f.code === 'EGR402');
    assert.equal(error?.file, path.join('overlays', 'prod', 'tls-patch.yaml'), JSON.stringify(findings, null, 2));
    assert.equal(error?.range.start.line, 7, 'the `mode: ISTIO_MUTUAL` line of the patch');
    assert.match(String(error?.message), /in what kustomize builds from prod/);
    assert.ok(!findings.some((f) => f.code === 'EGR006'), 'the build is checked: no note that it is not');
  });

  it('follows namePrefix: a rule whose host the prefix does not rename names no Service in the build', async () => {
    const dir = tree('namespace: prod\nnamePrefix: eu-\nresources:\n- ../../base\n');
    const result = await cli(['check', '--format', 'json', '--kubectl', kubectl, 'overlays/prod'], dir);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const host = findings.find((f) => f.code === 'EGR304');
    assert.equal(host?.file, path.join('base', 'rule.yaml'), JSON.stringify(findings, null, 2));
    assert.equal(host?.range.start.line, 5, 'the host line of the base rule');
    assert.match(String(host?.message), /No Service 'my-wikipedia' in namespace 'prod'/);
  });

  it('reports a build kubectl refuses on the kustomization entry at fault (EGR008)', async () => {
    const dir = tree('namespace: prod\nresources:\n- ../../base\n', { 'base/kustomization.yaml': 'resources:\n- service.yaml\n- missing.yaml\n' });
    const result = await cli(['check', '--format', 'json', '--kubectl', kubectl, 'overlays/prod'], dir);
    assert.equal(result.code, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const error = findings.find((f) => f.code === 'EGR008');
    assert.equal(error?.file, path.join('base', 'kustomization.yaml'), JSON.stringify(findings, null, 2));
    assert.equal(error?.range.start.line, 2);
    assert.match(String(error?.message), /'missing\.yaml' does not exist/);
  });

  it('fetches no remote base: the overlay goes unbuilt with a note on the entry, which is the usual state offline', async () => {
    const dir = tree('resources:\n- ../../base\n- https://github.com/example/egress//base?ref=v1\n');
    const result = await cli(['check', '--format', 'json', '--kubectl', kubectl, 'overlays/prod'], dir);
    assert.notEqual(result.code, 2, result.stderr);
    const note = (JSON.parse(result.stdout) as JsonFinding[]).find((f) => f.code === 'EGR008');
    assert.equal(note?.file, path.join('overlays', 'prod', 'kustomization.yaml'));
    assert.equal(note?.severity, 'info');
    assert.equal(note?.range.start.line, 2, 'the remote entry');
    assert.match(String(note?.message), /remote base 'https:\/\/github\.com\/example\/egress\/\/base\?ref=v1', which is not fetched here/);
  });
});
