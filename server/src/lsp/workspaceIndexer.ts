import { promises as fs } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileChangeType, type Connection, type FileEvent } from 'vscode-languageserver/node';
import { isKustomizationFile } from '../analysis/kustomize/kustomization';
import type { Analysis } from '../analysis/engine/analysis';
import { mayHoldReadKind } from '../analysis/model/readKinds';
import { findYamlFiles } from '../files/walk';
import type { OpenDocuments } from './openDocuments';
import { inBatches, withParses, type ParseWorkerClient } from './parseWorkerClient';
import { BACKGROUND_SLICE_MS, REQUESTS } from './requestGate';
import { describe } from './runner';

/** Files larger than this are left to the generic YAML features and never indexed. */
export const MAX_INDEXED_FILE_BYTES = 5 * 1024 * 1024;

/** Files from this size on are parsed on the worker thread (smaller ones cost less than the messages). */
const OFF_THREAD_CHARS = 32 * 1024;

/**
 * Keeps the project current with the YAML files of the workspace folders that are not open in the editor: a
 * background walk at start, then file-watch events. Open documents always win over the disk.
 */
export class WorkspaceIndexer {
  private readonly indexed = new Set<string>();
  private readonly folders: string[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly project: Analysis,
    private readonly open: OpenDocuments,
    private readonly changed: () => void,
    private readonly parser: ParseWorkerClient,
  ) {}

  setFolders(uris: readonly string[]): void {
    this.folders.splice(0, this.folders.length, ...uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)));
  }

  isInWorkspace(uri: string): boolean {
    if (!uri.startsWith('file:')) return false;
    const file = fileURLToPath(uri);
    return this.folders.some((folder) => file === folder || file.startsWith(folder.endsWith('/') ? folder : `${folder}/`));
  }

  /** Walks every folder and indexes its files in slices, yielding between them. Resolves with the count indexed. */
  async indexAll(): Promise<number> {
    const started = Date.now();
    let count = 0;
    for (const folder of this.folders) {
      let files: string[];
      try {
        files = await findYamlFiles(folder);
      } catch (error) {
        this.connection.console.warn(`cannot read workspace folder ${folder}: ${describe(error)}`);
        continue;
      }
      let sliceStart = Date.now();
      for (const file of files) {
        if (await this.load(pathToFileURL(file).toString())) count++;
        if (Date.now() - sliceStart > BACKGROUND_SLICE_MS) {
          await REQUESTS.turn();
          sliceStart = Date.now();
        }
      }
    }
    this.connection.console.info(`indexed ${count} workspace files in ${Date.now() - started} ms`);
    this.changed();
    return count;
  }

  /** Reads a file from disk into the project, unless it is open, too large or of no relevant kind. */
  async load(uri: string): Promise<boolean> {
    if (this.open.documents.get(uri)) return false;
    try {
      const file = fileURLToPath(uri);
      const stat = await fs.lstat(file);
      if (!stat.isFile() || stat.size > MAX_INDEXED_FILE_BYTES) return this.forget(uri);
      const text = await fs.readFile(file, 'utf8');
      // The editor may have opened the file while it was being read.
      if (this.open.documents.get(uri)) return false;
      // Kustomizations change the namespace and selectors of the resources they build (analysis/kustomize).
      if (!mayHoldReadKind(text) && !isKustomizationFile(uri)) return this.forget(uri);
      // A large file is parsed on the worker thread, or in slices here, yielding to requests between them; opened
      // meanwhile, the open document takes over (its staged analysis reuses every parse made here).
      if (text.length >= OFF_THREAD_CHARS && !(await this.parseOffThread(uri, text))) return false;
      // What the worker did not parse (it is not available, it stopped on a batch, or a document is too large for it)
      // is parsed here.
      if (!(await this.parseInSlices(uri, text))) return false;
      this.project.setFile(uri, text);
      this.indexed.add(uri);
      return true;
    } catch {
      return this.forget(uri);
    }
  }

  /**
   * Has the worker thread parse `text`'s documents, in batches sent at once (it parses the next while this thread
   * takes in the last); false when the editor opened the file meanwhile.
   */
  private async parseOffThread(uri: string, text: string): Promise<boolean> {
    if (!this.parser.available) return true;
    const batches = inBatches(this.project.unparsedDocuments(uri, text));
    // Once the editor opens the file, its staged analysis asks for what is left (first, from the end).
    const wanted = (): boolean => !this.open.documents.get(uri);
    const replies = batches.map((batch) =>
      this.parser.parse(
        batch.map((d) => d.text),
        { wanted },
      ),
    );
    for (const [i, reply] of replies.entries()) {
      const docs = await reply;
      // A batch left unparsed there (the file was opened, or the worker stopped on it) is parsed elsewhere; parses
      // that arrive after an open are supplied too: the open document's staged analysis takes them.
      if (!docs) continue;
      this.project.supplyParsed(uri, text, withParses(batches[i] ?? [], docs));
      await REQUESTS.turn();
    }
    return !this.open.documents.get(uri);
  }

  /** Parses `text` ahead, one slice per turn of the event loop; false when the editor opened the file meanwhile. */
  private async parseInSlices(uri: string, text: string): Promise<boolean> {
    for (;;) {
      const deadline = performance.now() + BACKGROUND_SLICE_MS;
      const progress = this.project.parseAhead(uri, text, () => performance.now() >= deadline);
      if (progress.ready === progress.total) return true;
      await REQUESTS.turn();
      if (this.open.documents.get(uri)) return false;
    }
  }

  private forget(uri: string): false {
    if (this.indexed.delete(uri) && !this.open.documents.get(uri)) this.project.removeFile(uri);
    return false;
  }

  async onWatchedFiles(events: readonly FileEvent[]): Promise<void> {
    for (const event of events) {
      if (!this.isInWorkspace(event.uri) || !/\.ya?ml$/i.test(event.uri)) continue;
      if (event.type === FileChangeType.Deleted) this.forget(event.uri);
      else await this.load(event.uri);
    }
    this.changed();
  }

  /** A document was closed: the disk's version takes its place (or nothing, outside the workspace). */
  async closed(uri: string): Promise<void> {
    if (this.isInWorkspace(uri) && (await this.load(uri))) return;
    this.indexed.delete(uri);
    this.project.removeFile(uri);
  }
}
