import type { Finding } from '../findings';
import type { AnalysisOptions } from '../options';
import { holdsFor, type WorkspaceFinding, type WorkspaceRule } from '../rules/rule';
import type { FileModel } from '../workspace/fileModel';
import { placeholderAt } from '../documents/templates';
import { fileRange } from '../workspace/placed';
import { placeRelativeFixes } from '../workspace/placeFixes';
import { WorkspaceIndex } from '../workspace/workspaceIndex';

/**
 * Runs a workspace rule, keeping its findings off values still to be filled in (`$TEAM-back`, a template's stand-in):
 * those judge text that is not final. Every run of a workspace rule goes through here.
 */
export function runWorkspaceRule(rule: WorkspaceRule, index: WorkspaceIndex, options: AnalysisOptions, report: (finding: WorkspaceFinding) => void): void {
  // Rules whose truth depends on the Istio release run only for the releases they declare.
  if (!holdsFor(rule, options.istioVersion)) return;
  index.running(rule, () =>
    rule.check(index, options, (f) => {
      if (!placeholderAt(f.at.doc.text, f.range)) report(f);
    }),
  );
}

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
 * incremental analysis (`incrementalFindings.ts`) must equal. Kept as the reference the tests compare against, so it
 * also checks that each rule reads only through the relations it declares.
 */
export function wholeWorkspaceFindings(files: Iterable<FileModel>, rules: readonly WorkspaceRule[], options: AnalysisOptions): Map<string, Finding[]> {
  const byUri = new Map<string, Finding[]>();
  const index = WorkspaceIndex.build(files, { clusterDomain: options.clusterDomain, checkReads: true });
  for (const rule of rules) runWorkspaceRule(rule, index, options, (f) => addByUri(byUri, toFinding(rule, f)));
  return byUri;
}
