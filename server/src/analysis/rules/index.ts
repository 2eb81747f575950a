import { CATALOGUE_NOTES, REGISTERED_RULES } from './registry';
import type { Rule, RuleInfo } from './rule';

/** The rules the analysis runs: every rule of this folder (`registry.ts`, generated from the rule files). */
export const RULES: readonly Rule[] = REGISTERED_RULES;

/** The catalogue the docs and `--list-rules` read: the analysis rules plus the notes the engine writes, by code. */
export const CATALOGUE: readonly RuleInfo[] = [...RULES, ...CATALOGUE_NOTES].sort((a, b) => a.code.localeCompare(b.code));
