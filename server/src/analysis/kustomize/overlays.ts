import { folderOf } from '../workspace/together';
import type { Kustomization, PatchTarget } from './kustomization';

/**
 * What kustomize does to one file's resources when it builds, as far as the files tell (docs/rules/EGR006.md). Every
 * kustomization that no other includes is one build; a file reached by several builds gets what they agree on.
 */
export interface OverlayContext {
  /** The namespace every build puts the file's resources in (kustomize's `namespace:` overrides theirs). */
  readonly namespace?: string;
  /** Some build writes labels into Services' selectors (`commonLabels`, `labels` with `includeSelectors`). */
  readonly addsSelectorLabels: boolean;
  /** What builds change beyond that (patches, renames, namespaces that differ by build): no findings on these. */
  readonly changes: readonly PatchTarget[];
  /** The file is a patch: partial objects, not resources. */
  readonly patchFile: boolean;
}

/** The overlay context of each file reached, and each build (a kustomization no other includes) with its files. */
export interface OverlayLayout {
  readonly contexts: ReadonlyMap<string, OverlayContext>;
  readonly roots: ReadonlyMap<string, readonly string[]>;
  /** The patch files each build (by its root kustomization) applies. */
  readonly rootPatches: ReadonlyMap<string, readonly string[]>;
}

export const NO_OVERLAY: OverlayContext = { addsSelectorLabels: false, changes: [], patchFile: false };

/** Every resource of the file: a target without kind and name. */
const EVERYTHING: PatchTarget = {};

interface Build {
  readonly namespace?: string;
  readonly addsSelectorLabels: boolean;
  readonly renames: boolean;
  readonly targets: readonly PatchTarget[];
}

/** An entry of `resources:` resolved against a kustomization's folder; undefined for remote ones. */
function resolve(entry: string, folder: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('github.com/') || entry.startsWith('git@')) return undefined;
  try {
    return new URL(entry.replace(/\/+$/, ''), folder).toString();
  } catch {
    return undefined;
  }
}

/**
 * The overlay context of every file that kustomizations reach. `kustomizations` maps each kustomization file's URI
 * to its contents; `patchTargetsOf` tells the kind and name of the objects a patch file holds.
 */
export function overlayContexts(kustomizations: ReadonlyMap<string, Kustomization>, patchTargetsOf: (uri: string) => readonly PatchTarget[]): OverlayLayout {
  const byFolder = new Map<string, string>();
  for (const uri of kustomizations.keys()) byFolder.set(folderOf(uri), uri);
  const included = new Set<string>();
  for (const [uri, k] of kustomizations) {
    for (const entry of k.resources) {
      const target = resolve(entry, folderOf(uri));
      const child = target && byFolder.get(`${target}/`);
      if (child) included.add(child);
    }
  }
  const reached = new Map<string, Build[]>();
  const patchFiles = new Set<string>();
  const roots = new Map<string, string[]>();
  const rootPatches = new Map<string, string[]>();
  let root = '';
  const visit = (uri: string, outer: Build, path: ReadonlySet<string>): void => {
    const k = kustomizations.get(uri);
    if (!k || path.has(uri)) return;
    const folder = folderOf(uri);
    const patches = k.patchFiles.flatMap((p) => {
      const file = resolve(p, folder);
      if (!file) return [];
      patchFiles.add(file);
      rootPatches.get(root)?.push(file);
      return patchTargetsOf(file);
    });
    // The outer build's namespace wins over this one's; labels, renames and patches add up along the way.
    const build: Build = {
      ...((outer.namespace ?? k.namespace) !== undefined ? { namespace: outer.namespace ?? k.namespace } : {}),
      addsSelectorLabels: outer.addsSelectorLabels || k.addsSelectorLabels,
      renames: outer.renames || k.renames,
      targets: [...outer.targets, ...k.patchTargets, ...patches],
    };
    const inner = new Set(path).add(uri);
    for (const entry of k.resources) {
      const target = resolve(entry, folder);
      if (!target) continue;
      const child = byFolder.get(`${target}/`);
      if (child) visit(child, build, inner);
      else if (/\.ya?ml$/i.test(target)) {
        reached.set(target, [...(reached.get(target) ?? []), build]);
        roots.get(root)?.push(target);
      }
    }
  };
  for (const uri of kustomizations.keys()) {
    if (included.has(uri)) continue;
    root = uri;
    roots.set(uri, []);
    rootPatches.set(uri, []);
    visit(uri, { addsSelectorLabels: false, renames: false, targets: [] }, new Set());
  }
  const contexts = new Map<string, OverlayContext>();
  for (const [file, builds] of reached) contexts.set(file, contextOf(builds));
  for (const file of patchFiles) contexts.set(file, { ...NO_OVERLAY, patchFile: true });
  return { contexts, roots, rootPatches };
}

function contextOf(builds: readonly Build[]): OverlayContext {
  const namespaces = new Set(builds.map((b) => b.namespace));
  const [only] = namespaces;
  // Builds that put the file in different namespaces: the resources exist once per build, in places the files
  // cannot name together; they are changed as far as the analysis can tell.
  const agreed = namespaces.size === 1 ? only : undefined;
  const changes = builds.some((b) => b.renames) || namespaces.size > 1 ? [EVERYTHING] : builds.flatMap((b) => b.targets);
  return {
    ...(agreed !== undefined ? { namespace: agreed } : {}),
    addsSelectorLabels: builds.some((b) => b.addsSelectorLabels),
    changes,
    patchFile: false,
  };
}

/** Whether a change target covers a resource of this kind and name. */
export function targets(target: PatchTarget, kind: string, name: string | undefined): boolean {
  return (target.kind === undefined || target.kind === kind) && (target.name === undefined || target.name === name);
}
