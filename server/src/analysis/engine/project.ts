import type { ParsedDocument } from '../documents/parsedDocument';
import { placeholderAt } from '../documents/templates';
import { isSuppressed, NO_SUPPRESSIONS } from '../documents/suppressions';
import { sortFindings, type Finding } from '../findings';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../options';
import { RULES } from '../rules';
import { holdsFor, type DocumentRule, type LocalFinding, type Rule, type WorkspaceRule } from '../rules/rule';
import { range, shiftRange, type Range } from '../text';
import { fileSkipped } from '../rules/fileSkipped';
import { notText, notTextReason } from '../rules/notText';
import { templateFile, templateNote } from '../rules/templateFile';
import { kustomizeBuild, kustomizeNote } from '../rules/kustomizeBuild';
import { withOverlay } from '../kustomize/effective';
import { isKustomizationFile } from '../kustomize/kustomization';
import { withReleaseNamespace } from '../render/releaseNamespace';
import { ProjectOverlays } from '../kustomize/projectOverlays';
import { isIndexed } from '../workspace/workspaceIndex';
import { FileModelBuilder, type FileModel, type PlacedDocument } from '../workspace/fileModel';
import { IncrementalWorkspaceFindings } from './incrementalFindings';
import { PerDocument } from '../workspace/perDocument';
import { placeLocalFixes } from '../workspace/placeFixes';
import type { StagedProgress } from '../workspace/stagedParse';
import { wholeWorkspaceFindings } from './workspaceFindings';
import { WorkspaceIndex } from '../workspace/workspaceIndex';

/**
 * How workspace rules run after a change: `incremental` re-runs them only over the resources tied to what changed;
 * `whole` runs them over everything, the plain definition the tests hold `incremental` to.
 */
export type WorkspaceAnalysis = 'incremental' | 'whole';

interface CachedLocal {
  readonly rule: DocumentRule;
  readonly finding: LocalFinding;
}

/**
 * Everything the analysis knows: the files (open or on disk), their parsed documents and the findings.
 * Document rules run once per distinct document text; workspace rules run when a file changed since the last ask,
 * over the resources the change can affect.
 */
export class Project {
  private readonly files = new Map<string, FileModel>();
  /** The files as written, before kustomize's changes (`files` holds them as built). */
  private readonly raw = new Map<string, FileModel>();
  private readonly overlays = new ProjectOverlays();
  /** Rendered chart output: the namespace its resources land in when they name none (the release's). */
  private readonly releaseNamespaces = new Map<string, string>();
  /**
   * Files whose rendered or built output stands in for them (chart templates, the resources of a built overlay), with
   * what supersedes them: their own resources are not looked up.
   */
  private readonly superseded = new Map<string, Set<string>>();
  private readonly builder = new FileModelBuilder();
  private localCache = new WeakMap<ParsedDocument, readonly CachedLocal[]>();
  /** Each document's findings placed in its file: the same objects while the document stays where it is. */
  private readonly placedLocal = new PerDocument((placed) => this.placeLocalFindings(placed));
  /** The workspace findings since the last change, for the files they were computed for (`covers`). */
  private workspaceCache: { readonly byUri: Map<string, Finding[]>; readonly covers: ReadonlySet<string> | 'all' } | undefined;
  /** A computation of workspace findings under way in steps (`workspaceFindingsAhead`); any change drops it. */
  private pendingWorkspace: PendingWorkspace | undefined;
  /** The files whose workspace findings are wanted (`setFocus`); undefined: every file. */
  private focus: ReadonlySet<string> | undefined;
  private indexCache: WorkspaceIndex | undefined;
  /** The index before the last changes, and which files those changes touched (`indexFor`). */
  private lastIndex: { readonly index: WorkspaceIndex; readonly builtAt: number; readonly changed: Set<string> } | undefined;
  private indexBuiltAt = 0;
  private readonly documentRules: readonly DocumentRule[];
  /** The document rules for each kind of resource (`DocumentRule.kinds`), in rule order; '' for no resource. */
  private readonly documentRulesByKind = new Map<string, readonly DocumentRule[]>();
  private readonly workspaceRules: readonly WorkspaceRule[];
  private readonly incremental: IncrementalWorkspaceFindings | undefined;

