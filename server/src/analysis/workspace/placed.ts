import type { ParsedDocument } from '../documents/parsedDocument';
import type { Resource } from '../model/resources';
import { shiftRange, type Range } from '../text';
import type { PlacedDocument } from './fileModel';

/** A resource together with the file and line where its document starts. */
export interface PlacedResource<R extends Resource = Resource> {
  readonly resource: R;
  readonly uri: string;
  readonly startLine: number;
  /** The document the resource was read from. */
  readonly doc: ParsedDocument;
}

export function placeResource(placed: PlacedDocument): PlacedResource | undefined {
  const resource = placed.doc.resource;
  return resource ? { resource, uri: placed.uri, startLine: placed.startLine, doc: placed.doc } : undefined;
}

/** A document-relative range of this resource, as a file range. */
export function fileRange(at: PlacedResource, relative: Range): Range {
  return shiftRange(relative, at.startLine);
}
