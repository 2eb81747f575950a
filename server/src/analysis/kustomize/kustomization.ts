import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';

/** A patch's target: what a kustomization changes beyond its resources' own text. */
export interface PatchTarget {
  readonly kind?: string;
  readonly name?: string;
}

/** What the analysis reads of a `kustomization.yaml` (docs/kustomize.md). */
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
  let root: unknown;
  try {
    root = parseDocument(text, { uniqueKeys: false }).contents;
  } catch {
    root = undefined;
  }
  const map = isMap(root) ? root : undefined;
  const namespace = scalar(map, 'namespace');
  const labels = items(map, 'labels').filter(isMap);
  const commonLabels = field(map, 'commonLabels');
  const patchFiles: string[] = [];
  const patchTargets: PatchTarget[] = [];
  for (const item of [...items(map, 'patches'), ...items(map, 'patchesJson6902'), ...items(map, 'patchesStrategicMerge')]) {
    if (isScalar(item) && typeof item.value === 'string') {
      // patchesStrategicMerge lists a file, or (rarely) an inline patch as a block string.
      if (item.value.includes('\n')) patchTargets.push(...inlineTargets(item.value));
      else patchFiles.push(item.value);
      continue;
    }
    if (!isMap(item)) continue;
    const path = scalar(item, 'path');
    if (path) patchFiles.push(path);
    const inline = scalar(item, 'patch');
    if (inline) patchTargets.push(...inlineTargets(inline));
    const target = field(item, 'target');
    if (isMap(target)) patchTargets.push(targetOf(scalar(target, 'kind'), scalar(target, 'name')));
  }
  return {
    ...(namespace ? { namespace } : {}),
    addsSelectorLabels: (isMap(commonLabels) && commonLabels.items.length > 0) || labels.some((l) => field(l, 'includeSelectors') !== undefined && scalarValue(field(l, 'includeSelectors')) === true),
    renames: Boolean(scalar(map, 'namePrefix') || scalar(map, 'nameSuffix')),
    resources: [...strings(map, 'resources'), ...strings(map, 'bases'), ...strings(map, 'components')],
    patchFiles,
    patchTargets,
  };
}

function targetOf(kind: string | undefined, name: string | undefined): PatchTarget {
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
}

/** The kind and name each document of an inline patch names. */
function inlineTargets(text: string): PatchTarget[] {
  try {
    const root = parseDocument(text, { uniqueKeys: false }).contents;
    if (isMap(root)) return [targetOf(scalar(root, 'kind'), scalar(field(root, 'metadata'), 'name'))];
  } catch {
    // An unreadable inline patch names no target.
  }
  return [];
}

function field(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key)?.value;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

function scalar(map: unknown, key: string): string | undefined {
  const value = scalarValue(field(map, key));
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function items(map: unknown, key: string): Node[] {
  const node = field(map, key);
  return isSeq(node) ? (node.items as Node[]) : [];
}

function strings(map: unknown, key: string): string[] {
  return items(map, key).flatMap((item) => {
    const value = scalarValue(item);
    return typeof value === 'string' && value !== '' ? [value] : [];
  });
}