  constructor(
    private optionsValue: AnalysisOptions = DEFAULT_OPTIONS,
    rules: readonly Rule[] = RULES,
    workspaceAnalysis: WorkspaceAnalysis = 'incremental',
  ) {
    this.documentRules = rules.filter((r): r is DocumentRule => r.scope === 'document');
    this.workspaceRules = rules.filter((r): r is WorkspaceRule => r.scope === 'workspace');
    this.incremental = workspaceAnalysis === 'incremental' ? new IncrementalWorkspaceFindings(this.workspaceRules) : undefined;
  }

  get options(): AnalysisOptions {
    return this.optionsValue;
  }

  setOptions(options: AnalysisOptions): void {
    this.optionsValue = options;
    this.localCache = new WeakMap();
    this.placedLocal.clear();
    this.incremental?.clear();
    this.invalidate();
  }

  /** `releaseNamespace`: for rendered chart output, where resources that name no namespace land. */
  setFile(uri: string, text: string, releaseNamespace?: string): FileModel {
    if (releaseNamespace === undefined) this.releaseNamespaces.delete(uri);
    else this.releaseNamespaces.set(uri, releaseNamespace);
    const binary = notTextReason(text);
    if (binary) return this.setSkipped(uri, binary, notText.code);
    const relayout = this.overlays.update(uri, text);
    const known = this.files.has(uri);
    const model = this.place(this.builder.build(uri, text), relayout);
    // A kustomization change moves other files' resources, and an index of before a file was added knows nothing of
    // it: no index of before may serve then.
    this.invalidate(relayout || !known ? undefined : uri);
    return model;
  }

  /** Keeps a file out of the analysis (too large to analyse as you type), with a finding that says why. */
  setSkipped(uri: string, reason: string, code: string = fileSkipped.code): FileModel {
    this.forget(uri);
    const model = this.place({ uri, documents: [], parsedCount: 0, suppressions: NO_SUPPRESSIONS, skipped: reason, skippedCode: code }, this.overlays.update(uri, ''));
    this.invalidate();
    return model;
  }

  /**
   * Whether a file is replaced by output `by` stands for (a chart's rendering, an overlay's build): its resources then
   * leave the lookups and its note (EGR005) goes, while the file stays for completion and navigation in its own text.
   */
  setSuperseded(uri: string, by: string, superseded: boolean): void {
    const owners = this.superseded.get(uri) ?? new Set<string>();
    if (superseded === owners.has(by)) return;
    if (superseded) owners.add(by);
    else owners.delete(by);
    if (owners.size) this.superseded.set(uri, owners);
    else this.superseded.delete(uri);
    this.invalidate();
  }

  isSuperseded(uri: string): boolean {
    return this.superseded.has(uri);
  }

  /** A file as written, before kustomize's changes (patches keep their kind and name here). */
  rawFile(uri: string): FileModel | undefined {
    return this.raw.get(uri);
  }

  /**
   * The files a kustomization's build reads, as far as the analysis follows it: the resources of the build it roots
   * and the patches it applies (for one that another kustomization includes: the resource files in and under its
   * folder, and the patch files there).
   */
  buildSources(kustomization: string): { readonly resources: readonly string[]; readonly patches: readonly string[] } {
    const resources = this.overlays.buildOf(kustomization);
    const patches = this.overlays.patchesOf(kustomization);
    if (resources && patches) return { resources, patches };
    const folder = kustomization.slice(0, kustomization.lastIndexOf('/') + 1);
    const under = [...this.raw.keys()].filter((uri) => uri.startsWith(folder) && uri !== kustomization && !isKustomizationFile(uri));
    const isPatch = (uri: string): boolean => this.overlays.contextOf(uri)?.patchFile === true;
    return { resources: under.filter((uri) => !isPatch(uri)), patches: under.filter(isPatch) };
  }

  removeFile(uri: string): void {
    this.releaseNamespaces.delete(uri);
    this.raw.delete(uri);
    const wasSet = this.files.delete(uri);
    // Also when it was never set: a staged first parse of it may be under way.
    this.forget(uri);
    if (this.overlays.update(uri, undefined)) this.placeAll();
    if (wasSet) this.invalidate();
  }

  /**
   * Stores a file's model as the analysis sees it: as kustomize builds it (`kustomize/`), which for most files is
   * the model itself. A change to a kustomization or a patch file places every file again.
   */
  private place(raw: FileModel, relayout: boolean): FileModel {
    this.raw.set(raw.uri, raw);
    if (relayout) this.placeAll();
    else this.files.set(raw.uri, this.effective(raw));
    return this.files.get(raw.uri) ?? raw;
  }

