import { isDns1123Label } from '../model/names';
import type { DocumentRule } from './rule';

/** RULES.md B7: `exportTo` takes `.`, `*`, `~` or namespace names. */
export const exportTo: DocumentRule = {
  code: 'EGR204',
  name: 'export-to',
  title: 'exportTo entries must be ".", "*", "~" or namespace names',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    const r = doc.resource;
    if (r?.kindName !== 'DestinationRule' && r?.kindName !== 'ServiceEntry' && r?.kindName !== 'VirtualService') return;
    for (const entry of r.exportTo) {
      if (entry.value === '.' || entry.value === '*' || entry.value === '~' || isDns1123Label(entry.value)) continue;
      report({ message: `exportTo '${entry.value}' is not '.', '*', '~' or a namespace name.`, range: entry.range });
    }
  },
};
