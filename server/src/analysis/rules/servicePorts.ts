import { isPortNumber, portOutOfRange, repeatedAt } from '../model/ports';
import { isDns1123Label, isIanaServiceName } from '../model/names';
import type { LocalFinding } from './rule';
import { resourceRule } from './resourceRule';

const APP_PROTOCOL = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** docs/rules/EGR104.md: what the API server checks of a Service's ports. */
export const servicePorts = resourceRule({
  code: 'EGR104',
  name: 'service-ports',
  title: 'Service ports must have valid numbers, unique names, and names when there are several',
  severity: 'error',
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    const many = service.ports.length > 1;
    const repeatedName = repeatedAt(service.ports.map((p) => p.name?.value));
    const pairs = new Set<string>();
    service.ports.forEach((port, i) => {
      const found = (f: LocalFinding): void => report(f);
      if (port.port && !isPortNumber(port.port.value)) found({ message: portOutOfRange('Port', port.port.value), range: port.port.range });
      const target = port.targetPort;
      // targetPort 0 means unset: Kubernetes defaults it to port.
      if (target && typeof target.value === 'number' && target.value !== 0 && !isPortNumber(target.value)) {
        found({ message: portOutOfRange('targetPort', target.value), range: target.range });
      } else if (target && typeof target.value === 'string' && !isIanaServiceName(target.value)) {
        found({ message: `targetPort '${target.value}' is neither a port number nor a valid port name (≤ 15 lower-case letters, digits and inner '-').`, range: target.range });
      }
      if (port.appProtocol && !APP_PROTOCOL.test(port.appProtocol.value)) {
        found({
          message: `appProtocol '${port.appProtocol.value}' must be a protocol name such as 'https', optionally prefixed by a domain ('example.com/proto').`,
          range: port.appProtocol.range,
        });
      }
      const name = port.name?.value;
      if (many && !name) {
        found({ message: `Port ${i + 1} needs a name: a Service with several ports must name every one.`, range: port.port?.range ?? port.range });
      }
      if (name !== undefined && name !== '') {
        if (!isDns1123Label(name)) {
          found({ message: `Port name '${name}' must be a DNS-1123 label: lower-case letters, digits and inner '-', at most 63 characters.`, range: port.name?.range ?? port.range });
        }
        if (repeatedName.has(i)) found({ message: `Port name '${name}' is used twice; port names must be unique.`, range: port.name?.range ?? port.range });
      }
      if (port.port) {
        const pair = `${port.port.value}/${port.protocol?.value ?? 'TCP'}`;
        if (pairs.has(pair)) found({ message: `Port ${pair} is declared twice.`, range: port.port.range });
        pairs.add(pair);
      }
    });
  },
});
