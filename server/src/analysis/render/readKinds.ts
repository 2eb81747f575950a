import { mayHoldReadKind } from '../model/readKinds';

/**
 * Rendered output keeps only the documents the rules read (pure). A chart or overlay renders Deployments, CRDs and
 * ConfigMaps too — an Istio install renders megabytes of them — and none of them is looked at, as the workspace indexer
 * leaves files of such kinds alone (`model/readKinds.ts`). Each other document becomes blank lines, so every line keeps its number (findings
 * are placed back by line).
 */

const SEPARATOR = /^(?:---|\.\.\.)\s*(?:#.*)?$/;

export function onlyReadKinds(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let doc: string[] = [];
  const flush = (): void => {
    const keep = mayHoldReadKind(doc.join('\n'));
    for (const line of doc) out.push(keep || line.startsWith('# Source:') ? line : '');
    doc = [];
  };
  for (const line of lines) {
    if (SEPARATOR.test(line)) {
      flush();
      out.push(line);
    } else doc.push(line);
  }
  flush();
  return out.join('\n');
}
