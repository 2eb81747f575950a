import type { Range } from './text';
import type { PlacedResource } from './workspace/placed';

/** The edits a finding proposes, before they are placed in files (`findings.ts` has the placed form). */

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
