/**
 * The egress-gateway recipe in one file, for LSP tests: a DestinationRule for the gateway with `subsets`, and a mesh
 * VirtualService that sends edition.cnn.com to the gateway's subset `routeSubset` (empty: the value still to type).
 */
export function egressGatewayManifest(subsets: readonly string[], routeSubset: string): string {
  return [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    '  name: egressgateway-for-cnn',
    'spec:',
    '  host: istio-egressgateway.istio-system.svc.cluster.local',
    '  subsets:',
    ...subsets.map((s) => `  - name: ${s}`),
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata:',
    '  name: cnn-through-egress',
    'spec:',
    '  hosts: [edition.cnn.com]',
    '  http:',
    '  - route:',
    '    - destination:',
    '        host: istio-egressgateway.istio-system.svc.cluster.local',
    `        subset: ${routeSubset}`,
    '',
  ].join('\n');
}
