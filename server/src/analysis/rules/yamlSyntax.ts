import type { DocumentRule } from './rule';

export const yamlSyntax: DocumentRule = {
  code: 'EGR001',
  name: 'yaml-syntax',
  title: 'The document is not valid YAML',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    for (const error of doc.syntaxErrors) {
      const message = error.more
        ? `${error.more} more YAML syntax errors in this document, from here on; most follow from the ones above, so fix those first.`
        : `YAML syntax error: ${error.message}.`;
      report({ message, range: error.range });
    }
  },
};
