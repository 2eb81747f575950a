import type { FileModel, PlacedDocument } from './fileModel';

/**
 * Values derived from each document of a file, kept across versions: a document that is the same object as in the
 * file's previous version (same parse, same place: `FileModelBuilder` keeps those) keeps its value. Cheaper than a
 * lookup per document when 9 999 of 10 000 did not change.
 */
export class PerDocument<T> {
  private previous = new Map<string, { readonly documents: readonly PlacedDocument[]; readonly values: readonly T[] }>();

  constructor(private readonly derive: (placed: PlacedDocument) => T) {}

  of(model: FileModel): readonly T[] {
    const before = this.previous.get(model.uri);
    if (before?.documents === model.documents) return before.values;
    const values = model.documents.map((placed, i) => (before && before.documents[i] === placed ? before.values[i] : this.derive(placed)));
    this.previous.set(model.uri, { documents: model.documents, values });
    return values;
  }

  forget(uri: string): void {
    this.previous.delete(uri);
  }

  clear(): void {
    this.previous = new Map();
  }
}
