import type { DocumentRule } from './rule';

export const yamlSyntax: DocumentRule = {
  code: 'EGR001',
  name: 'yaml-syntax',
  title: 'The document is not valid YAML',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    for (const error of doc.syntaxErrors) report({ message: `YAML syntax error: ${error.message}.`, range: error.range });
  },
};
