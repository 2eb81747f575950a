import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../analysis/findings';
import type { FileModel } from '../analysis/workspace/fileModel';
import { asConfigured, type Analysis } from '../analysis/engine/analysis';
import type { OpenDocuments } from './openDocuments';
import type { ParseWorkerClient } from './parseWorkerClient';
import type { ProjectSettings } from './projectSettings';
import { BACKGROUND_SLICE_MS, REQUESTS } from './requestGate';
import { describe } from './runner';
import { LARGE_DOCUMENT_CHARS, StagedAnalysis } from './stagedAnalysis';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'istio-egress';

const docUris = new Map<string, string>();

/** Rule pages ship with the extension (`docs/rules/`), so the link works offline. */
export function ruleDocUri(code: string): string {
  let uri = docUris.get(code);
  if (uri === undefined) {
    uri = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules', `${code}.md`)).toString();
    docUris.set(code, uri);
  }
  return uri;
}

/** Findings are immutable and the project hands out the same objects while they hold: convert each once. */
const converted = new WeakMap<Finding, Diagnostic>();

export function toDiagnostic(finding: Finding): Diagnostic {
  let diagnostic = converted.get(finding);
  if (!diagnostic) {
    diagnostic = convert(finding);
    converted.set(finding, diagnostic);
  }
  return diagnostic;
}

function convert(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocUri(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(finding.related.length ? { relatedInformation: finding.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message })) } : {}),
  };
}

/** Files from this size on are analysed once typing pauses (`schedule`), but for a lone edit of small documents. */
const LARGE_FILE_CHARS = 64 * 1024;
/** The pause that ends a typing burst: longer than the gap between keystrokes, short beside a large file's parse. */
const TYPING_PAUSE_MS = 45;
/** The longest a burst defers its run: diagnostics lag a long burst by about this much. */
const MAX_DEFER_MS = 250;

const largestOf = new WeakMap<FileModel, number>();

/** The length of a file's largest document (cached with the model). */
function largestDocument(model: FileModel): number {
  let largest = largestOf.get(model);
  if (largest === undefined) {
    largest = model.documents.reduce((max, d) => Math.max(max, d.doc.text.length), 0);
    largestOf.set(model, largest);
  }
  return largest;
}

/**
 * Publishes diagnostics for open documents. A lone edit is validated on the next turn of the event loop; edits that
 * arrive while a run is pending or under way join the next run, so a typing burst costs one run, not one per key.
 * A file with many documents to parse (opened, or replaced wholesale) is first parsed in slices (`StagedAnalysis`),
 * publishing its documents' local findings on the way; new work arriving meanwhile ends the run, and the next one
 * resumes where it stopped.
 */
export class DiagnosticsPublisher {
  private pending = new Set<string>();
  private scheduled = false;
  private running = false;
  /** The timer of a large file's run waiting for typing to pause, and when the burst began. */
  private quiet: ReturnType<typeof setTimeout> | undefined;
  private burstStart = 0;
  /** When a large file was last edited: an edit within TYPING_PAUSE_MS of it is typing. */
  private lastLargeEdit = 0;
  private readonly published = new Map<string, readonly Diagnostic[]>();
  private readonly staged: StagedAnalysis;
  /**
   * False while the first walk of the workspace folders is under way: cross-file findings then would say "no Service
   * defines this host" about a Service the walk has not read yet, and take it back a moment later.
   */
  private workspaceKnown = true;

  constructor(
    private readonly connection: Connection,
    private readonly analysis: Analysis,
    private readonly open: OpenDocuments,
    private readonly settings: ProjectSettings,
    parser?: ParseWorkerClient,
  ) {
    this.staged = new StagedAnalysis(
      analysis,
      open,
      (uri, version, findings) => this.publishFindings(uri, version, findings),
      () => this.pending.size > 0,
      parser,
    );
  }

