import type { ParsedDocument } from '../documents/parsedDocument';
import type { Resource } from '../model/resources';
import type { Severity } from '../findings';
import { istioAtLeast, type AnalysisOptions } from '../options';
import type { Range } from '../text';
import type { PlacedResource } from '../workspace/placed';
import type { LocalFix, RelativeFix } from '../edits';
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
  /**
   * Istio releases (`major.minor`, both ends included) the rule holds for, when its truth depends on the release: the
   * engine runs it only when the configured release is among them.
   */
  readonly istio?: { readonly since?: string; readonly until?: string };
}

/** Whether a rule holds for the configured Istio release (`RuleInfo.istio`). */
export function holdsFor(rule: RuleInfo, istioVersion: string): boolean {
  const { since, until } = rule.istio ?? {};
  return (since === undefined || istioAtLeast(istioVersion, since)) && (until === undefined || !istioAtLeast(istioVersion, nextMinor(until)));
}

function nextMinor(version: string): string {
  const [major = '0', minor = '0'] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
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
  /** The kinds of resource it checks (`resourceRule`); the engine gives it no other documents. Unset: every document. */
  readonly kinds?: readonly Resource['kindName'][];
  check(doc: ParsedDocument, options: AnalysisOptions, report: (finding: LocalFinding) => void): void;
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
