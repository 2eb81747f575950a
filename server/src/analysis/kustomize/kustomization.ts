import { isScalar, parseDocument } from 'yaml';
import { YamlReader } from '../documents/yamlReader';
import { LineIndex } from '../text';

/** A patch's target: what a kustomization changes beyond its resources' own text. */
export interface PatchTarget {
  readonly kind?: string;
  readonly name?: string;
}

/** What the analysis reads of a `kustomization.yaml` (docs/rules/EGR006.md). */
export interface Kustomization {
  readonly namespace?: string;
  /** `commonLabels`, or `labels` with `includeSelectors: true`: written into every Service's selector too. */
  readonly addsSelectorLabels: boolean;
  /** `namePrefix` / `nameSuffix`: names in the built output differ from the files. */
  readonly renames: boolean;
  /** `resources`, `bases` and `components`: files or folders, relative to the kustomization's folder. */
  readonly resources: readonly string[];
  /** Files holding patches, relative to the kustomization's folder: partial objects, not resources. */
  readonly patchFiles: readonly string[];
  /** Targets named by the patches themselves (`target:`, inline patches). */
  readonly patchTargets: readonly PatchTarget[];
}

const FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Whether a file URI names a kustomization file. */
export function isKustomizationFile(uri: string): boolean {
  return FILE_NAMES.has(uri.slice(uri.lastIndexOf('/') + 1));
}

/** Reads a kustomization file; anything of the wrong shape reads as absent, so a broken file changes nothing. */
export function readKustomization(text: string): Kustomization {
  const y = reader(text);
  const root = y?.root();
  if (!y || !root) return { addsSelectorLabels: false, renames: false, resources: [], patchFiles: [], patchTargets: [] };
  const namespace = y.str(root, 'namespace')?.value;
  const patchFiles: string[] = [];
  const patchTargets: PatchTarget[] = [];
  for (const item of [...y.seq(root, 'patches'), ...y.seq(root, 'patchesJson6902'), ...y.seq(root, 'patchesStrategicMerge')]) {
    if (isScalar(item) && typeof item.value === 'string') {
      // patchesStrategicMerge lists a file, or (rarely) an inline patch as a block string.
      if (item.value.includes('\n')) patchTargets.push(...inlineTargets(item.value));
      else patchFiles.push(item.value);
      continue;
    }
    const entry = y.asMap(item);
    const path = y.str(entry, 'path')?.value;
    if (path) patchFiles.push(path);
    const inline = y.str(entry, 'patch')?.value;
    if (inline) patchTargets.push(...inlineTargets(inline));
    const target = y.map(entry, 'target');
    if (target) patchTargets.push(targetOf(y.str(target, 'kind')?.value, y.str(target, 'name')?.value));
  }
  return {
    ...(namespace ? { namespace } : {}),
    addsSelectorLabels: (y.map(root, 'commonLabels')?.items.length ?? 0) > 0 || y.seq(root, 'labels').some((l) => y.bool(y.asMap(l), 'includeSelectors')?.value === true),
    renames: Boolean(y.str(root, 'namePrefix')?.value || y.str(root, 'nameSuffix')?.value),
    resources: ['resources', 'bases', 'components'].flatMap((key) =>
      y
        .strings(root, key)
        .map((s) => s.value)
        .filter(Boolean),
    ),
    patchFiles,
    patchTargets,
  };
}

/** The document's typed reader, or undefined when the text cannot be parsed at all. */
function reader(text: string): YamlReader | undefined {
  try {
    return new YamlReader(parseDocument(text, { uniqueKeys: false }), new LineIndex(text));
  } catch {
    return undefined;
  }
}

function targetOf(kind: string | undefined, name: string | undefined): PatchTarget {
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
}

/** The kind and name an inline patch names. */
function inlineTargets(text: string): PatchTarget[] {
  const y = reader(text);
  const root = y?.root();
  return y && root ? [targetOf(y.str(root, 'kind')?.value, y.str(y.map(root, 'metadata'), 'name')?.value)] : [];
}
