import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../support/lspClient';
import type { ProbeTargetResult, ServiceSummary } from '../../server/src/shared/protocol';

const SEED = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: tls, port: 443}
---
kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia
subsets:
- addresses: [{ip: 91.198.174.192}]
  ports: [{name: tls, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
spec:
  host: my-wikipedia.default.svc.cluster.local
  trafficPolicy:
    tls: {mode: DISABLE}
---
kind: Service
apiVersion: v1
metadata:
  name: in-mesh
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
`;

describe('what the client asks the server for the probe', () => {
  let client: LspTestClient;
  const uri = 'file:///ws/seed.yaml';

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
    await client.open(uri, SEED);
    await client.waitForDiagnostics(uri);
  });

  after(() => client.stop());

  it('puts a "Probe egress service" lens above each external Service only', async () => {
    const lenses: CodeLens[] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [[0, 'Probe egress service', 'istioEgress.probeService', [{ uri, name: 'my-wikipedia' }]]],
    );
  });

  it('resolves the Service under the cursor, also from its DestinationRule, with the file model for drift and blame', async () => {
    for (const line of [3, 12, 22]) {
      const target = await client.connection.sendRequest<ProbeTargetResult | null>('istioEgress/probeTarget', { uri, position: { line, character: 4 } });
      assert.equal(target?.name, 'my-wikipedia', `line ${line}`);
      assert.equal(target?.namespace, undefined, "no namespace written: the probe takes the context's");
      assert.equal(target?.file.service?.uri, uri);
      assert.equal(target?.file.endpoints?.startLine, 7);
      assert.equal(target?.file.destinationRules?.length, 1);
    }
  });

  it('lists the workspace Services for the quick pick', async () => {
    const services = await client.connection.sendRequest<ServiceSummary[]>('istioEgress/services', {});
    assert.deepEqual(
      services.map((s) => `${s.namespace}/${s.name} ${s.type} ${s.line}`),
      ['default/my-wikipedia ClusterIP 3', 'default/in-mesh ClusterIP 28'],
    );
  });
});
