import { credentialWithoutSelector, insecureSkipVerify, missingCaCertificates } from './certificateVerification';
import { deprecatedApiVersion } from './deprecatedApiVersion';
import { destinationRuleHost } from './destinationRuleHost';
import { destinationRuleHostUnknown, destinationRulePartialHost } from './destinationRuleHosts';
import { destinationRuleMergeConflict } from './destinationRuleMerge';
import { destinationRuleOnExternalName } from './destinationRuleOnExternalName';
import { doubleTls } from './doubleTls';
import { endpointsAddress } from './endpointsAddress';
import { endpointsPortNames, endpointsWithoutService, serviceWithoutEndpoints } from './endpointsPairing';
import { endpointsPorts } from './endpointsPorts';
import { exportTo } from './exportTo';
import { externalNameClusterFields } from './externalNameClusterFields';
import { externalNameHost } from './externalNameHost';
import { externalNameTargetUnregistered, routeToUnregisteredAlias } from './externalNameTarget';
import { istioMutualToExternal } from './istioMutualToExternal';
import { portLevelSettings } from './portLevelSettings';
import { externalNamePortNames, portProtocolSelection } from './portProtocols';
import { redundantDisable } from './redundantDisable';
import { routeHostUndefined } from './routeHost';
import { routeSubsetUndefined } from './routeSubset';
import type { Rule, RuleInfo } from './rule';
import { fileSkipped } from './fileSkipped';
import { templateFile } from './templateFile';
import { kustomizeBuild } from './kustomizeBuild';
import { notText } from './notText';
import { schemaRule } from './schema';
import { resourceName } from './serviceName';
import { serviceEntryValidation } from './serviceEntryValidation';
import { servicePorts } from './servicePorts';
import { tlsSettings } from './tlsSettings';
import { yamlSyntax } from './yamlSyntax';

/** The rules the analysis runs: every rule, listed once. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  schemaRule,
  deprecatedApiVersion,
  externalNameHost,
  externalNameClusterFields,
  resourceName,
  servicePorts,
  endpointsAddress,
  endpointsPorts,
  destinationRuleHost,
  tlsSettings,
  portLevelSettings,
  exportTo,
  serviceEntryValidation,
  serviceWithoutEndpoints,
  endpointsWithoutService,
  endpointsPortNames,
  destinationRuleHostUnknown,
  destinationRuleMergeConflict,
  destinationRulePartialHost,
  destinationRuleOnExternalName,
  istioMutualToExternal,
  doubleTls,
  insecureSkipVerify,
  missingCaCertificates,
  credentialWithoutSelector,
  redundantDisable,
  externalNameTargetUnregistered,
  routeToUnregisteredAlias,
  externalNamePortNames,
  portProtocolSelection,
  routeSubsetUndefined,
  routeHostUndefined,
];

/** The catalogue the docs and `--list-rules` read: the analysis rules plus schema validation, by code. */
export const CATALOGUE: readonly RuleInfo[] = [...RULES, fileSkipped, templateFile, kustomizeBuild, notText].sort((a, b) => a.code.localeCompare(b.code));
