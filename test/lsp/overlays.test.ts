/**
 * The language server builds the overlays `.istio-egress.yaml` names with the pinned kubectl of the test harness
 * (`istioEgress.kubectlPath`; `kubectl kustomize` reads no kube config) and puts the findings on the files and
 * patches that define what the build holds; a save builds again; an untrusted workspace runs no kubectl.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ensureKubectl } from '../harness/kubectl';
import { toolEnv } from '../support/toolEnv';
import { LspTestClient } from '../support/lspClient';

const PATCH = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n';
const FILES: Record<string, string> = {
  '.istio-egress.yaml': 'overlays: [overlays/prod]\n',
  'base/kustomization.yaml': 'resources:\n- service.yaml\n- rule.yaml\n',
  'base/service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - name: tls\n    port: 443\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses:\n  - ip: 91.198.174.192\n  ports:\n  - name: tls\n    port: 443\n',
  'base/rule.yaml':
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  host: my-wikipedia\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n',
  'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: tls-patch.yaml\n',
  'overlays/prod/tls-patch.yaml': PATCH,
};

describe('the language server builds the overlays the project file names', () => {
  let kubectl: string;
  let home: string;
  const servers: LspTestClient[] = [];

  function workspace(): { dir: string; uri: (name: string) => string; write: (name: string, text: string) => void } {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-lsp-kust-'));
    const write = (name: string, text: string): void => {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    };
    for (const [name, text] of Object.entries(FILES)) write(name, text);
    return { dir, uri: (name) => pathToFileURL(path.join(dir, name)).toString(), write };
  }

  async function start(dir: string, trusted?: boolean): Promise<LspTestClient> {
    const client = new LspTestClient({ env: toolEnv(home) });
    servers.push(client);
    const settings = { kubectlPath: kubectl, helm: { render: false } };
    client.settings = settings;
    await client.initialize([pathToFileURL(dir).toString()], { settings, ...(trusted === undefined ? {} : { workspaceTrusted: trusted }) });
    return client;
  }

  before(async () => {
    kubectl = await ensureKubectl();
    home = mkdtempSync(path.join(tmpdir(), 'istio-egress-kust-home-'));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(home, { recursive: true, force: true });
  });

  it('shows the mistake a patch makes on the patch line, and takes it back once the patch is fixed and saved', async () => {
    const ws = workspace();
    const client = await start(ws.dir);
    const patch = ws.uri('overlays/prod/tls-patch.yaml');
    await client.open(patch, PATCH);
    const built = await client.waitForDiagnostics(patch, (p) => p.diagnostics.some((d) => d.code === 'EGR402'), 30_000);
    assert.deepEqual(
      built.diagnostics.map((d) => `${d.range.start.line} ${String(d.code)}`),
      ['7 EGR402'],
    );
    assert.match(String(built.diagnostics[0]?.message), /in what kustomize builds from prod/);
    assert.ok(
      client.logs.some((l) => /built overlay .*prod: kubectl kustomize .*: 3 documents/.test(l)),
      client.logs.join('\n'),
    );

    const fixed = PATCH.replace('ISTIO_MUTUAL', 'DISABLE');
    ws.write('overlays/prod/tls-patch.yaml', fixed);
    await client.replaceAll(patch, fixed);
    await client.save(patch);
    const clean = await client.nextDiagnostics(patch, (p) => !p.diagnostics.some((d) => d.code === 'EGR402'), 30_000);
    assert.deepEqual(
      clean.diagnostics.map((d) => `${d.range.start.line} ${String(d.code)}`),
      ['7 EGR407'],
      'DISABLE is fine, and only a guard today (a hint)',
    );
  });

  it('runs no kubectl in an untrusted workspace, and says so on the kustomization', async () => {
    const ws = workspace();
    const client = await start(ws.dir, false);
    const kustomization = ws.uri('overlays/prod/kustomization.yaml');
    await client.open(kustomization, FILES['overlays/prod/kustomization.yaml'] ?? '');
    const noted = await client.waitForDiagnostics(kustomization, (p) => p.diagnostics.some((d) => d.code === 'EGR008'), 30_000);
    assert.match(String(noted.diagnostics.find((d) => d.code === 'EGR008')?.message), /not trusted/);
    assert.ok(!client.logs.some((l) => /built overlay/.test(l)), 'kubectl ran in an untrusted workspace');
  });
});
