import type { FileModel, PlacedDocument } from '../workspace/fileModel';

/** Each document as it is with the release namespace, kept while the namespace is the same (caches key on identity). */
const withNamespaceOf = new WeakMap<PlacedDocument, { readonly namespace: string; readonly placed: PlacedDocument }>();

/**
 * A rendered chart's documents as `helm install --namespace <ns>` applies them: a resource that names no namespace
 * lands in the release's namespace, not in `default` (helm writes no `namespace:` of its own into the output).
 */
export function withReleaseNamespace(model: FileModel, namespace: string | undefined): FileModel {
  if (namespace === undefined) return model;
  const documents = model.documents.map((placed) => {
    const resource = placed.doc.resource;
    if (!resource || resource.namespace?.value) return placed;
    const cached = withNamespaceOf.get(placed);
    if (cached?.namespace === namespace) return cached.placed;
    const effective: PlacedDocument = {
      ...placed,
      doc: { ...placed.doc, resource: { ...resource, namespace: { value: namespace, range: resource.kind.range } } },
    };
    withNamespaceOf.set(placed, { namespace, placed: effective });
    return effective;
  });
  return { ...model, documents };
}
