import { parseYamlDocument, type ParsedDocument } from '../documents/parsedDocument';
import { splitSegments } from '../documents/segments';
import { scanSuppressions, type Suppressions } from '../documents/suppressions';

/** A parsed document at its place in one version of a file. */
export interface PlacedDocument {
  readonly uri: string;
  readonly index: number;
  readonly startLine: number;
  readonly doc: ParsedDocument;
}

export interface FileModel {
  readonly uri: string;
  readonly documents: readonly PlacedDocument[];
  /** How many documents were parsed for this version (the rest came from the previous version). */
  readonly parsedCount: number;
  readonly suppressions: Suppressions;
  /** Set when the file is not analysed (too large): why, in a sentence. */
  readonly skipped?: string;
}

/**
 * Builds file models, re-parsing only the documents whose text changed since the file's previous version:
 * an edit in one of 10 000 documents costs one document's parse plus a line scan.
 */
export class FileModelBuilder {
  private readonly previous = new Map<string, Map<string, ParsedDocument>>();

  build(uri: string, text: string): FileModel {
    const known = this.previous.get(uri);
    const current = new Map<string, ParsedDocument>();
    let parsedCount = 0;
    const documents = splitSegments(text).map((segment, index): PlacedDocument => {
      let doc = current.get(segment.text) ?? known?.get(segment.text);
      if (!doc) {
        doc = parseYamlDocument(segment.text);
        parsedCount++;
      }
      current.set(segment.text, doc);
      return { uri, index, startLine: segment.startLine, doc };
    });
    this.previous.set(uri, current);
    return { uri, documents, parsedCount, suppressions: scanSuppressions(text) };
  }

  forget(uri: string): void {
    this.previous.delete(uri);
  }
}
