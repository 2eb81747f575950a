/** The resource types the fake API server serves, and what discovery says about them. */

export interface ResourceType {
  readonly group: string;
  readonly versions: readonly string[];
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories?: readonly string[];
}

const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
const ISTIO_CATEGORIES = ['istio-io', 'networking-istio-io'] as const;

export const RESOURCES: readonly ResourceType[] = [
  { group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
  { group: '', versions: ['v1'], plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
  { group: '', versions: ['v1'], plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: 'discovery.k8s.io', versions: ['v1'], plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true, shortNames: [] },
  ...(
    [
      ['destinationrules', 'destinationrule', 'DestinationRule', ['dr']],
      ['serviceentries', 'serviceentry', 'ServiceEntry', ['se']],
      ['virtualservices', 'virtualservice', 'VirtualService', ['vs']],
      ['gateways', 'gateway', 'Gateway', ['gw']],
      ['sidecars', 'sidecar', 'Sidecar', []],
      ['workloadentries', 'workloadentry', 'WorkloadEntry', ['we']],
      ['workloadgroups', 'workloadgroup', 'WorkloadGroup', ['wg']],
    ] as const
  ).map(([plural, singular, kind, shortNames]): ResourceType => ({
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural,
    singular,
    kind,
    namespaced: true,
    shortNames,
    categories: ISTIO_CATEGORIES,
  })),
];

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const GROUPS = [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== ''))];
export const SERVER_VERSION = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.2',
  gitCommit: '8cc511e399b929453cd98ae65b419c3cc227ec79',
  gitTreeState: 'clean',
  buildDate: '2025-11-11T19:09:21Z',
  goVersion: 'go1.24.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};
export const ENDPOINTS_WARNING = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';

export function groupOf(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

export function gv(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function qualified(rt: ResourceType): string {
  return rt.group === '' ? rt.plural : `${rt.plural}.${rt.group}`;
}
