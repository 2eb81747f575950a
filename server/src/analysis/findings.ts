import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

export interface RelatedInfo {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
}

export interface TextEdit {
  readonly uri: string;
  readonly range: Range;
  readonly newText: string;
}

/** A change that resolves a finding; the editor offers it as a quick fix. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Set only when this fix is clearly the right one (LSP `isPreferred`). */
  readonly preferred?: boolean;
}

/** A finding placed in a file: what the CLI prints and the server publishes. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly uri: string;
  readonly range: Range;
  readonly related: readonly RelatedInfo[];
  readonly fixes?: readonly Fix[];
}

/** Orders findings by file position, then by code, so every front prints them the same way. */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}
