/**
 * A built overlay in the analysis (`Analysis.setOverlay`), without kubectl: the output stands in for the build's
 * resource files, and its findings come back on the patch that set a field, else on the resource's own line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/analysis/engine/analysis';
import { rangeOfPath } from '../../server/src/analysis/render/overlayFindings';

const ROOT = 'file:///repo/';
const KUSTOMIZATION = `${ROOT}overlays/prod/kustomization.yaml`;
const FILES: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- service.yaml\n- rule.yaml\n',
  'base/service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-wikipedia\nspec:\n  ports:\n  - name: tls\n    port: 443\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: my-wikipedia\nsubsets:\n- addresses:\n  - ip: 91.198.174.192\n  ports:\n  - name: tls\n    port: 443\n',
  'base/rule.yaml':
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  host: my-wikipedia\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n',
  'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: tls-patch.yaml\n',
  'overlays/prod/tls-patch.yaml': 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-wikipedia\nspec:\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n',
};
/** What `kubectl kustomize overlays/prod` writes for FILES. */
const OUTPUT = `apiVersion: v1
kind: Service
metadata:
  name: my-wikipedia
  namespace: prod
spec:
  ports:
  - name: tls
    port: 443
---
apiVersion: v1
kind: Endpoints
metadata:
  name: my-wikipedia
  namespace: prod
subsets:
- addresses:
  - ip: 91.198.174.192
  ports:
  - name: tls
    port: 443
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
  namespace: prod
spec:
  host: my-wikipedia
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
`;

function analysisOfTree(): Analysis {
  const analysis = new Analysis();
  for (const [name, text] of Object.entries(FILES)) analysis.setFile(ROOT + name, text);
  return analysis;
}

const lines = (analysis: Analysis, name: string): string[] => analysis.findings(ROOT + name).map((f) => `${f.range.start.line} ${f.code}`);

describe('a built overlay in the analysis', () => {
  it('puts a finding on the patch line that set the field, where the files alone say nothing', () => {
    const analysis = analysisOfTree();
    assert.deepEqual(lines(analysis, 'overlays/prod/tls-patch.yaml'), []);
    assert.deepEqual(lines(analysis, 'overlays/prod/kustomization.yaml'), ['0 EGR006']);

    analysis.setOverlay(KUSTOMIZATION, { status: 'built', kustomization: KUSTOMIZATION, output: OUTPUT });
    assert.deepEqual(lines(analysis, 'overlays/prod/tls-patch.yaml'), ['7 EGR402']);
    const [finding] = analysis.findings(`${ROOT}overlays/prod/tls-patch.yaml`);
    assert.match(String(finding?.message), /\(in what kustomize builds from prod\)$/);
    assert.deepEqual(finding?.fixes, [], 'a fix would edit the output');
    assert.deepEqual(lines(analysis, 'overlays/prod/kustomization.yaml'), [], 'the build is checked: no note');
    assert.deepEqual([...analysis.uris()].length, Object.keys(FILES).length, 'the output is no file of its own');

    analysis.setOverlay(KUSTOMIZATION, undefined);
    assert.deepEqual(lines(analysis, 'overlays/prod/tls-patch.yaml'), []);
    assert.deepEqual(lines(analysis, 'overlays/prod/kustomization.yaml'), ['0 EGR006']);
  });

  it('puts a finding on a field no patch sets on the line of the resource’s own file', () => {
    const analysis = analysisOfTree();
    const wrongHost = OUTPUT.replace('  host: my-wikipedia\n', '  host: my-wikipedia.staging.svc.cluster.local\n');
    analysis.setOverlay(KUSTOMIZATION, { status: 'built', kustomization: KUSTOMIZATION, output: wrongHost });
    assert.ok(lines(analysis, 'base/rule.yaml').includes('5 EGR304'), lines(analysis, 'base/rule.yaml').join(', '));
  });

  it('shows where kubectl put the blame when the build fails, and keeps the files as written', () => {
    const analysis = analysisOfTree();
    const blamed = `${ROOT}base/kustomization.yaml`;
    analysis.setOverlay(KUSTOMIZATION, {
      status: 'failed',
      kustomization: KUSTOMIZATION,
      problems: [
        {
          uri: blamed,
          range: { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } },
          message: "kubectl kustomize prod fails here: 'missing.yaml' does not exist",
          severity: 'error',
        },
      ],
    });
    assert.deepEqual(lines(analysis, 'base/kustomization.yaml'), ['2 EGR008']);
    assert.deepEqual(lines(analysis, 'overlays/prod/kustomization.yaml'), ['0 EGR006']);
  });
});

describe('findings of a build on the patch that made them', () => {
  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n  - name: http\n    port: 80\n  - name: grpc\n    port: 9090\n';
  const built = (ports: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  ports:\n${ports}  selector:\n    app: api\n`;

  function buildOf(files: Record<string, string>, output: string): Analysis {
    const analysis = new Analysis();
    for (const [name, text] of Object.entries(files)) analysis.setFile(ROOT + name, text);
    const kustomization = `${ROOT}overlays/prod/kustomization.yaml`;
    analysis.setOverlay(kustomization, { status: 'built', kustomization, output });
    return analysis;
  }

  it('on the JSON 6902 operation that wrote the value', () => {
    const analysis = buildOf(
      {
        'base/kustomization.yaml': 'resources:\n- service.yaml\n',
        'base/service.yaml': SERVICE,
        'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: rename-port.yaml\n  target:\n    kind: Service\n    name: api\n',
        'overlays/prod/rename-port.yaml': '- op: replace\n  path: /spec/ports/0/name\n  value: Http_Main\n',
      },
      built('  - name: Http_Main\n    port: 80\n  - name: grpc\n    port: 9090\n'),
    );
    assert.ok(lines(analysis, 'overlays/prod/rename-port.yaml').includes('2 EGR104'), lines(analysis, 'overlays/prod/rename-port.yaml').join(', '));
    assert.ok(!lines(analysis, 'base/service.yaml').includes('8 EGR104'), 'not on the base line the operation replaced');
  });

  it('on the item of the same content after a merge reordered the list', () => {
    const analysis = buildOf(
      {
        'base/kustomization.yaml': 'resources:\n- service.yaml\n',
        'base/service.yaml': SERVICE.replace('name: http', 'name: Http_Main'),
        'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: grpc-target.yaml\n',
        'overlays/prod/grpc-target.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n  - port: 9090\n    targetPort: 9091\n',
      },
      // kustomize puts the patched item first.
      built('  - name: grpc\n    port: 9090\n    targetPort: 9091\n  - name: Http_Main\n    port: 80\n'),
    );
    assert.ok(lines(analysis, 'base/service.yaml').includes('8 EGR104'), lines(analysis, 'base/service.yaml').join(', '));
  });
});

describe('rangeOfPath', () => {
  const text = 'spec:\n  ports:\n  - name: tls\n    port: 443\n  host: a.example\n';
  it('finds a scalar from its key to its value, a list item on its first line, and nothing for a missing path', () => {
    assert.deepEqual(rangeOfPath(text, ['spec', 'host']), { start: { line: 4, character: 2 }, end: { line: 4, character: 17 } });
    assert.deepEqual(rangeOfPath(text, ['spec', 'ports', 0]), { start: { line: 2, character: 4 }, end: { line: 2, character: 13 } });
    assert.equal(rangeOfPath(text, ['spec', 'tls']), undefined);
  });
});
