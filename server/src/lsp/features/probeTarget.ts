import { namespaceOf } from '../../analysis/model/resources';
import { destinationOf } from '../../analysis/workspace/destinations';
import { placeResource } from '../../analysis/workspace/placed';
import { probeFileModel } from '../../probe/fromProject';
import type { ServerContext } from '../context';
import { documentAtLine } from '../../analysis/workspace/fileModel';
import { PROBE_TARGET_REQUEST, SERVICES_REQUEST, type ProbeTargetParams, type ProbeTargetResult, type ServiceSummary } from '../../shared/protocol';
import type { CancellationToken } from 'vscode-languageserver/node';
import { runSafe } from '../runner';

/** Which Service the cursor means: a Service itself, or the one a DestinationRule or an Endpoints names. */
function serviceAtCursor(ctx: ServerContext, params: ProbeTargetParams): { name: string; namespace?: string } | undefined {
  if (params.name) return { name: params.name, ...(params.namespace ? { namespace: params.namespace } : {}) };
  const model = ctx.open.model(params.uri);
  const placedDoc = model && params.position ? documentAtLine(model, params.position.line) : undefined;
  const placed = placedDoc && placeResource(placedDoc);
  if (!placed) return undefined;
  const r = placed.resource;
  if ((r.kindName === 'Service' || r.kindName === 'Endpoints') && r.name) return { name: r.name.value, namespace: namespaceOf(r) };
  if (r.kindName === 'DestinationRule') {
    const target = destinationOf({ ...placed, resource: r }, ctx.analysis.index(), ctx.analysis.options);
    const service = target?.kind === 'service' ? target.service.resource : undefined;
    if (service?.name) return { name: service.name.value, namespace: namespaceOf(service) };
  }
  return undefined;
}

export function registerProbeRequests(ctx: ServerContext): void {
  ctx.connection.onRequest(PROBE_TARGET_REQUEST, (params: ProbeTargetParams, token: CancellationToken) =>
    runSafe(ctx.connection, 'probe target', token, null, (): ProbeTargetResult | null => {
      ctx.open.syncAll();
      const wanted = serviceAtCursor(ctx, params);
      if (!wanted) return null;
      const file = probeFileModel(ctx.analysis.index(), ctx.analysis.options, wanted.name, wanted.namespace);
      if (!file?.service) return { name: wanted.name, ...(wanted.namespace ? { namespace: wanted.namespace } : {}), file: { destinationRules: [] } };
      // Only a namespace the file writes is passed on; otherwise the probe uses the kube context's.
      const written = file.service.resource.namespace?.value;
      return { name: wanted.name, ...(written ? { namespace: written } : {}), file };
    }),
  );
  ctx.connection.onRequest(SERVICES_REQUEST, (_params: unknown, token: CancellationToken) =>
    runSafe(ctx.connection, 'services', token, [], (): ServiceSummary[] => {
      ctx.open.syncAll();
      return [...ctx.analysis.index().services.values()].flat().map((s) => ({
        name: s.resource.name?.value ?? '',
        namespace: namespaceOf(s.resource),
        type: s.resource.type?.value ?? 'ClusterIP',
        uri: s.uri,
        line: s.startLine + (s.resource.name?.range.start.line ?? 0),
      }));
    }),
  );
}
