import { range } from '../../text';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeEdit } from '../rule';

/** An edit that adds a YAML document (`yaml`, ending in a newline) right after the one `at` was read from. */
export function appendDocumentAfter(at: PlacedResource, yaml: string): RelativeEdit {
  const text = at.doc.text;
  const lastLine = at.doc.lineCount - 1;
  if (text.endsWith('\n')) return { at, range: range(lastLine, 0, lastLine, 0), newText: `---\n${yaml}` };
  const lastLineLength = text.length - (text.lastIndexOf('\n') + 1);
  return { at, range: range(lastLine, lastLineLength, lastLine, lastLineLength), newText: `\n---\n${yaml.replace(/\n$/, '')}` };
}

/** `metadata:` lines for a new resource: the namespace only when the resource it accompanies names one. */
export function metadataLines(name: string, namespace: string | undefined): string[] {
  return ['metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : [])];
}