  private placeAll(): void {
    this.overlays.recompute(this.raw);
    for (const raw of this.raw.values()) this.files.set(raw.uri, this.effective(raw));
  }

  /** A file's model as the cluster would get it: built by kustomize, or given the release namespace of its chart. */
  private effective(raw: FileModel): FileModel {
    return withReleaseNamespace(withOverlay(raw, this.overlays.contextOf(raw.uri)), this.releaseNamespaces.get(raw.uri));
  }

  /** The files whose resources the lookups and workspace rules see: all but superseded chart templates. */
  private *analysed(): Generator<FileModel> {
    for (const [uri, model] of this.files) if (!this.superseded.has(uri)) yield model;
  }

  /**
   * Parses documents of `text`, the next version of `uri`, ahead of `setFile`, until `stop()` (asked after each
   * parse) says so. A large file's first analysis runs in slices this way; `setFile` then reuses every parse.
   */
  parseAhead(uri: string, text: string, stop: () => boolean): StagedProgress {
    return this.builder.parseAhead(uri, text, stop);
  }

  /** The documents of `text`, the next version of `uri`, that `setFile` would parse: for a parser elsewhere. */
  unparsedDocuments(uri: string, text: string): { readonly index: number; readonly text: string }[] {
    return this.builder.unparsed(uri, text);
  }

  /** Parses of documents of `text` made elsewhere (a worker thread, by `unparsedDocuments` index), for `setFile`. */
  supplyParsed(uri: string, text: string, parsed: readonly { readonly index: number; readonly doc: ParsedDocument }[]): StagedProgress {
    return this.builder.supply(uri, text, parsed);
  }

  /** Whether document `index` of `text`, the next version of `uri`, has its parse. */
  isParsed(uri: string, text: string, index: number): boolean {
    return this.builder.isParsed(uri, text, index);
  }

  /** How many documents of `text` have their parse already (the rest `setFile` or `parseAhead` would parse). */
  parseProgress(uri: string, text: string): StagedProgress {
    return this.builder.progress(uri, text);
  }

  /**
   * The findings of `text` (the next version of `uri`) known before all its documents are parsed: the document-local
   * findings of those parsed so far, suppressions applied as in `findings` — each one of `findings` once the file is
   * set. Workspace findings need every document (a Service's Endpoints may be further down), so there are none here.
   */
  partialFindings(uri: string, text: string): Finding[] {
    const ready = this.builder.readyDocuments(uri, text);
    if (!ready) return [];
    const out: Finding[] = [];
    for (const placed of ready.documents) appendAll(out, this.placeLocalFindings(placed));
    return sortFindings(out.filter((f) => !isSuppressed(ready.suppressions, f.code, f.range.start.line)));
  }

  private forget(uri: string): void {
    this.builder.forget(uri);
    this.placedLocal.forget(uri);
    this.incremental?.forget(uri);
  }

