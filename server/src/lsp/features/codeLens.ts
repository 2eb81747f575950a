import type { CodeLens } from 'vscode-languageserver/node';
import { namespaceOf } from '../../analysis/model/resources';
import { shiftRange } from '../../analysis/text';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

export const PROBE_COMMAND = 'istioEgress.probeService';

/** "Probe egress service" above every Service a probe can exercise: the command itself runs in the client. */
export function registerCodeLens(ctx: ServerContext): void {
  ctx.connection.onCodeLens((params, token) =>
    runSafe(ctx.connection, 'code lens', token, [], (): CodeLens[] => {
      const model = ctx.open.model(params.textDocument.uri);
      if (!model) return [];
      return model.documents.flatMap((placed) => {
        const r = placed.doc.resource;
        if (r?.kindName !== 'Service' || !r.name) return [];
        const external = r.type?.value === 'ExternalName' || r.selector === undefined;
        if (!external) return [];
        const range = shiftRange(r.kind.range, placed.startLine);
        const namespace = r.namespace ? { namespace: namespaceOf(r) } : {};
        return [
          {
            range,
            command: {
              title: 'Probe egress service',
              command: PROBE_COMMAND,
              arguments: [{ uri: params.textDocument.uri, name: r.name.value, ...namespace }],
            },
          },
        ];
      });
    }),
  );
}
