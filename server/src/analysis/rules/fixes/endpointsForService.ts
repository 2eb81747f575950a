import { isDns1123Subdomain } from '../../model/names';
import type { ServiceResource } from '../../model/resources';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeFix } from '../../edits';
import { appendDocumentAfter, metadataLines } from './appendDocument';

/**
 * From TEST-NET-1 (RFC 5737), reserved for documentation: a valid Endpoints address (EGR110 accepts it) that routes
 * nowhere, so nothing is reached before the user puts the real one in.
 */
export const PLACEHOLDER_IP = '192.0.2.1';

/** The port the endpoint listens on: a numeric targetPort when set, the Service port otherwise. */
function endpointPort(port: ServiceResource['ports'][number]): number | undefined {
  const target = port.targetPort?.value;
  return typeof target === 'number' && target !== 0 ? target : port.port?.value;
}

/**
 * The quick fix for a selector-less Service without Endpoints (EGR301): an Endpoints of the same name and namespace,
 * with the Service's port names (pairing is by name, EGR303) and a placeholder address to replace.
 */
export function createEndpointsFor(placed: PlacedResource<ServiceResource>): RelativeFix | undefined {
  const service = placed.resource;
  const name = service.name?.value;
  if (!name || !isDns1123Subdomain(name)) return undefined;
  // Several ports must all be named on the Endpoints too (EGR111); a Service missing names has EGR104 to fix first.
  if (service.ports.length > 1 && service.ports.some((p) => !p.name?.value)) return undefined;
  const portLines: string[] = [];
  for (const port of service.ports) {
    const number = endpointPort(port);
    if (number === undefined) continue;
    const fields = [
      ...(port.name?.value ? [`name: ${port.name.value}`] : []),
      `port: ${number}`,
      ...(port.protocol?.value && port.protocol.value !== 'TCP' ? [`protocol: ${port.protocol.value}`] : []),
    ];
    portLines.push(...fields.map((field, i) => `${i === 0 ? '  - ' : '    '}${field}`));
  }
  if (portLines.length === 0) return undefined;
  const yaml = [
    'apiVersion: v1',
    'kind: Endpoints',
    ...metadataLines(name, service.namespace?.value),
    'subsets:',
    '- addresses:',
    `  - ip: ${PLACEHOLDER_IP} # placeholder: the external server's IP address`,
    '  ports:',
    ...portLines,
    '',
  ].join('\n');
  return { title: `Create Endpoints '${name}' (replace the placeholder IP ${PLACEHOLDER_IP} with the server's address)`, edits: [appendDocumentAfter(placed, yaml)] };
}
