import { parseYamlDocument, type ParsedDocument } from '../documents/parsedDocument';
import { resplitSegments, type Resplit } from '../documents/resplit';
import { splitSegments, type Segment } from '../documents/segments';
import { scanSuppressions, type Suppressions } from '../documents/suppressions';
import type { PlacedDocument } from './fileModel';

/** What `FileModelBuilder` keeps of a file's last built version, as far as staging reuses it. */
export interface BuiltVersion {
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly documents: readonly PlacedDocument[];
  readonly byText: ReadonlyMap<string, ParsedDocument>;
}

/** How far the parse of one version of a file has come. */
export interface StagedProgress {
  /** Documents in this version of the file. */
  readonly total: number;
  /** Documents that have their parse (reused from an earlier version, or made). */
  readonly ready: number;
}

/**
 * One version of a file whose documents are parsed ahead of its build, a few at a time, in file order, so that a
 * large file's first analysis can yield between slices. Planned against the builder's last version of the file
 * (`base`): the documents that version already parsed are ready from the start, and `build` takes over the segments,
 * the re-split and every parse made here while `base` is still the last version.
 */
export class StagedParse {
  readonly split: Resplit | undefined;
  readonly segments: readonly Segment[];
  private readonly docs: (ParsedDocument | undefined)[];
  /** Documents before this index have been looked at (parsed, or found ready). */
  private next = 0;
  private readyCount = 0;
  private suppressionsValue: Suppressions | undefined;

  constructor(
    readonly text: string,
    readonly base: BuiltVersion | undefined,
    /** Parses made while staging, by text; handed on to the staging of a newer version of the file. */
    readonly byText: Map<string, ParsedDocument>,
  ) {
    this.split = base ? resplitSegments(base, text) : undefined;
    this.segments = this.split?.segments ?? splitSegments(text);
    this.docs = this.segments.map((segment, index) => {
      const same = this.split?.sameAs[index] ?? -1;
      const doc = (same === -1 ? undefined : base?.documents[same]?.doc) ?? byText.get(segment.text) ?? base?.byText.get(segment.text);
      if (doc) this.readyCount++;
      return doc;
    });
  }

  get progress(): StagedProgress {
    return { total: this.docs.length, ready: this.readyCount };
  }

  /** The parse of document `index`, if it is ready. */
  doc(index: number): ParsedDocument | undefined {
    return this.docs[index];
  }

  /** Parses the next documents without a parse until `stop()`, asked after each parse, says so (so at least one). */
  parseUntil(stop: () => boolean): StagedProgress {
    while (this.next < this.docs.length) {
      const index = this.next++;
      const segment = this.segments[index];
      if (this.docs[index] || !segment) continue;
      // Identical texts share one parse, as in `build`.
      const doc = this.byText.get(segment.text) ?? parseYamlDocument(segment.text);
      this.byText.set(segment.text, doc);
      this.docs[index] = doc;
      this.readyCount++;
      if (stop()) break;
    }
    return this.progress;
  }

  /** The documents still without a parse, by index, in file order (identical texts listed once: they share it). */
  unparsed(): { readonly index: number; readonly text: string }[] {
    const seen = new Set<string>();
    const out: { index: number; text: string }[] = [];
    this.docs.forEach((doc, index) => {
      const text = this.segments[index]?.text;
      if (doc || text === undefined || seen.has(text)) return;
      seen.add(text);
      out.push({ index, text });
    });
    return out;
  }

  /**
   * Takes a parse made elsewhere (a worker thread) for document `index`, and for every other document of the same
   * text. One that is not of this document's text is ignored: the caller parsed another version.
   */
  supply(index: number, doc: ParsedDocument): StagedProgress {
    const text = this.segments[index]?.text;
    if (text !== doc.text) return this.progress;
    this.byText.set(text, doc);
    for (const i of this.indicesOf(text)) {
      if (this.docs[i]) continue;
      this.docs[i] = doc;
      this.readyCount++;
    }
    return this.progress;
  }

  /** The documents of each text that had no parse when first asked (built once: a supply per document stays O(1)). */
  private sameText: Map<string, number[]> | undefined;

  private indicesOf(text: string): readonly number[] {
    if (!this.sameText) {
      this.sameText = new Map();
      this.docs.forEach((doc, i) => {
        const t = this.segments[i]?.text;
        if (doc || t === undefined) return;
        const list = this.sameText?.get(t);
        if (list) list.push(i);
        else this.sameText?.set(t, [i]);
      });
    }
    return this.sameText.get(text) ?? [];
  }

  /** The documents that have their parse, placed in the file. */
  readyDocuments(uri: string): PlacedDocument[] {
    const placed: PlacedDocument[] = [];
    this.docs.forEach((doc, index) => {
      const segment = this.segments[index];
      if (doc && segment) placed.push({ uri, index, startLine: segment.startLine, doc });
    });
    return placed;
  }

  /** The whole text's suppression comments: a `disable-file` at the end of the file holds for its first documents too. */
  get suppressions(): Suppressions {
    this.suppressionsValue ??= scanSuppressions(this.text);
    return this.suppressionsValue;
  }
}
