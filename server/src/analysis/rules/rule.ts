import type { ParsedDocument } from '../documents/parsedDocument';
import type { Severity } from '../findings';
import type { AnalysisOptions } from '../options';
import type { Range } from '../text';
import type { PlacedResource } from '../workspace/placed';
import type { Relation } from '../workspace/relation';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** What the catalogue, the docs pages and `--list-rules` know of a rule. */
export interface RuleInfo {
  /** Stable code, `EGR` and three digits; never reused. */
  readonly code: string;
  /** Short kebab-case name. */
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  /** Istio versions the rule holds for, when its truth depends on the version. */
  readonly istio?: { readonly since?: string; readonly until?: string };
}

/** An edit inside a finding's own document, relative to the document's first line. */
export interface LocalEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A quick fix of a document rule: its edits stay inside the document, so it is cached with the parse. */
export interface LocalFix {
  readonly title: string;
  readonly edits: readonly LocalEdit[];
  /** Set only when this fix is clearly the right one; editors may then apply it without asking. */
  readonly preferred?: boolean;
}

/** A finding inside one document, its ranges relative to the document's first line. */
export interface LocalFinding {
  readonly message: string;
  readonly range: Range;
  /** Overrides the rule's default severity when the finding's weight depends on the case. */
  readonly severity?: Severity;
  readonly fixes?: readonly LocalFix[];
}

/** Looks at one document alone; its findings are cached with the document's parse. */
export interface DocumentRule extends RuleInfo {
  readonly scope: 'document';
  check(doc: ParsedDocument, options: AnalysisOptions, report: (finding: LocalFinding) => void): void;
}

/** An edit at a place relative to a resource's document. */
export interface RelativeEdit {
  readonly at: PlacedResource;
  readonly range: Range;
  readonly newText: string;
}

export interface RelativeFix {
  readonly title: string;
  readonly edits: readonly RelativeEdit[];
  /** Set only when this fix is clearly the right one. */
  readonly preferred?: boolean;
}

export interface WorkspaceFinding {
  readonly at: PlacedResource;
  /** Relative to `at`'s document. */
  readonly range: Range;
  readonly message: string;
  readonly severity?: Severity;
  readonly related?: readonly { readonly at: PlacedResource; readonly range: Range; readonly message: string }[];
  readonly fixes?: readonly RelativeFix[];
}

/**
 * Looks across resources (a DR and its Service, a Service and its Endpoints), over every file known. It iterates the
 * index's resources of a kind as its subjects and reaches other resources only through the relations it lists in
 * `reads` (`workspace/relation.ts`): the incremental analysis joins resources by what those relations read.
 */
export interface WorkspaceRule extends RuleInfo {
  readonly scope: 'workspace';
  readonly reads: readonly Relation[];
  check(index: WorkspaceIndex, options: AnalysisOptions, report: (finding: WorkspaceFinding) => void): void;
}

export type Rule = DocumentRule | WorkspaceRule;
