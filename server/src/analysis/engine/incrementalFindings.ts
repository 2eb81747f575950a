import type { ParsedDocument } from '../documents/parsedDocument';
import type { Finding } from '../findings';
import type { AnalysisOptions } from '../options';
import type { WorkspaceFinding, WorkspaceRule } from '../rules/rule';
import type { FileModel, PlacedDocument } from '../workspace/fileModel';
import { partition } from './partition';
import { PerDocument } from '../workspace/perDocument';
import { placeResource, type PlacedResource } from '../workspace/placed';
import { KeyRegistry, relationsOf, type ResourceKeys } from './resourceKeys';
import { addByUri, runWorkspaceRule, toFinding } from './workspaceFindings';
import { isIndexed, WorkspaceIndex } from '../workspace/workspaceIndex';

/** Where a finding points, as positions in its component's member list (stable while the members are). */
interface Anchors {
  readonly at: number;
  readonly related: readonly number[];
  readonly edits: readonly (readonly number[])[];
}

interface AnchoredFinding {
  readonly rule: WorkspaceRule;
  readonly finding: WorkspaceFinding;
  readonly anchors: Anchors;
}

/** One component's findings, valid while the same documents of the same files make up the component, in order. */
interface CachedComponent {
  readonly docs: readonly ParsedDocument[];
  readonly uris: readonly string[];
  readonly startLines: readonly number[];
  readonly found: readonly AnchoredFinding[];
  /** `found` placed at `startLines`. */
  readonly placed: readonly Finding[];
}

/**
 * The workspace findings, kept across edits. The workspace is split into components no rule looks across
 * (`partition.ts`); a component whose members (document parse and file, in order) are those of the previous run keeps
 * its findings, moved to its documents' new lines; the rules run again only over the components that changed, on an
 * index of those components alone. An edit in one document of 10 000 re-runs the rules over the few resources tied
 * to it.
 */
export class IncrementalWorkspaceFindings {
  /** By the component's first document. */
  private cache = new Map<ParsedDocument, CachedComponent[]>();
  /** Each document's indexed resource and its keys, for the cluster domain of `domain`. */
  private readonly keyed = new PerDocument((placed) => this.keyedResource(placed));
  private domain = '';
  private readonly keys: KeyRegistry;

  constructor(
    private readonly rules: readonly WorkspaceRule[],
    /** About how many resources one step of `steps` runs the rules over. */
    private readonly chunkResources = 2000,
  ) {
    this.keys = new KeyRegistry(relationsOf(rules));
  }

  /** Forgets every component's findings (the options changed). */
  clear(): void {
    this.cache = new Map();
    this.keyed.clear();
  }

  forget(uri: string): void {
    this.keyed.forget(uri);
  }

