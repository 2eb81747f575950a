import { destinationRuleOnExternalName } from './destinationRuleOnExternalName';
import { endpointsAddress } from './endpointsAddress';
import { externalNameHost } from './externalNameHost';
import { istioMutualToExternal } from './istioMutualToExternal';
import type { Rule } from './rule';
import { yamlSyntax } from './yamlSyntax';

/** The catalogue: every rule, listed once. The analyzer, the docs and `--list-rules` read it from here. */
export const RULES: readonly Rule[] = [yamlSyntax, externalNameHost, endpointsAddress, destinationRuleOnExternalName, istioMutualToExternal];
