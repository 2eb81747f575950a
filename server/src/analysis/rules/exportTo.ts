import { isDns1123Label } from '../model/names';
import { resourceRule } from './resourceRule';

/** docs/rules/EGR204.md: `exportTo` takes `.`, `*`, `~` or namespace names. */
export const exportTo = resourceRule({
  code: 'EGR204',
  name: 'export-to',
  title: 'exportTo entries must be ".", "*", namespace names, or "~" on a ServiceEntry',
  severity: 'error',
  kinds: ['DestinationRule', 'ServiceEntry', 'VirtualService'],
  checkResource(r, _doc, _options, report) {
    for (const entry of r.exportTo) {
      if (entry.value === '~' && r.kindName !== 'ServiceEntry') {
        report({ message: "exportTo '~' (export to no namespace) is allowed only on ServiceEntries.", range: entry.range });
        continue;
      }
      if (entry.value === '.' || entry.value === '*' || entry.value === '~' || isDns1123Label(entry.value)) continue;
      report({ message: `exportTo '${entry.value}' is not '.', '*', '~' or a namespace name.`, range: entry.range });
    }
  },
});