  /**
   * The findings of every component, or with `wanted` of those that hold a resource of a wanted file (the others are
   * neither run nor kept, unless cached already: their findings belong to other files).
   */
  compute(files: Iterable<FileModel>, options: AnalysisOptions, wanted?: ReadonlySet<string>): Map<string, Finding[]> {
    const steps = this.steps(files, options, wanted);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `compute` in steps: it yields after keying each file's resources and before each run of the rules over stale
   * components of about `chunkResources` resources, so that a caller can do other work in between (nothing may change
   * the files meanwhile). Whole components per run: the findings are those of one run over them all.
   */
  *steps(files: Iterable<FileModel>, options: AnalysisOptions, wanted?: ReadonlySet<string>): Generator<void, Map<string, Finding[]>> {
    if (options.clusterDomain !== this.domain) this.clear();
    this.domain = options.clusterDomain;
    const models = [...files];
    // Each file's resources keyed in a step of its own (a file of 10 000 documents takes tens of milliseconds).
    for (const model of models) {
      this.keyed.of(model);
      yield;
    }
    let { resources, keys } = this.resourcesOf(models);
    // Key ids renewed: every key must be looked up again.
    if (this.keys.renew(keys.reduce((n, k) => n + k.exact.length, 0))) {
      this.keyed.clear();
      ({ resources, keys } = this.resourcesOf(models));
    }
    const { components, componentOf } = partition(resources, keys, this.keys.count);
    const results = components.map((members) => this.reuse(members));
    const stale = results.map((r, c) => r === undefined && (wanted === undefined || (components[c] ?? []).some((m) => wanted.has(m.uri))));
    for (const chunk of chunksOf(components, stale, this.chunkResources)) {
      yield;
      const inChunk = components.map(() => false);
      for (const c of chunk) inChunk[c] = true;
      const found = this.run(resources, componentOf, inChunk, options);
      for (const c of chunk) results[c] = cacheEntry(components[c] ?? [], found.get(c) ?? [], undefined);
    }
    const next = new Map<ParsedDocument, CachedComponent[]>();
    const byUri = new Map<string, Finding[]>();
    for (const entry of results) {
      if (!entry) continue;
      const first = entry.docs[0];
      if (first) addTo(next, first, entry);
      for (const finding of entry.placed) addByUri(byUri, finding);
    }
    this.cache = next;
    return byUri;
  }

  private resourcesOf(models: readonly FileModel[]): { resources: PlacedResource[]; keys: ResourceKeys[] } {
    const resources: PlacedResource[] = [];
    const keys: ResourceKeys[] = [];
    for (const model of models) {
      for (const item of this.keyed.of(model)) {
        if (!item) continue;
        resources.push(item.placed);
        keys.push(item.keys);
      }
    }
    return { resources, keys };
  }

  private keyedResource(document: PlacedDocument): { placed: PlacedResource; keys: ResourceKeys } | undefined {
    const placed = placeResource(document);
    return placed && isIndexed(placed.resource) ? { placed, keys: this.keys.keysOf(placed.resource, this.domain) } : undefined;
  }

  /** The previous run's entry for the same members, re-placed if their documents moved. */
  private reuse(members: readonly PlacedResource[]): CachedComponent | undefined {
    const first = members[0];
    const candidates = first ? this.cache.get(first.doc) : undefined;
    const cached = candidates?.find((c) => c.docs.length === members.length && members.every((m, i) => m.doc === c.docs[i] && m.uri === c.uris[i]));
    if (!cached) return undefined;
    return members.every((m, i) => m.startLine === cached.startLines[i]) ? cached : cacheEntry(members, cached.found, cached);
  }

  /**
   * Runs every rule once over the stale components together: they are closed under the rules' lookups, so the
   * findings of one are those of a run over it alone. Returns each component's findings, anchored to its members.
   */
  private run(resources: readonly PlacedResource[], componentOf: Int32Array, stale: readonly boolean[], options: AnalysisOptions): Map<number, AnchoredFinding[]> {
    const staleResources: PlacedResource[] = [];
    const staleComponents: number[] = [];
    resources.forEach((r, i) => {
      if (!stale[componentOf[i]]) return;
      staleResources.push(r);
      staleComponents.push(componentOf[i]);
    });
    const locate = new Locator(staleResources, staleComponents);
    const index = WorkspaceIndex.fromResources(staleResources, { clusterDomain: options.clusterDomain });
    const found = new Map<number, AnchoredFinding[]>();
    for (const rule of this.rules) {
      runWorkspaceRule(rule, index, options, (finding) => {
        const { component, ordinal } = locate.find(finding.at);
        const within = (at: PlacedResource): number => locate.ordinalIn(component, at);
        const anchors: Anchors = {
          at: ordinal,
          related: (finding.related ?? []).map((r) => within(r.at)),
          edits: (finding.fixes ?? []).map((fix) => fix.edits.map((e) => within(e.at))),
        };
        addTo(found, component, { rule, finding, anchors });
      });
    }
    return found;
  }
}

/** The stale components in runs of about `size` resources (a larger component makes a run of its own). */
function chunksOf(components: readonly (readonly PlacedResource[])[], stale: readonly boolean[], size: number): number[][] {
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let resources = 0;
  components.forEach((members, c) => {
    if (!stale[c]) return;
    if (chunk.length && resources + members.length > size) {
      chunks.push(chunk);
      chunk = [];
      resources = 0;
    }
    chunk.push(c);
    resources += members.length;
  });
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

function cacheEntry(members: readonly PlacedResource[], found: readonly AnchoredFinding[], previous: CachedComponent | undefined): CachedComponent {
  return {
    docs: previous?.docs ?? members.map((m) => m.doc),
    uris: previous?.uris ?? members.map((m) => m.uri),
    startLines: members.map((m) => m.startLine),
    found,
    placed: found.map((f) => toFinding(f.rule, previous ? reanchor(f, members) : f.finding)),
  };
}

/** The finding with every resource it points at replaced by the member now at the same position. */
function reanchor({ finding, anchors }: AnchoredFinding, members: readonly PlacedResource[]): WorkspaceFinding {
  const member = (ordinal: number): PlacedResource => {
    const m = members[ordinal];
    if (!m) throw new Error(`no member ${ordinal} in a component of ${members.length}`);
    return m;
  };
  return {
    ...finding,
    at: member(anchors.at),
    ...(finding.related ? { related: finding.related.map((r, i) => ({ ...r, at: member(anchors.related[i] ?? -1) })) } : {}),
    ...(finding.fixes ? { fixes: finding.fixes.map((fix, i) => ({ ...fix, edits: fix.edits.map((e, j) => ({ ...e, at: member(anchors.edits[i]?.[j] ?? -1) })) })) } : {}),
  };
}

/** Finds the component member a rule's PlacedResource stands for (rules may copy them: matched by document and place). */
class Locator {
  private readonly byDoc = new Map<ParsedDocument, number[]>();
  /** Each resource's position within its component. */
  private readonly ordinalOf: Int32Array;

  /** Whole components only, in workspace order, with the component of each. */
  constructor(
    private readonly resources: readonly PlacedResource[],
    private readonly componentOf: readonly number[],
  ) {
    this.ordinalOf = new Int32Array(resources.length);
    const sizes = new Map<number, number>();
    resources.forEach((r, i) => {
      const component = componentOf[i] ?? -1;
      const size = sizes.get(component) ?? 0;
      this.ordinalOf[i] = size;
      sizes.set(component, size + 1);
      addTo(this.byDoc, r.doc, i);
    });
  }

  find(at: PlacedResource): { component: number; ordinal: number } {
    for (const i of this.byDoc.get(at.doc) ?? []) {
      const r = this.resources[i];
      if (r?.uri !== at.uri || r.startLine !== at.startLine) continue;
      return { component: this.componentOf[i] ?? -1, ordinal: this.ordinalOf[i] };
    }
    throw new Error(`a workspace finding points at a resource outside the index (${at.uri}:${at.startLine})`);
  }

  ordinalIn(component: number, at: PlacedResource): number {
    const found = this.find(at);
    // Components are closed under the rules' lookups: a finding never reaches into another one.
    if (found.component !== component) throw new Error(`a workspace finding reaches across components (${at.uri}:${at.startLine})`);
    return found.ordinal;
  }
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
