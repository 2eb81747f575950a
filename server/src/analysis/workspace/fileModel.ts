import { parseYamlDocument, type ParsedDocument } from '../documents/parsedDocument';
import { resplitSegments } from '../documents/resplit';
import { splitSegments, type Segment } from '../documents/segments';
import { MARKER, scanSuppressions, type Suppressions } from '../documents/suppressions';
import { StagedParse, type StagedProgress } from './stagedParse';

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
  /** How many documents this build parsed (the rest came from earlier versions, or were parsed ahead: `parseAhead`). */
  readonly parsedCount: number;
  readonly suppressions: Suppressions;
  /** Set when the file is not analysed (too large, not text): why, in a sentence. */
  readonly skipped?: string;
  /** The rule that says so (EGR004 too large, EGR007 not text). */
  readonly skippedCode?: string;
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
  /** Versions whose documents are being parsed ahead of their build (`parseAhead`). */
  private readonly staged = new Map<string, StagedParse>();

  build(uri: string, text: string): FileModel {
    const known = this.previous.get(uri);
    const staged = this.staged.get(uri);
    this.staged.delete(uri);
    // Staged against this very version and base: its split and parses are this build's (a lookup by index).
    const plan = staged && staged.text === text && staged.base === known ? staged : undefined;
    const split = plan ? plan.split : known ? resplitSegments(known, text) : undefined;
    const segments = plan?.segments ?? split?.segments ?? splitSegments(text);
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
      let doc = before?.doc ?? plan?.doc(index) ?? byText.get(segment.text) ?? known?.byText.get(segment.text) ?? staged?.byText.get(segment.text);
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

  /**
   * Parses documents of `text`, the file's next version, ahead of its `build`, in file order, until `stop()` (asked
   * after each parse) says so: a large file's first analysis can then run in slices. Nothing is parsed when the text
   * is the last version built. A staging of another text of the file is replaced, its parses kept for reuse.
   */
  parseAhead(uri: string, text: string, stop: () => boolean): StagedProgress {
    return this.built(uri, text) ?? this.stage(uri, text).parseUntil(stop);
  }

  /** The documents of `text` still without a parse, for a parser elsewhere (`supply`); none when `text` is built. */
  unparsed(uri: string, text: string): { readonly index: number; readonly text: string }[] {
    return this.built(uri, text) ? [] : this.stage(uri, text).unparsed();
  }

  /** Parses made elsewhere of documents of `text` (by index): `build` and `parseAhead` take them as their own. */
  supply(uri: string, text: string, parsed: readonly { readonly index: number; readonly doc: ParsedDocument }[]): StagedProgress {
    const built = this.built(uri, text);
    if (built) return built;
    const other = this.staged.get(uri);
    if (other && other.text !== text) {
      // Another version is being staged (the file was opened and edited): the parses serve it by text, where equal.
      for (const { doc } of parsed) other.byText.set(doc.text, doc);
      return other.progress;
    }
    const staged = this.stage(uri, text);
    for (const { index, doc } of parsed) staged.supply(index, doc);
    return staged.progress;
  }

  /** Whether document `index` of `text` has its parse (false when `text` is neither built nor being staged). */
  isParsed(uri: string, text: string, index: number): boolean {
    if (this.built(uri, text)) return true;
    const staged = this.staged.get(uri);
    return staged?.text === text && staged.doc(index) !== undefined;
  }

  /** How far `text` is parsed (planning its staging without parsing, the first time). */
  progress(uri: string, text: string): StagedProgress {
    return this.built(uri, text) ?? this.stage(uri, text).progress;
  }

  /** The documents of `text` that have their parse, placed, with the text's suppressions; undefined before planning. */
  readyDocuments(uri: string, text: string): { readonly documents: readonly PlacedDocument[]; readonly suppressions: Suppressions } | undefined {
    const known = this.previous.get(uri);
    if (known?.text === text) return known;
    const staged = this.staged.get(uri);
    return staged?.text === text ? { documents: staged.readyDocuments(uri), suppressions: staged.suppressions } : undefined;
  }

  private built(uri: string, text: string): StagedProgress | undefined {
    const known = this.previous.get(uri);
    return known?.text === text ? { total: known.documents.length, ready: known.documents.length } : undefined;
  }

  private stage(uri: string, text: string): StagedParse {
    const known = this.previous.get(uri);
    const staged = this.staged.get(uri);
    if (staged && staged.text === text && staged.base === known) return staged;
    const fresh = new StagedParse(text, known, staged?.byText ?? new Map<string, ParsedDocument>());
    this.staged.set(uri, fresh);
    return fresh;
  }

  forget(uri: string): void {
    this.previous.delete(uri);
    this.staged.delete(uri);
  }
}

/** Whether the suppression marker is in the new text, which had none outside `changed` (an unchanged stretch). */
function markerAround(text: string, changed: { readonly start: number; readonly end: number }): boolean {
  // An occurrence must overlap the change, so it may straddle either of its edges.
  return text.slice(Math.max(0, changed.start - MARKER.length + 1), changed.end + MARKER.length - 1).includes(MARKER);
}

/** The document holding a line: the last one starting at or above it (a binary search: called per finding). */
export function documentAtLine(model: Pick<FileModel, 'documents'>, line: number): PlacedDocument | undefined {
  const docs = model.documents;
  let low = 0;
  let high = docs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((docs[mid]?.startLine ?? 0) <= line) low = mid;
    else high = mid - 1;
  }
  return docs[low];
}
