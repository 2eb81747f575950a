import { isDns1035Label, isDns1123Subdomain } from '../model/names';
import { resourceRule } from './resourceRule';

/** docs/rules/EGR103.md: the API server's name formats for Services and Endpoints. */
export const resourceName = resourceRule({
  code: 'EGR103',
  name: 'resource-name',
  title: 'Service and Endpoints names must be valid DNS names',
  severity: 'error',
  kinds: ['Service', 'Endpoints'],
  checkResource(r, _doc, _options, report) {
    const name = r.name;
    if (!name) return;
    if (r.kindName === 'Service' && !isDns1035Label(name.value)) {
      report({
        message: `Service name '${name.value}' must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters.`,
        range: name.range,
      });
    } else if (r.kindName === 'Endpoints' && !isDns1123Subdomain(name.value)) {
      report({ message: `Endpoints name '${name.value}' must be a lower-case DNS name (and equal to its Service's name).`, range: name.range });
    }
  },
});
