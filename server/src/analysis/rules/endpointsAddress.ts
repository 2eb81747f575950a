import { classifyIp, parseIp, type IpClass } from '../model/ip';
import { resourceRule } from './resourceRule';

const REFUSED: Partial<Record<IpClass, string>> = {
  unspecified: 'the unspecified address',
  loopback: 'a loopback address',
  'link-local': 'a link-local address',
  'link-local-multicast': 'a link-local multicast address',
};

export const endpointsAddress = resourceRule({
  code: 'EGR110',
  name: 'endpoints-address',
  title: 'Endpoints addresses must be usable IP addresses',
  severity: 'error',
  kinds: ['Endpoints'],
  checkResource(endpoints, _doc, _options, report) {
    for (const subset of endpoints.subsets) {
      for (const address of [...subset.addresses, ...subset.notReadyAddresses]) {
        const ip = parseIp(address.value);
        if (!ip) {
          report({ message: `'${address.value}' is not an IP address: Endpoints list IPs, not host names.`, range: address.range });
          continue;
        }
        const refused = REFUSED[classifyIp(ip)];
        if (refused) report({ message: `'${address.value}' is ${refused}, which the API server refuses for Endpoints.`, range: address.range });
      }
    }
  },
});
