import { parse } from 'yaml';
import { range } from '../../text';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeEdit } from '../../edits';

/** `yaml` (written with `\n`) with the line breaks of `text`, so a fix keeps a CRLF file CRLF. */
export function withLineBreaksOf(text: string, yaml: string): string {
  return text.includes('\r\n') ? yaml.replace(/\r?\n/g, '\r\n') : yaml;
}

/** An edit that adds a YAML document (`yaml`, ending in a newline) right after the one `at` was read from. */
export function appendDocumentAfter(at: PlacedResource, yaml: string): RelativeEdit {
  const text = at.doc.text;
  const lastLine = at.doc.lineCount - 1;
  if (/\r?\n$/.test(text)) return { at, range: range(lastLine, 0, lastLine, 0), newText: withLineBreaksOf(text, `---\n${yaml}`) };
  const lastLineLength = text.length - (text.lastIndexOf('\n') + 1);
  return { at, range: range(lastLine, lastLineLength, lastLine, lastLineLength), newText: withLineBreaksOf(text, `\n---\n${yaml.replace(/\n$/, '')}`) };
}

/** A string as a YAML scalar: plain when it reads back as that string, quoted otherwise (`1234`, `true`, `null`). */
export function yamlString(value: string): string {
  try {
    if (parse(value) === value) return value;
  } catch {
    // Not valid as a plain scalar: quoted below.
  }
  return JSON.stringify(value);
}

/** `metadata:` lines for a new resource: the namespace only when the resource it accompanies names one. */
export function metadataLines(name: string, namespace: string | undefined): string[] {
  return ['metadata:', `  name: ${yamlString(name)}`, ...(namespace ? [`  namespace: ${yamlString(namespace)}`] : [])];
}
