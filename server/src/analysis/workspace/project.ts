import type { ParsedDocument } from '../documents/parsedDocument';
import { isSuppressed, NO_SUPPRESSIONS } from '../documents/suppressions';
import { sortFindings, type Finding } from '../findings';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../options';
import { RULES } from '../rules';
import type { DocumentRule, LocalFinding, Rule, WorkspaceRule } from '../rules/rule';
import { range, shiftRange } from '../text';
import { fileSkipped } from '../rules/fileSkipped';
import { FileModelBuilder, type FileModel } from './fileModel';
import { fileRange } from './placed';
import { placeLocalFixes, placeRelativeFixes } from './placeFixes';
import { WorkspaceIndex } from './workspaceIndex';

interface CachedLocal {
  readonly rule: DocumentRule;
  readonly finding: LocalFinding;
}

/**
 * Everything the analysis knows: the files (open or on disk), their parsed documents and the findings.
 * Document rules run once per distinct document text; workspace rules run when a file changed since the last ask.
 */
export class Project {
  private readonly files = new Map<string, FileModel>();
  private readonly builder = new FileModelBuilder();
  private localCache = new WeakMap<ParsedDocument, readonly CachedLocal[]>();
  private workspaceCache: Map<string, Finding[]> | undefined;
  private indexCache: WorkspaceIndex | undefined;
  private readonly documentRules: readonly DocumentRule[];
  private readonly workspaceRules: readonly WorkspaceRule[];

  constructor(
    private optionsValue: AnalysisOptions = DEFAULT_OPTIONS,
    rules: readonly Rule[] = RULES,
  ) {
    this.documentRules = rules.filter((r): r is DocumentRule => r.scope === 'document');
    this.workspaceRules = rules.filter((r): r is WorkspaceRule => r.scope === 'workspace');
  }

  get options(): AnalysisOptions {
    return this.optionsValue;
  }

  setOptions(options: AnalysisOptions): void {
    this.optionsValue = options;
    this.localCache = new WeakMap();
    this.invalidate();
  }

  setFile(uri: string, text: string): FileModel {
    const model = this.builder.build(uri, text);
    this.files.set(uri, model);
    this.invalidate();
    return model;
  }

  /** Keeps a file out of the analysis (too large to analyse as you type), with a finding that says why. */
  setSkipped(uri: string, reason: string): FileModel {
    this.builder.forget(uri);
    const model: FileModel = { uri, documents: [], parsedCount: 0, suppressions: NO_SUPPRESSIONS, skipped: reason };
    this.files.set(uri, model);
    this.invalidate();
    return model;
  }

  removeFile(uri: string): void {
    if (!this.files.delete(uri)) return;
    this.builder.forget(uri);
    this.invalidate();
  }

  file(uri: string): FileModel | undefined {
    return this.files.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  index(): WorkspaceIndex {
    this.indexCache ??= WorkspaceIndex.build(this.files.values());
    return this.indexCache;
  }

  /**
   * All findings of one file, sorted by position, suppression comments applied.
   */
  findings(uri: string): Finding[] {
    const model = this.files.get(uri);
    if (!model) return [];
    const out: Finding[] = [];
    if (model.skipped) out.push({ code: fileSkipped.code, severity: fileSkipped.severity, message: model.skipped, uri, range: range(0, 0, 0, 0), related: [] });
    for (const placed of model.documents) {
      for (const { rule, finding } of this.localFindings(placed.doc)) {
        out.push({
          code: rule.code,
          severity: finding.severity ?? rule.severity,
          message: finding.message,
          uri,
          range: shiftRange(finding.range, placed.startLine),
          related: [],
          ...placeLocalFixes(finding.fixes, uri, placed.startLine),
        });
      }
    }
    out.push(...(this.workspaceFindings().get(uri) ?? []));
    return sortFindings(out.filter((f) => !isSuppressed(model.suppressions, f.code, f.range.start.line)));
  }

  private invalidate(): void {
    this.workspaceCache = undefined;
    this.indexCache = undefined;
  }

  private localFindings(doc: ParsedDocument): readonly CachedLocal[] {
    let cached = this.localCache.get(doc);
    if (!cached) {
      const found: CachedLocal[] = [];
      for (const rule of this.documentRules) {
        rule.check(doc, this.optionsValue, (finding) => found.push({ rule, finding }));
      }
      cached = found;
      this.localCache.set(doc, cached);
    }
    return cached;
  }

  private workspaceFindings(): Map<string, Finding[]> {
    if (this.workspaceCache) return this.workspaceCache;
    const byUri = new Map<string, Finding[]>();
    const index = this.index();
    for (const rule of this.workspaceRules) {
      rule.check(index, this.optionsValue, (f) => {
        const finding: Finding = {
          code: rule.code,
          severity: f.severity ?? rule.severity,
          message: f.message,
          uri: f.at.uri,
          range: fileRange(f.at, f.range),
          related: (f.related ?? []).map((r) => ({ uri: r.at.uri, range: fileRange(r.at, r.range), message: r.message })),
          ...placeRelativeFixes(f.fixes),
        };
        const list = byUri.get(finding.uri);
        if (list) list.push(finding);
        else byUri.set(finding.uri, [finding]);
      });
    }
    this.workspaceCache = byUri;
    return byUri;
  }
}
