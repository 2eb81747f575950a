/**
 * The YAML text of each kind of resource, for every generator of egress manifests: the benchmark's realistic set-ups
 * (`bench/manifestWriter.ts`), the adversarial documents of the property tests (`../randomManifests.ts`) and the
 * fuzzer's fragments (`../../fuzz/generate.ts`). Builders draw nothing: each caller keeps its own policy (name pools,
 * what to draw and in which order, mistakes, anchors) and passes the values in, so its seeds replay unchanged.
 * Builders return lines without line breaks; sections are built at column 0, so they double as fragments.
 */
export { type Metadata, metadataLines } from './metadata';
export { type ServicePort, type ServiceSpec, type EndpointsSpec, service, endpoints } from './service';
export {
  type TlsSettings,
  type PortTls,
  type TrafficPolicy,
  type DestinationRuleSpec,
  destinationRule,
  portLevelSettingsLines,
  trafficPolicyLines,
  workloadSelectorLines,
} from './destinationRule';
export { type ServiceEntryPort, type ServiceEntrySpec, serviceEntry, serviceEntryEndpointsLines } from './serviceEntry';
export { type VirtualServiceSpec, virtualService, httpRoutesLines } from './virtualService';
export { type BlockScalarEntry, type DeploymentSpec, configMap, deployment } from './noise';
export { fragmentText, sequence } from './yamlLines';
