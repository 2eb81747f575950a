import type { Spot } from '../documents/locate';
import type { AnalysisOptions } from '../options';
import type { PlacedDocument } from '../workspace/fileModel';
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