  file(uri: string): FileModel | undefined {
    return this.files.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  index(): WorkspaceIndex {
    if (!this.indexCache) this.indexBuiltAt = Date.now();
    this.indexCache ??= WorkspaceIndex.build(this.analysed(), { clusterDomain: this.optionsValue.clusterDomain });
    return this.indexCache;
  }

  /**
   * All findings of one file, sorted by position, suppression comments applied; with `document`, only those its own
   * documents show (no cross-file rules).
   */
  findings(uri: string, scope: 'all' | 'document' = 'all'): Finding[] {
    const model = this.files.get(uri);
    // Rendered or built output stands in for the file: what it says as written is not what deploys.
    if (!model || this.superseded.has(uri)) return [];
    const out: Finding[] = [];
    if (model.skipped) {
      const rule = model.skippedCode === notText.code ? notText : fileSkipped;
      out.push({ code: rule.code, severity: rule.severity, message: model.skipped, uri, range: range(0, 0, 0, 0), related: [] });
    }
    for (const found of this.placedLocal.of(model)) appendAll(out, found);
    const quiet = quietSpans(model);
    // `document`: what the file alone shows, for when the rest of the workspace is not known yet.
    const fromWorkspace = scope === 'all' ? this.workspaceFindings(uri) : [];
    // Findings on an unrendered template judge text that is not YAML yet, and on what an overlay changes a resource
    // that is not built as written: neither is reported, nor is one that leans on such a document elsewhere.
    for (const f of fromWorkspace) if (!inSpans(quiet, f.range.start.line) && !f.related.some((r) => this.isQuiet(r.uri, r.range.start.line))) out.push(f);
    // A chart's values files hold template text for `tpl` to render: data, never a manifest to check once rendered.
    const template = VALUES_FILE.test(uri) ? undefined : quiet.find((s) => s.template)?.template;
    if (template) out.push({ code: templateFile.code, severity: templateFile.severity, message: templateNote(), uri, range: template, related: [] });
    const build = this.overlays.buildOf(uri);
    if (build && build.some((file) => this.files.get(file)?.documents.some((d) => d.doc.resource && isIndexed(d.doc.resource)))) {
      out.push({ code: kustomizeBuild.code, severity: kustomizeBuild.severity, message: kustomizeNote(uri), uri, range: range(0, 0, 0, 0), related: [] });
    }
    return sortFindings(out.filter((f) => !isSuppressed(model.suppressions, f.code, f.range.start.line)));
  }

  private isQuiet(uri: string, line: number): boolean {
    const model = this.files.get(uri);
    return model !== undefined && inSpans(quietSpans(model), line);
  }

  /** `changed`: the one file whose change made the index stale (an assist in it may still use the last index). */
  private invalidate(changed?: string): void {
    this.workspaceCache = undefined;
    this.pendingWorkspace = undefined;
    if (this.indexCache) this.lastIndex = { index: this.indexCache, builtAt: this.indexBuiltAt, changed: new Set() };
    this.indexCache = undefined;
    if (!this.lastIndex) return;
    if (changed === undefined) this.lastIndex = undefined;
    else this.lastIndex.changed.add(changed);
  }

  /**
   * The index for an assist in `uri`: the current one, or, while someone types in `uri`, the last one built if only
   * `uri` changed since and it is younger than `STALE_INDEX_MS`. Rebuilding it costs tens of milliseconds at 10 000
   * documents, on every keystroke; the assist reads the document under the cursor from the current parse anyway, and
   * other files have not changed.
   */
  indexFor(uri: string): WorkspaceIndex {
    const last = this.lastIndex;
    if (!this.indexCache && last && Date.now() - last.builtAt < STALE_INDEX_MS && [...last.changed].every((u) => u === uri)) return last.index;
    return this.index();
  }

  private placeLocalFindings({ uri, startLine, doc }: PlacedDocument): readonly Finding[] {
    return this.localFindings(doc).map(({ rule, finding }) => ({
      code: rule.code,
      severity: finding.severity ?? rule.severity,
      message: finding.message,
      uri,
      range: shiftRange(finding.range, startLine),
      related: [],
      ...placeLocalFixes(finding.fixes, uri, startLine),
    }));
  }

  private documentRulesFor(doc: ParsedDocument): readonly DocumentRule[] {
    const kind = doc.resource?.kindName ?? '';
    let rules = this.documentRulesByKind.get(kind);
    if (!rules) {
      rules = this.documentRules.filter((r) => !r.kinds || (kind !== '' && r.kinds.some((k) => k === kind)));
      this.documentRulesByKind.set(kind, rules);
    }
    return rules;
  }

  private localFindings(doc: ParsedDocument): readonly CachedLocal[] {
    let cached = this.localCache.get(doc);
    // A template or a resource an overlay changes gets no document findings; a patch only its syntax errors.
    if (!cached && (doc.template || doc.overlay === 'changed')) cached = [];
    if (!cached) {
      const found: CachedLocal[] = [];
      for (const rule of this.documentRulesFor(doc)) {
        if (!holdsFor(rule, this.optionsValue.istioVersion)) continue;
        rule.check(doc, this.optionsValue, (finding) => {
          if (!placeholderAt(doc.text, finding.range)) found.push({ rule, finding });
        });
      }
      cached = found;
      this.localCache.set(doc, cached);
    }
    return cached;
  }

  /**
   * Which files' workspace findings are wanted: an editor shows only its open files', and the rules then run only over
   * the resources tied to those files (a workspace of large closed files costs their indexing, not a run of every
   * rule over them). Undefined (the default, the CLI's): every file. A file asked for outside the focus is computed
   * when asked.
   */
  setFocus(uris: ReadonlySet<string> | undefined): void {
    this.focus = uris;
  }

  /**
   * Computes the workspace findings that `findings(uri)` needs a step at a time (`IncrementalWorkspaceFindings.steps`)
   * until `stop()`, asked between steps, says so; true once they are ready. An editor calls it in slices and answers
   * requests in between; a change to the files starts it over.
   */
  workspaceFindingsAhead(uri: string, stop: () => boolean): boolean {
    if (covers(this.workspaceCache?.covers, uri)) return true;
    if (!this.incremental) {
      this.workspaceFindings(uri);
      return true;
    }
    for (const pending = this.pendingFor(uri); ;) {
      const step = pending.steps.next();
      if (step.done) {
        this.workspaceCache = { byUri: step.value, covers: pending.covers };
        this.pendingWorkspace = undefined;
        return true;
      }
      if (stop()) return false;
    }
  }

  private workspaceFindings(uri: string): readonly Finding[] {
    if (!covers(this.workspaceCache?.covers, uri)) {
      if (this.incremental) while (!this.workspaceFindingsAhead(uri, () => false));
      else this.workspaceCache = { byUri: wholeWorkspaceFindings(this.analysed(), this.workspaceRules, this.optionsValue), covers: 'all' };
    }
    return this.workspaceCache?.byUri.get(uri) ?? [];
  }

  /** The computation under way if it covers `uri`, else a new one for the focus, what is covered already, and `uri`. */
  private pendingFor(uri: string): PendingWorkspace {
    if (this.pendingWorkspace && covers(this.pendingWorkspace.covers, uri)) return this.pendingWorkspace;
    const incremental = this.incremental;
    if (!incremental) throw new Error('no incremental workspace findings');
    // What was computed since the last change stays covered: its components are cached and reused.
    const done = this.workspaceCache?.covers;
    const wanted = this.focus && new Set([...this.focus, ...(done && done !== 'all' ? done : []), uri]);
    this.pendingWorkspace = { steps: incremental.steps(this.analysed(), this.optionsValue, wanted), covers: wanted ?? 'all' };
    return this.pendingWorkspace;
  }
}

interface PendingWorkspace {
  readonly steps: Generator<void, Map<string, Finding[]>>;
  readonly covers: ReadonlySet<string> | 'all';
}

/** Whether findings computed for `covered` include those of `uri`. */
function covers(covered: ReadonlySet<string> | 'all' | undefined, uri: string): boolean {
  return covered === 'all' || (covered !== undefined && covered.has(uri));
}

/** How long an assist may use an index that misses the latest edits of its own file. */
const STALE_INDEX_MS = 2000;

/** A Helm values file (`values.yaml`, `values-prod.yaml`, `values.staging.yml`). */
const VALUES_FILE = /\/values(?:[.-][^/]*)?\.ya?ml$/i;

/** A document whose findings are withheld: a template, or a resource an overlay changes (or a patch). */
interface QuietSpan {
  readonly start: number;
  readonly end: number;
  /** For a template: its first action, in file lines. */
  readonly template?: Range;
}

const spansOfModel = new WeakMap<FileModel, readonly QuietSpan[]>();

/** The line spans of a file's quiet documents, in file order (cached with the model). */
function quietSpans(model: FileModel): readonly QuietSpan[] {
  let spans = spansOfModel.get(model);
  if (!spans) {
    const found: QuietSpan[] = [];
    model.documents.forEach((placed, i) => {
      const { template, overlay, resource } = placed.doc;
      if (!template && !overlay) return;
      const end = model.documents[i + 1]?.startLine ?? Number.MAX_SAFE_INTEGER;
      // The note is for documents the rules would check: not a ConfigMap holding an Argo or Prometheus template.
      const noted = template && resource?.kindName !== 'Other';
      found.push({ start: placed.startLine, end, ...(noted ? { template: shiftRange(template, placed.startLine) } : {}) });
    });
    spans = found;
    spansOfModel.set(model, spans);
  }
  return spans;
}

function inSpans(spans: readonly QuietSpan[], line: number): boolean {
  return spans.some((s) => line >= s.start && line < s.end);
}

/** Appends in a loop: `push(...items)` passes every item as an argument and overflows the stack on huge lists. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
