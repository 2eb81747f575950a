import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYamlDocument } from '../../server/src/analysis/documents/parsedDocument';
import type { DestinationRuleResource, Resource, VirtualServiceResource } from '../../server/src/analysis/model/resources';
import { tlsFor } from '../../server/src/analysis/model/tls';
import { gatewayRef, mayPickSamePods, routeGateways, selects } from '../../server/src/analysis/workspace/gateways';

function read<K extends Resource['kindName']>(kind: K, text: string): Extract<Resource, { kindName: K }> {
  const resource = parseYamlDocument(text).resource;
  assert.equal(resource?.kindName, kind);
  return resource as Extract<Resource, { kindName: K }>;
}

const RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: gw}
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  trafficPolicy:
    tls: {mode: DISABLE}
    portLevelSettings:
    - port: {number: 8443}
      loadBalancer: {simple: ROUND_ROBIN}
  subsets:
  - name: cnn
    trafficPolicy:
      portLevelSettings:
      - port: {number: 80}
        tls: {mode: ISTIO_MUTUAL}
  - name: plain
    trafficPolicy:
      loadBalancer: {simple: ROUND_ROBIN}
  - name: own
    trafficPolicy:
      tls: {mode: SIMPLE}
      portLevelSettings:
      - port: {number: 443}
        loadBalancer: {simple: ROUND_ROBIN}
`;

describe('TLS toward a port and subset, as Istio merges a DestinationRule', () => {
  const rule: DestinationRuleResource = read('DestinationRule', RULE);
  const mode = (port: number, subset?: string): string | undefined => tlsFor(rule, port, subset)?.mode?.value;

  it("takes the rule's own TLS where nothing overrides it", () => {
    assert.equal(mode(80), 'DISABLE');
    assert.equal(mode(80, 'plain'), 'DISABLE');
    assert.equal(mode(80, 'no-such-subset'), 'DISABLE');
  });

  it('lets a port-level entry replace the policy wholesale: without tls, there is none', () => {
    assert.equal(mode(8443), undefined);
    assert.equal(mode(443, 'own'), undefined);
  });

  it("prefers the subset's port-level TLS, then the subset's own", () => {
    assert.equal(mode(80, 'cnn'), 'ISTIO_MUTUAL');
    assert.equal(mode(443, 'cnn'), 'DISABLE');
    assert.equal(mode(80, 'own'), 'SIMPLE');
  });
});

describe('gateway wiring helpers', () => {
  it('matches selectors to labels and to each other', () => {
    assert.ok(selects({ istio: 'egressgateway' }, { istio: 'egressgateway', app: 'istio-egressgateway' }));
    assert.ok(!selects({ istio: 'egressgateway', app: 'x' }, { istio: 'egressgateway' }));
    assert.ok(mayPickSamePods({ app: 'istio-egressgateway', istio: 'egressgateway' }, { istio: 'egressgateway' }));
    assert.ok(!mayPickSamePods({ istio: 'egressgateway' }, { istio: 'ingressgateway' }));
    assert.ok(!mayPickSamePods({ app: 'a' }, { istio: 'egressgateway' }), 'no shared label: nothing says they meet');
  });

  it('resolves gateway names in the route namespace, and leaves mesh alone', () => {
    assert.deepEqual(gatewayRef('istio-egressgateway', 'shop'), { namespace: 'shop', name: 'istio-egressgateway' });
    assert.deepEqual(gatewayRef('istio-system/egress', 'shop'), { namespace: 'istio-system', name: 'egress' });
    assert.equal(gatewayRef('mesh', 'shop'), undefined);
  });

  it("gives each route the gateways of its matches, else the VirtualService's, else mesh", () => {
    const vs: VirtualServiceResource = read(
      'VirtualService',
      `kind: VirtualService
apiVersion: networking.istio.io/v1
metadata: {name: r}
spec:
  hosts: [a.example]
  gateways: [egress, mesh]
  http:
  - match: [{gateways: [mesh], port: 80}]
    route: [{destination: {host: gw}}]
  - match: [{port: 80}]
    route: [{destination: {host: a.example}}]
  - route: [{destination: {host: a.example}}]
`,
    );
    assert.deepEqual(
      vs.routes.map((r) => routeGateways(vs, r)),
      [['mesh'], ['egress', 'mesh'], ['egress', 'mesh']],
    );
    assert.equal(vs.routes[0]?.matches[0]?.port?.value, 80);
    const bare = read('VirtualService', 'kind: VirtualService\nspec:\n  http:\n  - route: [{destination: {host: a}}]\n');
    assert.deepEqual(routeGateways(bare, bare.routes[0]), ['mesh']);
  });

  it('reads a workload as a gateway proxy only with a mark of one', () => {
    const deployment = (annotations: string, image: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations: {${annotations}}\n      labels: {istio: egress}\n    spec:\n      containers: [{name: c, image: '${image}'}]\n`;
    assert.equal(parseYamlDocument(deployment('inject.istio.io/templates: gateway', 'auto')).resource?.kindName, 'GatewayWorkload');
    assert.equal(parseYamlDocument(deployment('', 'docker.io/istio/proxyv2:1.28.0')).resource?.kindName, 'GatewayWorkload');
    assert.equal(parseYamlDocument(deployment('', 'nginx')).resource?.kindName, 'Other');
    assert.equal(parseYamlDocument(deployment('inject.istio.io/templates: sidecar', 'nginx')).resource?.kindName, 'Other');
  });
});
