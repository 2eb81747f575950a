import { isPortNumber, portOutOfRange, repeatedAt } from '../model/ports';
import { isDns1123Label } from '../model/names';
import { resourceRule } from './resourceRule';

/** docs/rules/EGR111.md: what the API server checks of an Endpoints subset's ports. */
export const endpointsPorts = resourceRule({
  code: 'EGR111',
  name: 'endpoints-ports',
  title: 'Endpoints ports must have valid numbers and unique names, required when there are several',
  severity: 'error',
  kinds: ['Endpoints'],
  checkResource(endpoints, _doc, _options, report) {
    for (const subset of endpoints.subsets) {
      const many = subset.ports.length > 1;
      const repeatedName = repeatedAt(subset.ports.map((p) => p.name?.value));
      subset.ports.forEach((port, i) => {
        if (port.port && !isPortNumber(port.port.value)) {
          report({ message: portOutOfRange('Port', port.port.value), range: port.port.range });
        }
        const name = port.name?.value;
        if (many && !name) report({ message: 'With several ports in a subset, every port needs a name (matching the Service port names).', range: port.port?.range ?? port.range });
        if (!name) return;
        if (!isDns1123Label(name)) report({ message: `Port name '${name}' must be a DNS-1123 label.`, range: port.name?.range ?? port.range });
        if (repeatedName.has(i)) report({ message: `Port name '${name}' is used twice in this subset.`, range: port.name?.range ?? port.range });
      });
    }
  },
});
