import type { RuleInfo } from './rule';

export const SCHEMA_CODE = 'EGR002';

/**
 * Schema validation (unknown fields, wrong types, values outside enums) is done by yaml-language-server against the
 * bundled schemas; this entry gives its findings a code, a page and a place in the catalogue.
 */
export const schemaRule: RuleInfo = {
  code: SCHEMA_CODE,
  name: 'schema',
  title: 'The resource does not match its schema',
  severity: 'error',
};
