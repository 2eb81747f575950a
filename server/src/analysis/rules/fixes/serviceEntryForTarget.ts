import type { DestinationRuleResource, ServiceResource } from '../../model/resources';
import { protocolOfPortName } from '../../model/protocols';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeEdit, RelativeFix } from '../rule';
import { appendDocumentAfter } from './appendDocument';

const ISTIO_PROTOCOL: Readonly<Record<string, string>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  https: 'HTTPS',
  grpc: 'GRPC',
  tls: 'TLS',
  tcp: 'TCP',
  mongo: 'MONGO',
  mysql: 'MYSQL',
  redis: 'REDIS',
};

/** A DNS-1123 name for the new ServiceEntry, made from the target host. */
function entryName(host: string): string {
  return host.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'external-host';
}

/** The ServiceEntry that registers an ExternalName Service's target, with the Service's ports. */
export function serviceEntryYaml(service: ServiceResource, target: string, namespace: string | undefined): string {
  const lines = [
    'apiVersion: networking.istio.io/v1',
    'kind: ServiceEntry',
    'metadata:',
    `  name: ${entryName(target)}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  hosts:',
    `  - ${target}`,
    '  location: MESH_EXTERNAL',
    '  resolution: DNS',
    '  ports:',
  ];
  if (service.ports.length === 0) lines.push('  - number: 80', '    name: http', '    protocol: HTTP');
  for (const port of service.ports) {
    const name = port.name?.value || `tcp-${port.port?.value ?? 80}`;
    const protocol = ISTIO_PROTOCOL[protocolOfPortName(name) ?? 'tcp'] ?? 'TCP';
    lines.push(`  - number: ${port.port?.value ?? 80}`, `    name: ${name}`, `    protocol: ${protocol}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The quick fix for a DestinationRule on an ExternalName Service (EGR401): point the rule at the target host and,
 * unless a ServiceEntry registers the target already, add one right after the rule.
 */
export function moveRuleToTarget(
  rule: PlacedResource<DestinationRuleResource>,
  service: ServiceResource,
  target: string,
  targetRegistered: boolean,
): RelativeFix | undefined {
  const host = rule.resource.host;
  if (!host || !target) return undefined;
  const edits: RelativeEdit[] = [{ at: rule, range: host.range, newText: target }];
  if (!targetRegistered) edits.push(appendDocumentAfter(rule, serviceEntryYaml(service, target, rule.resource.namespace?.value)));
  return {
    title: targetRegistered ? `Move this DestinationRule to '${target}'` : `Register '${target}' with a ServiceEntry and move this DestinationRule to it`,
    edits,
    preferred: true,
  };
}
