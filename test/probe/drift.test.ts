import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceResource } from '../../server/src/analysis/model/resources';
import type { PlacedResource } from '../../server/src/analysis/workspace/placed';
import { detectDrift, driftHeadline } from '../../server/src/probe/drift';
import type { FileResource } from '../../server/src/probe/fileModel';
import { readDestinationRules, readEndpoints, readService } from '../../server/src/probe/kubeObjects';
import { destinationRule, endpoints, externalNameService, list, selectorlessService } from './fixtures/kube';
import { HTTPBIN_ISTIO_MUTUAL, modelFromYaml } from './fixtures/fileModels';
import { WIKIPEDIA_SEED } from '../support/seedManifests';

const URI = 'file:///work/egress.yaml';

// The analysis workspace's placed resources are what the editor will pass: they must fit FileResource as they are.
export const placedFits = (placed: PlacedResource<ServiceResource>): FileResource<ServiceResource> => placed;

describe('drift between the file and the cluster', () => {
  it("finds none when the cluster has the file's version", () => {
    const model = modelFromYaml(URI, WIKIPEDIA_SEED);
    const drift = detectDrift(
      model,
      {
        service: readService(selectorlessService()),
        endpoints: readEndpoints(endpoints('my-wikipedia', 'default', ['198.35.26.96', '91.198.174.192'])),
        destinationRules: readDestinationRules(list([destinationRule('my-wikipedia', 'default', 'my-wikipedia.default.svc.cluster.local', { mode: 'DISABLE' })])),
      },
      'default',
      'cluster.local',
    );
    assert.deepEqual(drift, { compared: true, items: [] });
    assert.equal(driftHeadline(drift), undefined);
  });

  it('lists type, externalName, port, Endpoints and DestinationRule differences with file locations', () => {
    const model = modelFromYaml(URI, WIKIPEDIA_SEED);
    const live = selectorlessService();
    (live.spec as { ports: unknown[] }).ports = [
      { name: 'https', port: 443, protocol: 'TCP' },
      { name: 'http', port: 80, protocol: 'TCP' },
    ];
    const drift = detectDrift(
      model,
      {
        service: readService(live),
        endpoints: readEndpoints(endpoints('my-wikipedia', 'default', ['91.198.174.192'])),
        destinationRules: readDestinationRules(list([destinationRule('my-wikipedia', 'default', 'my-wikipedia.default.svc.cluster.local', { mode: 'ISTIO_MUTUAL' })])),
      },
      'default',
      'cluster.local',
    );
    assert.deepEqual(
      drift.items.map((i) => [i.kind, i.field, i.file, i.cluster, i.location?.range.start.line]),
      [
        ['Service', 'spec.ports[443].name', 'tls', 'https', 8],
        ['Service', 'spec.ports[80]', undefined, '80', 3],
        ['Endpoints', 'subsets.addresses', '198.35.26.96, 91.198.174.192', '91.198.174.192', 16],
        ['DestinationRule', 'spec.trafficPolicy.tls.mode', 'DISABLE', 'ISTIO_MUTUAL', 30],
      ],
    );
    assert.equal(drift.items[0]?.location?.uri, URI);
    assert.equal(drift.items[3]?.message, "DestinationRule default/my-wikipedia: spec.trafficPolicy.tls.mode is 'DISABLE' in the file, 'ISTIO_MUTUAL' in the cluster");
    assert.match(driftHeadline(drift) ?? '', /^The cluster has not got this file's version \(4 differences\)/);
  });

  it('sees a changed type and externalName, and DestinationRules missing from the cluster', () => {
    const model = modelFromYaml(URI, HTTPBIN_ISTIO_MUTUAL);
    const live = externalNameService('my-httpbin', 'default', 'postman-echo.com');
    const drift = detectDrift(model, { service: readService(live), destinationRules: [] }, 'default', 'cluster.local');
    assert.deepEqual(
      drift.items.map((i) => [i.kind, i.field, i.file, i.cluster]),
      [
        ['Service', 'spec.externalName', 'httpbin.org', 'postman-echo.com'],
        ['DestinationRule', '', 'present', undefined],
      ],
    );
    assert.equal(drift.items[1]?.message, 'DestinationRule default/httpbin-org is in the file but not in the cluster');
    const typeChanged = detectDrift(model, { service: readService(selectorlessService('my-httpbin')), destinationRules: [] }, 'default', 'cluster.local');
    assert.deepEqual(typeChanged.items[0], { ...typeChanged.items[0], field: 'spec.type', file: 'ExternalName', cluster: 'ClusterIP' });
  });

  it('compares port-level TLS modes', () => {
    const text = `${WIKIPEDIA_SEED}    portLevelSettings:\n    - port:\n        number: 443\n      tls:\n        mode: SIMPLE\n        sni: en.wikipedia.org\n`;
    const drift = detectDrift(
      modelFromYaml(URI, text),
      {
        service: readService(selectorlessService()),
        endpoints: readEndpoints(endpoints('my-wikipedia', 'default', ['91.198.174.192', '198.35.26.96'])),
        destinationRules: readDestinationRules(list([destinationRule('my-wikipedia', 'default', 'my-wikipedia.default.svc.cluster.local', { mode: 'DISABLE' })])),
      },
      'default',
      'cluster.local',
    );
    assert.deepEqual(
      drift.items.map((i) => [i.field, i.file, i.cluster, i.location?.range.start.line]),
      [['spec.trafficPolicy.portLevelSettings[443].tls.mode', 'SIMPLE', undefined, 35]],
    );
  });

  it('is not compared without a file', () => {
    assert.deepEqual(detectDrift(undefined, { destinationRules: [] }, 'default', 'cluster.local'), { compared: false, items: [] });
  });
});