  /** Something changed in `uri`: every open document may have new cross-file findings, this one first. */
  schedule(uri?: string): void {
    if (uri) this.pending.add(uri);
    for (const other of this.open.uris()) this.pending.add(other);
    // Only edits wait: a file just opened starts its (staged) first analysis at once.
    const large = uri !== undefined && this.open.wasSynced(uri) && (this.open.documents.get(uri)?.getText().length ?? 0) > LARGE_FILE_CHARS;
    if (large) {
      const now = Date.now();
      const typing = now - this.lastLargeEdit < TYPING_PAUSE_MS;
      this.lastLargeEdit = now;
      if (this.quiet) {
        // Typing on: the run waits for a pause again (its parse would hold every request of the burst), but never
        // longer than MAX_DEFER_MS after the burst's first edit, so diagnostics still follow a long burst.
        if (now - this.burstStart < MAX_DEFER_MS) {
          clearTimeout(this.quiet);
          this.quiet = setTimeout(() => this.runAfterPause(), TYPING_PAUSE_MS);
        }
        return;
      }
      if (typing || this.reparsesLargeDocument(uri)) {
        // The second keystroke of a burst, or any edit of a file with a large document (its re-parse would hold the
        // next keystroke's requests): the run waits for a pause in typing, and the completions and hovers of the
        // burst are answered meanwhile from the unparsed text (`Analysis.quickCompletionsAt`).
        this.burstStart = now;
        this.quiet = setTimeout(() => this.runAfterPause(), TYPING_PAUSE_MS);
        return;
      }
      // A lone edit, or a burst's first keystroke, of a file of small documents runs at once (it re-parses one
      // small document): the request gate puts its completion first.
    }
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  /** Whether the file's largest document, as last analysed, takes long to parse (unknown: assume so). */
  private reparsesLargeDocument(uri: string): boolean {
    const model = this.analysis.file(uri);
    return model === undefined || largestDocument(model) > LARGE_DOCUMENT_CHARS;
  }

  private runAfterPause(): void {
    this.quiet = undefined;
    // A run under way takes the pending files up again when it ends.
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    void this.run();
  }

  forget(uri: string): void {
    this.published.delete(uri);
    this.pending.delete(uri);
    this.staged.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    try {
      // A request that came with the edit (the completion after a keystroke) is answered before the run starts.
      await REQUESTS.turn();
      const uris = [...this.pending];
      this.pending.clear();
      for (const uri of uris) {
        if ((await this.staged.parse(uri)) === 'parsed') continue;
        // Interrupted by new work: the next run takes these files up again, reusing every parse made.
        for (const again of uris) this.pending.add(again);
        return;
      }
      this.open.syncAll();
      // Only the open files' workspace findings are shown: the rules need not run over what ties closed files alone.
      this.analysis.setFocus(new Set(this.open.uris()));
      for (const uri of uris) {
        if (!this.workspaceKnown || (await this.workspaceFindingsAhead(uri))) continue;
        for (const again of uris) this.pending.add(again);
        return;
      }
      for (const uri of uris) await this.publish(uri);
    } catch (error) {
      this.connection.console.error(`validation failed: ${describe(error)}`);
    } finally {
      this.running = false;
      // A run waiting for a pause in typing starts from its timer.
      if (this.pending.size && !this.quiet) {
        this.scheduled = true;
        setImmediate(() => void this.run());
      }
    }
  }

  /**
   * The workspace rules for `uri`, in slices with requests answered in between (a large workspace's first run takes
   * seconds); false when new work arrived meanwhile (the next run carries on: nothing is lost unless files changed).
   */
  private async workspaceFindingsAhead(uri: string): Promise<boolean> {
    for (;;) {
      const deadline = performance.now() + BACKGROUND_SLICE_MS;
      if (this.analysis.workspaceFindingsAhead(uri, () => performance.now() >= deadline)) return true;
      await REQUESTS.turn();
      if (this.pending.size > 0) return false;
    }
  }

  private async publish(uri: string): Promise<void> {
    const document = this.open.documents.get(uri);
    const model = this.open.model(uri);
    if (!document || !model) return;
    // TextDocuments updates its documents in place: read the version now, with the text the findings come from.
    const version = document.version;
    await this.publishFindings(uri, version, this.workspaceKnown ? 'all' : 'document');
  }

  /** The workspace walk started (false) or ended (true); at its end every open document is published again. */
  setWorkspaceKnown(known: boolean): void {
    this.workspaceKnown = known;
    if (known) this.schedule();
  }

  /**
   * Publishes findings of `version` of `uri`, as the file's project file wants them: those of a scope, or the partial
   * ones of a staged analysis.
   */
  private async publishFindings(uri: string, version: number, found: 'all' | 'document' | readonly Finding[]): Promise<void> {
    const config = await this.settings.configFor(uri);
    const findings = typeof found === 'string' ? this.analysis.findings(uri, { scope: found, config }) : asConfigured(found, { config });
    const diagnostics = findings.map(toDiagnostic);
    // A newer version arrived meanwhile: that version's run will publish.
    if (this.open.documents.get(uri)?.version !== version) return;
    const previous = this.published.get(uri);
    if (previous && sameDiagnostics(previous, diagnostics)) return;
    this.published.set(uri, diagnostics);
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}

/** Whether two lists publish the same thing: mostly the same objects, so compared by identity first, then by value. */
function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i] || sameValue(d, b[i]));
}

/** Deep equality of JSON-like values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((k) => Object.hasOwn(b, k) && sameValue(Reflect.get(a, k), Reflect.get(b, k)));
}
