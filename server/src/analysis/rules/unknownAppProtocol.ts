import { protocolOfPortName } from '../model/protocols';
import { resourceRule } from './resourceRule';

/** Kubernetes' standard appProtocol names, which Istio maps itself, compared as written (case matters). */
const KUBERNETES_NAMES: Readonly<Record<string, string>> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

/** Short forms of the Kubernetes standard names, which Istio does not read. */
const SHORT_FORMS: Readonly<Record<string, string>> = { h2c: 'kubernetes.io/h2c', ws: 'kubernetes.io/ws', websocket: 'kubernetes.io/ws', wss: 'kubernetes.io/wss' };

/** The protocols Istio parses from the part of the value before its first `-`, in any case. */
const PARSED = new Set(['tcp', 'udp', 'grpc', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);

/** A value the API server accepts (`servicePorts.ts`, EGR104, reports the others): a qualified name. */
const VALID_APP_PROTOCOL = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Istio's HBONE tunnel port (ambient waypoints and east-west gateways): the Services Istio deploys for them write
 * `appProtocol: hbone` or `all` there, and the port is never routed by protocol.
 */
const HBONE_PORT = 15008;

/** Service ports Istio treats as TCP when their protocol is not recognised (server-first protocols: no sniffing). */
const WELL_KNOWN_TCP_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

/**
 * Whether Istio recognises an `appProtocol` value: a Kubernetes standard name as written, a value starting with
 * `grpc-web`, or a protocol name before the first `-` (`http`, `http-v1`, `GRPC`…). Mirrors istio/istio
 * `pkg/config/kube/conversion.go` (`ConvertProtocol`) and `pkg/config/protocol/instance.go` (`Parse`).
 */
export function knownAppProtocol(value: string): boolean {
  if (KUBERNETES_NAMES[value] !== undefined) return true;
  const lower = value.toLowerCase();
  if (lower.startsWith('grpc-web')) return true;
  const dash = lower.indexOf('-');
  return PARSED.has(dash >= 0 ? lower.slice(0, dash) : lower);
}

/**
 * docs/rules/EGR424.md: Istio reads a Service port's `appProtocol` instead of its name; a value it does not recognise
 * leaves the port to protocol sniffing (TCP on a few server-first ports), whatever the name says. EGR411 covers ports
 * without appProtocol, so the two never report one port.
 */
export const unknownAppProtocol = resourceRule({
  code: 'EGR424',
  name: 'unknown-app-protocol',
  title: 'A Service port appProtocol that Istio does not recognise',
  severity: 'info',
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    // From 1.21 an ExternalName Service's ports are not used (docs/istio-behaviour.md#externalname-ports-are-unused-since-121).
    if (service.type?.value === 'ExternalName') return;
    for (const port of service.ports) {
      const app = port.appProtocol;
      // UDP ports are UDP whatever appProtocol says; a value the API server refuses is EGR104's.
      if (!app || !VALID_APP_PROTOCOL.test(app.value) || port.protocol?.value === 'UDP' || knownAppProtocol(app.value)) continue;
      const number = port.port?.value;
      if (number === HBONE_PORT || app.value === 'hbone') continue;
      const named = protocolOfPortName(port.name?.value);
      const wellKnown = number !== undefined && WELL_KNOWN_TCP_PORTS.has(number);
      const lower = app.value.toLowerCase();
      const kubernetesCase = Object.keys(KUBERNETES_NAMES).find((k) => k === lower);
      const standard = SHORT_FORMS[lower];
      const treated = wellKnown ? `treats the port as plain TCP (port ${number} is one it never sniffs)` : 'leaves the port to protocol sniffing (it guesses from the first bytes)';
      const ignoredName = named ? `; the name '${port.name?.value ?? ''}' is not read once appProtocol is set` : '';
      const known = 'http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, kubernetes.io/h2c, kubernetes.io/ws, kubernetes.io/wss';
      const fix = kubernetesCase
        ? `write '${kubernetesCase}' in lower case`
        : standard
          ? `write Kubernetes' standard name '${standard}'`
          : named
            ? `write '${named}' as the name says, another value Istio knows (${known}), or remove appProtocol`
            : `use a value Istio knows (${known}) or remove appProtocol`;
      report({
        message: `Istio does not recognise appProtocol '${app.value}' on port ${number ?? ''}: it ${treated}${ignoredName}. To fix, ${fix}.`,
        range: app.range,
        ...(wellKnown && !named ? { severity: 'hint' as const } : {}),
      });
    }
  },
});
