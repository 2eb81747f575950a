import type { Finding } from '../findings';
import type { AnalysisOptions } from '../options';
import type { WorkspaceFinding, WorkspaceRule } from '../rules/rule';
import type { FileModel } from './fileModel';
import { fileRange } from './placed';
import { placeRelativeFixes } from './placeFixes';
import { WorkspaceIndex } from './workspaceIndex';

/** A workspace rule's finding placed in the files of the resources it points at. */
export function toFinding(rule: WorkspaceRule, f: WorkspaceFinding): Finding {
  return {
    code: rule.code,
    severity: f.severity ?? rule.severity,
    message: f.message,
    uri: f.at.uri,
    range: fileRange(f.at, f.range),
    related: (f.related ?? []).map((r) => ({ uri: r.at.uri, range: fileRange(r.at, r.range), message: r.message })),
    ...placeRelativeFixes(f.fixes),
  };
}

export function addByUri(byUri: Map<string, Finding[]>, finding: Finding): void {
  const list = byUri.get(finding.uri);
  if (list) list.push(finding);
  else byUri.set(finding.uri, [finding]);
}

/**
 * Every workspace rule once over one index of every file: the plain definition of the workspace findings, which the
 * incremental analysis (`incrementalFindings.ts`) must equal. Kept as the reference the tests compare against.
 */
export function wholeWorkspaceFindings(files: Iterable<FileModel>, rules: readonly WorkspaceRule[], options: AnalysisOptions): Map<string, Finding[]> {
  const byUri = new Map<string, Finding[]>();
  const index = WorkspaceIndex.build(files);
  for (const rule of rules) rule.check(index, options, (f) => addByUri(byUri, toFinding(rule, f)));
  return byUri;
}
