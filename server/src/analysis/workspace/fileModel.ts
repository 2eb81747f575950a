import { parseYamlDocument, type ParsedDocument } from '../documents/parsedDocument';
import { resplitSegments } from '../documents/resplit';
import { splitSegments, type Segment } from '../documents/segments';
import { MARKER, scanSuppressions, type Suppressions } from '../documents/suppressions';

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

/** What the builder keeps of a file's last version. */
interface Previous {
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly documents: readonly PlacedDocument[];
  /** Parses by document text: this version's, and some of earlier ones' (`dropped` counts those). */
  readonly byText: Map<string, ParsedDocument>;
  readonly dropped: number;
  /** Whether the text holds the suppression marker at all (without it, there are no suppressions to scan for). */
  readonly hasMarker: boolean;
  readonly suppressions: Suppressions;
}

/**
 * Builds file models, re-parsing only the documents whose text changed since the file's previous version:
 * an edit in one of 10 000 documents costs one document's parse, and a re-scan of the file's lines only around the
 * edit (`resplitSegments`). Documents that did not move keep their `PlacedDocument`.
 */
export class FileModelBuilder {
  private readonly previous = new Map<string, Previous>();

  build(uri: string, text: string): FileModel {
    const known = this.previous.get(uri);
    const split = known ? resplitSegments(known, text) : undefined;
    const segments = split?.segments ?? splitSegments(text);
    // The text map carries over, growing by the new texts; once the texts no longer in the file outnumber those in
    // it, it is rebuilt (parses of texts seen in earlier versions may be reused meanwhile: same text, same parse).
    const kept = split ? split.sameAs.reduce((n, j) => (j === -1 ? n : n + 1), 0) : 0;
    const dropped = known ? known.dropped + known.segments.length - kept : 0;
    const carried = known && dropped <= segments.length ? known.byText : undefined;
    const byText = carried ?? new Map<string, ParsedDocument>();
    let parsedCount = 0;
    const documents = segments.map((segment, index): PlacedDocument => {
      // An unchanged segment keeps its document (identical texts share one parse, so this is the one byText holds).
      const same = split?.sameAs[index] ?? -1;
      const before = same === -1 ? undefined : known?.documents[same];
      let doc = before?.doc ?? byText.get(segment.text) ?? known?.byText.get(segment.text);
      if (!doc) {
        doc = parseYamlDocument(segment.text);
        parsedCount++;
      }
      if (!before || !carried) byText.set(segment.text, doc);
      return before && before.index === index && before.startLine === segment.startLine ? before : { uri, index, startLine: segment.startLine, doc };
    });
    const hasMarker = known && split && !known.hasMarker ? markerAround(text, split.changed) : text.includes(MARKER);
    const suppressions = known && !known.hasMarker && !hasMarker ? known.suppressions : scanSuppressions(text);
    this.previous.set(uri, { text, segments, documents, byText, dropped: carried ? dropped : 0, hasMarker, suppressions });
    return { uri, documents, parsedCount, suppressions };
  }

  forget(uri: string): void {
    this.previous.delete(uri);
  }
}

/** Whether the suppression marker is in the new text, which had none outside `changed` (an unchanged stretch). */
function markerAround(text: string, changed: { readonly start: number; readonly end: number }): boolean {
  // An occurrence must overlap the change, so it may straddle either of its edges.
  return text.slice(Math.max(0, changed.start - MARKER.length + 1), changed.end + MARKER.length - 1).includes(MARKER);
}
