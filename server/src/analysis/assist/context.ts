import type { Spot } from '../documents/locate';
import type { AnalysisOptions } from '../options';
import type { PlacedDocument } from '../workspace/fileModel';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** What completion and hover providers get: the spot under the cursor and everything known around it. */
export interface AssistContext {
  readonly spot: Spot;
  readonly placed: PlacedDocument;
  readonly index: WorkspaceIndex;
  readonly options: AnalysisOptions;
}

/** `file.yaml:12` for a place in a file, as hovers and details show it. */
export function where(uri: string, line: number): string {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  return `${name}:${line + 1}`;
}

/** `file.yaml:12` for a resource: the line of its name, or of its document's start. */
export function whereResource(placed: PlacedResource): string {
  const anchor = placed.resource.name ?? placed.resource.kind;
  return where(placed.uri, placed.startLine + anchor.range.start.line);
}

export function sameResource(a: PlacedResource, b: PlacedResource): boolean {
  return a.uri === b.uri && a.startLine === b.startLine;
}
