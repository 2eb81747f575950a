import { isDns1123Label } from '../../model/names';
import type { EndpointPort, EndpointSubset, ServicePort, ServiceResource } from '../../model/resources';
import { LineIndex } from '../../text';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeEdit, RelativeFix } from '../../edits';
import { withLineBreaksOf } from './appendDocument';

/** The port a Service port reaches on a hand-written endpoint: a numeric targetPort, else the port itself. */
function reaches(port: ServicePort): number | undefined {
  const target = port.targetPort?.value;
  return typeof target === 'number' && target !== 0 ? target : port.port?.value;
}

/**
 * The Service port name an Endpoints port was meant to carry: the one Service port with its number (as port or
 * targetPort), or the Service's only port. Undefined when that is ambiguous or unnamed.
 */
function intendedName(port: EndpointPort, service: ServiceResource): { name: string; byNumber: boolean } | undefined {
  const number = port.port?.value;
  const byNumber = new Set(service.ports.filter((p) => number !== undefined && (reaches(p) === number || p.port?.value === number)).map((p) => p.name?.value ?? ''));
  if (byNumber.size === 1) {
    const [name = ''] = byNumber;
    return name ? { name, byNumber: true } : undefined;
  }
  const [only] = service.ports;
  const name = only?.name?.value;
  return byNumber.size === 0 && service.ports.length === 1 && name ? { name, byNumber: false } : undefined;
}

/**
 * Adds `name: <name>` to a port mapping written without one, in flow (`{port: 443}`) or block style; undefined for a
 * single-pair mapping inside a flow sequence (`[port: 443]`), where no text added before the pair stays in it.
 */
function insertName(endpoints: PlacedResource, port: EndpointPort, name: string): RelativeEdit | undefined {
  const text = endpoints.doc.text;
  const lines = new LineIndex(text);
  const start = port.range.start;
  const offset = lines.offsetAt(start);
  if (text.charAt(offset) === '{') {
    const after = { line: start.line, character: start.character + 1 };
    return { at: endpoints, range: { start: after, end: after }, newText: `name: ${name}, ` };
  }
  if (/[[,]\s*$/.test(text.slice(Math.max(0, offset - 200), offset))) return undefined;
  return { at: endpoints, range: { start, end: start }, newText: withLineBreaksOf(text, `name: ${name}\n${' '.repeat(start.character)}`) };
}

/**
 * The quick fix for an Endpoints port whose name no Service port has (EGR303): give it the Service port's name, when
 * it is clear which one was meant and no other port of the subset has that name already.
 */
export function renameEndpointsPort(endpoints: PlacedResource, subset: EndpointSubset, port: EndpointPort, service: ServiceResource): RelativeFix | undefined {
  const intended = intendedName(port, service);
  if (!intended || !isDns1123Label(intended.name) || subset.ports.some((p) => p !== port && p.name?.value === intended.name)) return undefined;
  const edit: RelativeEdit | undefined = port.name ? { at: endpoints, range: port.name.range, newText: intended.name } : insertName(endpoints, port, intended.name);
  if (!edit) return undefined;
  return {
    title: port.name ? `Rename Endpoints port '${port.name.value}' to '${intended.name}'` : `Name this Endpoints port '${intended.name}'`,
    edits: [edit],
    ...(intended.byNumber ? { preferred: true } : {}),
  };
}
