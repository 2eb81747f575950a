import { completions, type Suggestion } from '../assist/completions';
import type { AssistContext } from '../assist/context';
import { hoverFacts, type HoverFacts } from '../assist/hovers';
import { definitionsAt, highlightsAt, referencesAt, type NavHighlight, type NavLocation } from '../assist/navigation';
import { applyConfig, EMPTY_CONFIG, isIgnored, type ProjectConfig } from '../config/projectConfig';
import { quickAssist, type QuickAssist } from '../assist/quickAssist';
import { locate } from '../documents/locate';
import type { Skeleton } from '../documents/skeleton';
import { yamlTreeOf, type ParsedDocument } from '../documents/parsedDocument';
import { NO_SUPPRESSIONS } from '../documents/suppressions';
import type { RelativeFix } from '../edits';
import type { Finding, Fix } from '../findings';
import type { AnalysisOptions } from '../options';
import { serviceToServiceEntry } from '../refactor/toServiceEntry';
import type { Rule } from '../rules/rule';
import { suppressionFixer } from '../suppressionFixes';
import type { Position, Range } from '../text';
import { documentAtLine, type FileModel } from '../workspace/fileModel';
import { fileRange, placeResource } from '../workspace/placed';
import type { StagedProgress } from '../workspace/stagedParse';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { isRenderedUri, type ChartState } from '../render/chartFindings';
import { isBuiltUri, type OverlayState } from '../render/overlayFindings';
import { sortFindings } from '../findings';
import { ChartOutputs } from './charts';
import { BuiltOverlays } from './overlays';
import { Project, type WorkspaceAnalysis } from './project';

/** What a file's nearest project file (`.istio-egress.yaml`) says, as the adapter found it on disk. */
export interface FileConfig {
  readonly config: ProjectConfig;
  /** The file's path relative to the project file's folder, matched against its `ignore` globs; unset: never ignored. */
  readonly path?: string;
}

export interface FindingsRequest {
  /** `document`: only what the file alone shows (while the rest of the workspace is not known yet). */
  readonly scope?: 'all' | 'document';
  readonly config?: FileConfig;
  /** Rule codes left out besides those the project file disables (the CLI's `--disable`). */
  readonly disabled?: readonly string[];
}

/** A change that resolves a finding: one a rule attached, or a suppression comment. */
export interface QuickFix {
  readonly finding: Finding;
  readonly fix: Fix;
}

/**
 * The analysis as the language server, the CLI and the tests use it: files in, findings (suppressions and project
 * settings applied), assists at a position, fixes for findings, refactorings for a range out. Adapters convert to
 * and from their protocol; nothing here reads disk or knows an editor.
 */
export class Analysis {
  private readonly project: Project;
  private readonly charts: ChartOutputs;
  private readonly overlays: BuiltOverlays;

  constructor(options?: AnalysisOptions, rules?: readonly Rule[], workspaceAnalysis?: WorkspaceAnalysis) {
    this.project = new Project(options, rules, workspaceAnalysis);
    this.charts = new ChartOutputs(this.project);
    this.overlays = new BuiltOverlays(this.project);
  }

  get options(): AnalysisOptions {
    return this.project.options;
  }

  setOptions(options: AnalysisOptions): void {
    this.project.setOptions(options);
  }

  setFile(uri: string, text: string): FileModel {
    return this.project.setFile(uri, text);
  }

  /** Computes the workspace findings of `uri` in steps until `stop()`; true once ready (`Project.workspaceFindingsAhead`). */
  workspaceFindingsAhead(uri: string, stop: () => boolean): boolean {
    return this.project.workspaceFindingsAhead(uri, stop);
  }

  /** The files whose workspace findings are wanted (an editor's open files); undefined: all (`Project.setFocus`). */
  setFocus(uris: ReadonlySet<string> | undefined): void {
    this.project.setFocus(uris);
  }

  /** Keeps a file out of the analysis (too large), with a finding that says why. */
  setSkipped(uri: string, reason: string): FileModel {
    return this.project.setSkipped(uri, reason);
  }

  removeFile(uri: string): void {
    this.project.removeFile(uri);
  }

  /**
   * What a Helm chart (`chart`: its folder's uri, ending in `/`) rendered, or why it did not; undefined forgets it. A
   * rendered chart's output takes its templates' place in every lookup, and findings on it come back on the template
   * lines (and in the values files) that produced them.
   */
  setChart(chart: string, state: ChartState | undefined): void {
    this.charts.set(chart, state);
  }

