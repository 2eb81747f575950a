import { isDns1123Label } from '../model/names';
import type { DocumentRule } from './rule';

/** docs/rules/EGR111.md: what the API server checks of an Endpoints subset's ports. */
export const endpointsPorts: DocumentRule = {
  code: 'EGR111',
  name: 'endpoints-ports',
  title: 'Endpoints ports must have valid numbers and unique names, required when there are several',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    const endpoints = doc.resource;
    if (endpoints?.kindName !== 'Endpoints') return;
    for (const subset of endpoints.subsets) {
      const many = subset.ports.length > 1;
      const names = new Set<string>();
      for (const port of subset.ports) {
        if (port.port && (port.port.value < 1 || port.port.value > 65535)) {
          report({ message: `Port ${port.port.value} is out of range: ports are 1 to 65535.`, range: port.port.range });
        }
        const name = port.name?.value;
        if (many && !name) report({ message: 'With several ports in a subset, every port needs a name (matching the Service port names).', range: port.port?.range ?? port.range });
        if (!name) continue;
        if (!isDns1123Label(name)) report({ message: `Port name '${name}' must be a DNS-1123 label.`, range: port.name?.range ?? port.range });
        if (names.has(name)) report({ message: `Port name '${name}' is used twice in this subset.`, range: port.name?.range ?? port.range });
        names.add(name);
      }
    }
  },
};
