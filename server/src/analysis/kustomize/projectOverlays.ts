import type { FileModel } from '../workspace/fileModel';
import { isKustomizationFile, readKustomization, type Kustomization, type PatchTarget } from './kustomization';
import { overlayContexts, type OverlayContext, type OverlayLayout } from './overlays';

const NO_LAYOUT: OverlayLayout = { contexts: new Map(), roots: new Map(), rootPatches: new Map() };

/** The kustomizations a project knows, and what they do to its other files. */
export class ProjectOverlays {
  private readonly kustomizations = new Map<string, Kustomization>();
  private layout: OverlayLayout = NO_LAYOUT;

  /**
   * Takes a file's new text (undefined: removed). True when the contexts of all files must be worked out again:
   * a kustomization changed, or a patch file one of them lists (its objects are what the patch targets).
   */
  update(uri: string, text: string | undefined): boolean {
    if (isKustomizationFile(uri)) {
      if (text === undefined) this.kustomizations.delete(uri);
      else this.kustomizations.set(uri, readKustomization(text));
      return true;
    }
    return this.layout.contexts.get(uri)?.patchFile === true;
  }

  recompute(files: ReadonlyMap<string, FileModel>): void {
    this.layout = this.kustomizations.size ? overlayContexts(this.kustomizations, (uri) => patchTargets(files.get(uri))) : NO_LAYOUT;
  }

  contextOf(uri: string): OverlayContext | undefined {
    return this.layout.contexts.get(uri);
  }

  /** The files a kustomization that no other includes (one build) reaches; undefined for any other file. */
  buildOf(uri: string): readonly string[] | undefined {
    return this.layout.roots.get(uri);
  }

  /** The patch files of the build a kustomization roots; undefined for any other file. */
  patchesOf(uri: string): readonly string[] | undefined {
    return this.layout.rootPatches.get(uri);
  }
}

/** The objects a patch file holds, by kind and name: what it changes. */
function patchTargets(model: FileModel | undefined): PatchTarget[] {
  const out: PatchTarget[] = [];
  for (const placed of model?.documents ?? []) {
    const r = placed.doc.resource;
    if (r) out.push({ kind: r.kind.value, ...(r.name ? { name: r.name.value } : {}) });
  }
  return out;
}