  /**
   * What `kubectl kustomize` built for an overlay (`kustomization`: its kustomization file's uri), or why it did not;
   * undefined forgets it. The output takes the place of the build's resource files in every lookup, and findings on it
   * come back on the files and patches that define what it holds.
   */
  setOverlay(kustomization: string, state: OverlayState | undefined): void {
    this.overlays.set(kustomization, state);
  }

  file(uri: string): FileModel | undefined {
    return this.project.file(uri);
  }

  /** The files set (rendered chart output is not one of them). */
  *uris(): Generator<string> {
    for (const uri of this.project.uris()) if (!isRenderedUri(uri) && !isBuiltUri(uri)) yield uri;
  }

  /** Every resource known, by the keys lookups use (for the probe and the adapters' own lookups). */
  index(): WorkspaceIndex {
    return this.project.index();
  }

  /** A large file's first analysis in slices: parse `text` ahead until `stop()` says so (`Project.parseAhead`). */
  parseAhead(uri: string, text: string, stop: () => boolean): StagedProgress {
    return this.project.parseAhead(uri, text, stop);
  }

  /** The documents of `text` that `setFile` would parse (`Project.unparsedDocuments`). */
  unparsedDocuments(uri: string, text: string): { readonly index: number; readonly text: string }[] {
    return this.project.unparsedDocuments(uri, text);
  }

  /** Parses made elsewhere of documents of `text` (`Project.supplyParsed`). */
  supplyParsed(uri: string, text: string, parsed: readonly { readonly index: number; readonly doc: ParsedDocument }[]): StagedProgress {
    return this.project.supplyParsed(uri, text, parsed);
  }

  /** Whether document `index` of `text` has its parse (`Project.isParsed`). */
  isParsed(uri: string, text: string, index: number): boolean {
    return this.project.isParsed(uri, text, index);
  }

  parseProgress(uri: string, text: string): StagedProgress {
    return this.project.parseProgress(uri, text);
  }

  /** The document findings of the documents parsed so far, while a staged parse is under way. */
  partialFindings(uri: string, text: string): Finding[] {
    return this.project.partialFindings(uri, text);
  }

  /** A file's findings, sorted, as its project file wants them: none when it ignores the file. */
  findings(uri: string, request: FindingsRequest = {}): Finding[] {
    const scope = request.scope ?? 'all';
    let found = this.project.findings(uri, scope);
    if (this.charts.any) found = this.charts.findings(uri, found, scope);
    if (this.overlays.any) found = this.overlays.findings(uri, found, scope);
    return asConfigured(this.charts.any || this.overlays.any ? sortFindings(found) : found, request);
  }

  /** What the assists see at a file position: the document there, the spot in it, the workspace. */
  assistAt(uri: string, position: Position): AssistContext | undefined {
    const model = this.project.file(uri);
    const placed = model && documentAtLine(model, position.line);
    if (!placed) return undefined;
    let spot: ReturnType<typeof locate>;
    try {
      spot = locate(placed.doc.text, { line: position.line - placed.startLine, character: Math.max(0, position.character) }, yamlTreeOf(placed.doc));
    } catch {
      // Too deep for the parser's recursion: no workspace-aware suggestions here.
      spot = { kind: 'none' };
    }
    return { spot, placed, index: this.project.indexFor(uri), options: this.project.options };
  }

  /**
   * The assist context from the editor's current `text` of a file whose model is behind it, without parsing the file
   * first (`assist/quickAssist.ts`); undefined when only the whole parse can answer.
   */
  private quickAssistAt(uri: string, text: string, position: Position): { readonly assist: AssistContext; readonly skeleton?: Skeleton } | undefined {
    // A file opened but never analysed yet (its first analysis is under way) has no model: its documents count from 0.
    const model = this.project.file(uri) ?? { uri, documents: [], parsedCount: 0, suppressions: NO_SUPPRESSIONS };
    if (model.skipped) return undefined;
    let quick: QuickAssist | undefined;
    try {
      quick = quickAssist(model, text, position);
    } catch {
      // Too deep for the parser's recursion: the whole path answers (with nothing).
      return undefined;
    }
    if (!quick) return undefined;
    const assist = { spot: quick.spot, placed: quick.placed, index: this.project.indexFor(uri), options: this.project.options };
    return quick.skeleton ? { assist, skeleton: quick.skeleton } : { assist };
  }

  /** `completionsAt` from the editor's current text of a file whose model is behind it (`quickAssistAt`). */
  quickCompletionsAt(uri: string, text: string, position: Position): { readonly assist: AssistContext; readonly suggestions: Suggestion[]; readonly skeleton?: Skeleton } | undefined {
    const quick = this.quickAssistAt(uri, text, position);
    return quick && { ...quick, suggestions: completions(quick.assist) };
  }

