import { destinationRuleOnExternalName } from './destinationRuleOnExternalName';
import { endpointsAddress } from './endpointsAddress';
import { externalNameHost } from './externalNameHost';
import { istioMutualToExternal } from './istioMutualToExternal';
import type { Rule, RuleInfo } from './rule';
import { schemaRule } from './schema';
import { yamlSyntax } from './yamlSyntax';

/** The rules the analysis runs: every rule, listed once. */
export const RULES: readonly Rule[] = [yamlSyntax, externalNameHost, endpointsAddress, destinationRuleOnExternalName, istioMutualToExternal];

/** The catalogue the docs and `--list-rules` read: the analysis rules plus schema validation, by code. */
export const CATALOGUE: readonly RuleInfo[] = [...RULES, schemaRule].sort((a, b) => a.code.localeCompare(b.code));
