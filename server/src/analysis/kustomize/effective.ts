import type { ParsedDocument } from '../documents/parsedDocument';
import type { Resource } from '../model/resources';
import type { FileModel, PlacedDocument } from '../workspace/fileModel';
import { targets, type OverlayContext } from './overlays';

/** Each document's effective form, kept while its context is the same, so caches keyed by document identity hold. */
const effectiveOf = new WeakMap<PlacedDocument, { readonly key: string; readonly placed: PlacedDocument }>();

/** A file's documents as kustomize builds them, as far as the analysis models it; the model itself when untouched. */
export function withOverlay(model: FileModel, context: OverlayContext | undefined): FileModel {
  if (!context) return model;
  const key = JSON.stringify(context);
  const documents = model.documents.map((placed) => {
    const cached = effectiveOf.get(placed);
    if (cached?.key === key) return cached.placed;
    const doc = effectiveDocument(placed.doc, context);
    const effective = doc === placed.doc ? placed : { ...placed, doc };
    effectiveOf.set(placed, { key, placed: effective });
    return effective;
  });
  return { ...model, documents };
}

function effectiveDocument(doc: ParsedDocument, context: OverlayContext): ParsedDocument {
  if (context.patchFile) return { ...doc, resource: undefined, schemaErrors: [], overlay: 'patch' };
  const resource = doc.resource;
  if (!resource) return doc;
  const changed = context.changes.some((t) => targets(t, resource.kind.value, resource.name?.value));
  const effective = effectiveResource(resource, context);
  if (!changed && effective === resource) return doc;
  return { ...doc, resource: effective, ...(changed ? { overlay: 'changed' as const } : {}) };
}

/** The namespace kustomize sets, and a selector where it writes labels into one. */
function effectiveResource(resource: Resource, context: OverlayContext): Resource {
  let out = resource;
  if (context.namespace !== undefined && resource.namespace?.value !== context.namespace) {
    out = { ...out, namespace: { value: context.namespace, range: resource.namespace?.range ?? resource.kind.range } };
  }
  if (context.addsSelectorLabels && out.kindName === 'Service' && !out.selector && out.type?.value !== 'ExternalName') {
    out = { ...out, selector: { value: {}, range: out.kind.range } };
  }
  return out;
}
