import { isDns1035Label } from '../../model/names';
import type { EndpointsResource } from '../../model/resources';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeFix } from '../../edits';
import { appendDocumentAfter, metadataLines } from './appendDocument';

interface PortSpec {
  readonly name: string;
  readonly number: number;
  readonly protocol: string;
}

/** The distinct ports of all subsets; the Service needs each once. */
function distinctPorts(endpoints: EndpointsResource): PortSpec[] {
  const byKey = new Map<string, PortSpec>();
  for (const subset of endpoints.subsets) {
    for (const port of subset.ports) {
      if (port.port === undefined) continue;
      const spec = { name: port.name?.value ?? '', number: port.port.value, protocol: port.protocol?.value ?? 'TCP' };
      byKey.set(`${spec.name}/${spec.number}/${spec.protocol}`, spec);
    }
  }
  return [...byKey.values()];
}

/**
 * The quick fix for Endpoints without a Service (EGR302): a selector-less Service of the same name and namespace whose
 * ports carry the Endpoints' port names and numbers, so they pair (EGR303). Not offered when the Service could not be
 * valid: a name that is no DNS-1035 label, no ports, or several ports not all named (EGR103, EGR104).
 */
export function createServiceFor(placed: PlacedResource<EndpointsResource>): RelativeFix | undefined {
  const endpoints = placed.resource;
  const name = endpoints.name?.value;
  const ports = distinctPorts(endpoints);
  if (!name || !isDns1035Label(name) || ports.length === 0) return undefined;
  if (ports.length > 1 && (ports.some((p) => p.name === '') || new Set(ports.map((p) => p.name)).size !== ports.length)) return undefined;
  const portLines = ports.flatMap((p) => {
    const fields = [...(p.name ? [`name: ${p.name}`] : []), `port: ${p.number}`, ...(p.protocol !== 'TCP' ? [`protocol: ${p.protocol}`] : [])];
    return fields.map((field, i) => `${i === 0 ? '  - ' : '    '}${field}`);
  });
  const yaml = ['apiVersion: v1', 'kind: Service', ...metadataLines(name, endpoints.namespace?.value), 'spec:', '  ports:', ...portLines, ''].join('\n');
  return { title: `Create selector-less Service '${name}'`, edits: [appendDocumentAfter(placed, yaml)] };
}
