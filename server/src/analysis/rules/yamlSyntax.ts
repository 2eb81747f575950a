import { isTabIndentation } from '../documents/parsedDocument';
import type { Range } from '../text';
import type { DocumentRule } from './rule';
import type { LocalFix } from '../edits';

/**
 * The tabs before a line's content, as spaces: two for each tab of the indentation, one after a `-` (a sequence
 * item's content then starts where the tab did). Undefined when the line has none.
 */
export function spacesForTabs(text: string, line: number): { range: Range; newText: string } | undefined {
  const content = text.split(/\r?\n/)[line] ?? '';
  const prefix = /^[ \t-]*/.exec(content)?.[0] ?? '';
  if (!prefix.includes('\t')) return undefined;
  const newText = prefix.replace(/(^|-)?(\t+)/g, (_m: string, dash: string | undefined, tabs: string) =>
    dash === '-' ? `- ${'  '.repeat(tabs.length - 1)}` : `${dash ?? ''}${'  '.repeat(tabs.length)}`,
  );
  return { range: { start: { line, character: 0 }, end: { line, character: prefix.length } }, newText };
}

function tabFix(text: string, line: number): LocalFix | undefined {
  const edit = spacesForTabs(text, line);
  return edit ? { title: 'Replace the tabs in the indentation with spaces', edits: [edit], preferred: true } : undefined;
}

export const yamlSyntax: DocumentRule = {
  code: 'EGR001',
  name: 'yaml-syntax',
  title: 'The document is not valid YAML',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    for (const error of doc.syntaxErrors) {
      if (error.more) {
        report({ message: `${error.more} more YAML syntax errors in this document, from here on; most follow from the ones above, so fix those first.`, range: error.range });
        continue;
      }
      if (isTabIndentation(error.message)) {
        const fix = tabFix(doc.text, error.range.start.line);
        report({ message: 'A tab in the indentation: YAML indents with spaces only, so the keys below it are misread.', range: error.range, ...(fix ? { fixes: [fix] } : {}) });
        continue;
      }
      report({ message: `YAML syntax error: ${error.message}.`, range: error.range });
    }
  },
};