  /** `hoverAt` from the editor's current text of a file whose model is behind it (`quickAssistAt`). */
  quickHoverAt(uri: string, text: string, position: Position): { readonly assist: AssistContext; readonly facts: HoverFacts | undefined; readonly skeleton?: Skeleton } | undefined {
    const quick = this.quickAssistAt(uri, text, position);
    return quick && { ...quick, facts: hoverFacts(quick.assist) };
  }

  /** Workspace-aware completions at a position (ranges relative to the document at `assist.placed`). */
  completionsAt(uri: string, position: Position): { readonly assist: AssistContext; readonly suggestions: Suggestion[] } | undefined {
    const assist = this.assistAt(uri, position);
    return assist && { assist, suggestions: completions(assist) };
  }

  /** Facts about the name at a position, from the workspace (range relative to the document at `assist.placed`). */
  hoverAt(uri: string, position: Position): { readonly assist: AssistContext; readonly facts: HoverFacts | undefined } | undefined {
    const assist = this.assistAt(uri, position);
    return assist && { assist, facts: hoverFacts(assist) };
  }

  /**
   * The fixes for these findings of one file whose text is `text`: first those the rules attached, then the
   * suppression comments (one per code and line, however many findings share them).
   */
  quickFixes(findings: readonly Finding[], text: string): QuickFix[] {
    const fixes = findings.flatMap((finding) => (finding.fixes ?? []).map((fix) => ({ finding, fix })));
    const suppressions = new Map<string, QuickFix>();
    const suppress = suppressionFixer(text);
    for (const finding of findings) {
      for (const fix of suppress(finding)) {
        const key = `${fix.title} ${finding.range.start.line}`;
        if (!suppressions.has(key)) suppressions.set(key, { finding, fix });
      }
    }
    return [...fixes, ...suppressions.values()];
  }

  /**
   * "Convert to a ServiceEntry" for each Service whose document the range touches. `beforeLookup` runs only when
   * there is one, before the workspace is read (an editor brings its other open files up to date there).
   */
  refactorings(uri: string, range: Range, beforeLookup?: () => void): Fix[] {
    const model = this.project.file(uri);
    if (!model) return [];
    const { start, end } = range;
    // Cursor moves ask for code actions: find the Services under the range before anything costs.
    const services = model.documents.filter((placedDoc, i) => {
      const nextStart = model.documents[i + 1]?.startLine ?? Number.POSITIVE_INFINITY;
      return placedDoc.startLine <= end.line && nextStart > start.line && placedDoc.doc.resource?.kindName === 'Service';
    });
    if (services.length === 0) return [];
    beforeLookup?.();
    const index = this.project.index();
    return services.flatMap((placedDoc) => {
      const placed = placeResource(placedDoc);
      if (placed?.resource.kindName !== 'Service') return [];
      const fix = serviceToServiceEntry({ ...placed, resource: placed.resource }, index, this.project.options);
      return fix ? [placedFix(fix)] : [];
    });
  }

  definitions(uri: string, position: Position): NavLocation[] {
    return this.onFiles(definitionsAt(this.project, uri, position));
  }

  references(uri: string, position: Position, includeDeclaration: boolean): NavLocation[] {
    return this.onFiles(referencesAt(this.project, uri, position, includeDeclaration));
  }

  /** Locations with those in rendered chart output moved to their templates. */
  private onFiles(locations: NavLocation[]): NavLocation[] {
    let out = locations;
    if (this.charts.any) out = out.flatMap((l) => this.charts.location(l) ?? []);
    if (this.overlays.any) out = out.flatMap((l) => this.overlays.location(l) ?? []);
    return out;
  }

  highlights(uri: string, position: Position): NavHighlight[] {
    return highlightsAt(this.project, uri, position);
  }
}

/** Findings of one file as its project file wants them (and without the rules `disabled` names): none when ignored. */
export function asConfigured(findings: readonly Finding[], request: Pick<FindingsRequest, 'config' | 'disabled'>): Finding[] {
  const config = request.config;
  if (config?.path !== undefined && isIgnored(config.path, config.config.ignore)) return [];
  return config || request.disabled?.length ? applyConfig(findings, config?.config ?? EMPTY_CONFIG, request.disabled) : [...findings];
}

function placedFix(fix: RelativeFix): Fix {
  return {
    title: fix.title,
    edits: fix.edits.map((edit) => ({ uri: edit.at.uri, range: fileRange(edit.at, edit.range), newText: edit.newText })),
    ...(fix.preferred ? { preferred: true } : {}),
  };
}
