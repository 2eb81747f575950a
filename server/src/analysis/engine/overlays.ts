import type { Finding, RelatedInfo } from '../findings';
import { kustomizeBuild } from '../rules/kustomizeBuild';
import { notRendered } from '../rules/notRendered';
import { builtUri, isBuiltUri, placeInSources, type OverlayState, type SourceDocument } from '../render/overlayFindings';
import { shiftRange, type Range } from '../text';
import { documentAtLine } from '../workspace/fileModel';
import { onlyReadKinds } from '../render/readKinds';
import type { Project } from './project';

interface Built {
  readonly kustomization: string;
  /** The resource files of the build, superseded by its output. */
  readonly resources: readonly string[];
  readonly patches: readonly string[];
  /** `overlays/prod`, for messages. */
  readonly label: string;
}

/**
 * The overlays the adapters built with kustomize (or failed to), kept in the project: each build's output is a file
 * of the project under its own uri and the resource files it read are superseded; findings are read back onto the
 * files (and patches) that define what the output holds.
 */
export class BuiltOverlays {
  private readonly builds = new Map<string, Built>();
  private readonly problems = new Map<string, Finding[]>();
  private readonly failed = new Map<string, readonly string[]>();

  constructor(private readonly project: Project) {}

  get any(): boolean {
    return this.builds.size > 0 || this.failed.size > 0;
  }

  set(kustomization: string, state: OverlayState | undefined): void {
    this.clear(kustomization);
    if (!state) return;
    if (state.status === 'failed') {
      for (const p of state.problems) {
        const list = this.problems.get(p.uri) ?? [];
        list.push({ code: notRendered.code, severity: p.severity, message: p.message, uri: p.uri, range: p.range, related: [] });
        this.problems.set(p.uri, list);
      }
      this.failed.set(
        kustomization,
        state.problems.map((p) => p.uri),
      );
      return;
    }
    const uri = builtUri(kustomization);
    this.project.setFile(uri, onlyReadKinds(state.output));
    const { resources, patches } = this.project.buildSources(kustomization);
    for (const resource of resources) this.project.setSuperseded(resource, uri, true);
    const folder = kustomization.slice(0, kustomization.lastIndexOf('/'));
    this.builds.set(kustomization, { kustomization, resources, patches, label: decodeURIComponent(folder.slice(folder.lastIndexOf('/') + 1)) });
  }

  private clear(kustomization: string): void {
    for (const uri of this.failed.get(kustomization) ?? []) this.problems.delete(uri);
    this.failed.delete(kustomization);
    const built = this.builds.get(kustomization);
    if (!built) return;
    this.builds.delete(kustomization);
    const uri = builtUri(kustomization);
    for (const resource of built.resources) this.project.setSuperseded(resource, uri, false);
    this.project.removeFile(uri);
  }

  /**
   * A file's findings with the builds read back onto it: `own` with locations in built output moved to the sources
   * (and without the kustomization's EGR006 note once its build is checked), then the findings of every build that
   * land in this file and are not already among its own, then the problems kubectl blamed on it.
   */
  findings(uri: string, own: readonly Finding[], scope: 'all' | 'document'): Finding[] {
    const out = own.filter((f) => !(f.code === kustomizeBuild.code && this.builds.has(uri))).map((f) => this.ontoSources(f));
    // A document finding of a source file is found again in the output: keep one (the message tells them apart).
    const seen = new Set(out.map((f) => `${f.code} ${f.range.start.line} ${f.message}`));
    for (const built of this.builds.values()) {
      if (!built.resources.includes(uri) && !built.patches.includes(uri) && built.kustomization !== uri) continue;
      for (const f of this.project.findings(builtUri(built.kustomization), scope)) {
        const placed = this.ontoSources(f);
        const key = `${placed.code} ${placed.range.start.line} ${f.message}`;
        if (placed.uri !== uri || seen.has(key)) continue;
        seen.add(key);
        out.push(placed);
      }
    }
    for (const problem of this.problems.get(uri) ?? []) out.push(problem);
    return out;
  }

  /** A location in built output, in the file that defines it. */
  location<L extends { readonly uri: string; readonly range: Range }>(location: L): L | undefined {
    if (!isBuiltUri(location.uri)) return location;
    const placed = this.place(location.uri, location.range);
    return placed && { ...location, ...placed };
  }

  private ontoSources(finding: Finding): Finding {
    const touches = isBuiltUri(finding.uri) || finding.related.some((r) => isBuiltUri(r.uri)) || finding.fixes?.some((f) => f.edits.some((e) => isBuiltUri(e.uri)));
    if (!touches) return finding;
    const related: RelatedInfo[] = finding.related.flatMap((r) => {
      if (!isBuiltUri(r.uri)) return [r];
      const placed = this.place(r.uri, r.range);
      return placed ? [{ ...r, ...placed }] : [];
    });
    const fixes = (finding.fixes ?? []).filter((f) => !f.edits.some((e) => isBuiltUri(e.uri)));
    if (!isBuiltUri(finding.uri)) return { ...finding, related, ...(finding.fixes ? { fixes } : {}) };
    const kustomization = finding.uri.slice(builtUri('').length);
    const placed = this.place(finding.uri, finding.range) ?? { uri: kustomization, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const label = this.builds.get(kustomization)?.label ?? 'the overlay';
    return { ...finding, ...placed, message: `${finding.message} (in what kustomize builds from ${label})`, related, fixes: [] };
  }

  /** Where a range of a build's output comes from (`placeInSources`). */
  private place(uri: string, range: Range): { readonly uri: string; readonly range: Range } | undefined {
    const built = this.builds.get(uri.slice(builtUri('').length));
    const model = this.project.file(uri);
    const at = model && documentAtLine(model, range.start.line);
    const resource = at?.doc.resource;
    if (!built || !at || !resource) return undefined;
    const document = { text: at.doc.text, kind: resource.kind.value, name: resource.name?.value ?? '' };
    return placeInSources(document, shiftRange(range, -at.startLine), this.sourcesOf(built));
  }

  private sourcesOf(built: Built): SourceDocument[] {
    const out: SourceDocument[] = [];
    for (const [uris, patch] of [
      [built.resources, false],
      [built.patches, true],
    ] as const) {
      for (const uri of uris) {
        for (const placed of this.project.rawFile(uri)?.documents ?? []) {
          const resource = placed.doc.resource;
          // A patch without kind and name is a JSON 6902 list of operations (`kind: ''` marks it).
          if (resource || patch) out.push({ uri, startLine: placed.startLine, text: placed.doc.text, kind: resource?.kind.value ?? '', name: resource?.name?.value ?? '', patch });
        }
      }
    }
    return out;
  }
}
