import type { DocumentRule } from './rule';

export const SCHEMA_CODE = 'EGR002';

/**
 * Schema validation against the bundled schemas (generated from Istio's CRDs, and Kubernetes' Service and Endpoints):
 * unknown fields, wrong types, values outside enums, missing required fields. The API server or Istio's webhook
 * rejects each of these. Computed with the document's parse, so it costs nothing per keystroke elsewhere.
 */
export const schemaRule: DocumentRule = {
  code: SCHEMA_CODE,
  name: 'schema',
  title: 'The resource does not match its schema',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    for (const error of doc.schemaErrors) report({ message: error.message, range: error.range });
  },
};
