import { TextDocuments } from 'vscode-languageserver/node';
import type { FileModel } from '../analysis/workspace/fileModel';
import type { Analysis } from '../analysis/engine/analysis';
import { CLAMPED_TEXT_DOCUMENTS } from './clampedTextDocuments';
import { SETTING_DEFAULTS } from '../shared/settings';
import { MIN_STAGED_DOCUMENTS } from './stagedAnalysis';

/**
 * The editor's open documents, fed into the project lazily: a burst of edits is parsed once, when a request or a
 * validation next asks for the file.
 */
export class OpenDocuments {
  /** Changes are clamped into the document before they apply, so the server holds the text the editor holds. */
  readonly documents = new TextDocuments(CLAMPED_TEXT_DOCUMENTS);
  /** The text each open document had when last given to the project (versions may repeat or go back). */
  private readonly synced = new Map<string, string>();
  /** Documents larger than this get generic YAML features only (no egress analysis). */
  maxBytes = SETTING_DEFAULTS.maxFileSizeMB * 1024 * 1024;

  constructor(private readonly project: Analysis) {}

  /** The file's model at the editor's current version, or undefined when the document is not open. */
  model(uri: string): FileModel | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const text = document.getText();
    if (this.synced.get(uri) !== text) {
      if (text.length > this.maxBytes) {
        const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
        this.project.setSkipped(uri, `This file is ${mb(text.length)} MB, above the ${mb(this.maxBytes)} MB limit (istioEgress.maxFileSizeMB): egress checks are off for it.`);
      } else {
        this.project.setFile(uri, text);
      }
      this.synced.set(uri, text);
    }
    return this.project.file(uri);
  }

  /** Whether the document has been given to the project at least once (it is being edited, not just opened). */
  wasSynced(uri: string): boolean {
    return this.synced.has(uri);
  }

  /**
   * The editor's text of an open document whose model is behind it, within the size limit: edits not parsed yet, or
   * a just-opened file with many documents left to parse (its staged first analysis is under way, and a request that
   * asked for the model would parse them all at once). Undefined when the model is current or cheap to bring up to
   * date, or the document is not open.
   */
  pendingText(uri: string): string | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const text = document.getText();
    if (text.length > this.maxBytes) return undefined;
    const synced = this.synced.get(uri);
    if (synced !== undefined) return synced !== text ? text : undefined;
    const progress = this.project.parseProgress(uri, text);
    return progress.total - progress.ready >= MIN_STAGED_DOCUMENTS ? text : undefined;
  }

  /** Brings every open document's model up to date (cross-file rules need them all). */
  syncAll(): void {
    for (const document of this.documents.all()) this.model(document.uri);
  }

  /** Forgets every synced version, so the next ask re-reads each document (after the size limit changed). */
  resync(): void {
    this.synced.clear();
  }

  closed(uri: string): void {
    this.synced.delete(uri);
  }

  uris(): string[] {
    return this.documents.keys();
  }
}
