import { ISTIO_PORT_PROTOCOLS, protocolOfPortName } from '../model/protocols';
import { resourceRule } from './resourceRule';

/** docs/rules/EGR411.md: Istio picks a port's protocol from its name or appProtocol; otherwise it guesses. */
export const portProtocolSelection = resourceRule({
  code: 'EGR411',
  name: 'port-protocol-selection',
  title: 'A Service port whose name does not tell Istio its protocol',
  severity: 'info',
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    // From 1.21 an ExternalName Service's ports are not used; EGR410 covers older releases
    // (docs/istio-behaviour.md#externalname-ports-are-unused-since-121).
    if (service.type?.value === 'ExternalName') return;
    for (const port of service.ports) {
      // UDP ports are never sniffed; their name does not matter to Istio.
      if (port.appProtocol || protocolOfPortName(port.name?.value) || port.protocol?.value === 'UDP') continue;
      report({
        message: `Port ${port.port?.value ?? ''}${port.name ? ` '${port.name.value}'` : ''} does not name its protocol (${ISTIO_PORT_PROTOCOLS.slice(0, 6).join(', ')}… as '<protocol>[-suffix]', or appProtocol): Istio falls back to protocol sniffing.`,
        range: port.name?.range ?? port.port?.range ?? port.range,
      });
    }
  },
});

/** docs/rules/EGR410.md: before 1.21, ExternalName ports needed protocol names to be forwarded correctly. */
export const externalNamePortNames = resourceRule({
  code: 'EGR410',
  name: 'externalname-port-names',
  title: 'ExternalName Service ports need protocol names (Istio ≤ 1.20)',
  severity: 'warning',
  istio: { until: '1.20' },
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    if (service.type?.value !== 'ExternalName') return;
    for (const port of service.ports) {
      if (port.appProtocol) continue;
      const protocol = protocolOfPortName(port.name?.value);
      if (protocol && port.name?.value.toLowerCase() !== 'tcp') continue;
      report({
        message: `On Istio before 1.21, ExternalName port ${port.port?.value ?? ''}${port.name ? ` '${port.name.value}'` : ''} needs a protocol name such as http, https or tls (or appProtocol): ports named tcp or not at all may not be forwarded correctly.`,
        range: port.name?.range ?? port.port?.range ?? port.range,
      });
    }
  },
});
