import { describePlacement, tlsPlacements } from '../model/tls';
import { istioAtLeast } from '../options';
import { destinationOf, isMeshExternalEntry } from '../workspace/destinations';
import type { WorkspaceRule } from './rule';

/** RULES.md E1, F5: a server outside the mesh cannot terminate Istio's mutual TLS. */
export const istioMutualToExternal: WorkspaceRule = {
  code: 'EGR402',
  name: 'istio-mutual-to-external',
  title: 'ISTIO_MUTUAL toward a destination outside the mesh',
  severity: 'error',
  scope: 'workspace',
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const target = destinationOf(rule, index, options);
      if (!target) continue;
      let what: string | undefined;
      let related;
      if (target.kind === 'service') {
        const service = target.service.resource;
        const name = service.name?.value ?? '';
        const anchor = service.type ?? service.name ?? service.kind;
        if (service.type?.value === 'ExternalName') {
          // From 1.21 such a rule is dead (EGR401) rather than harmful.
          if (istioAtLeast(options.istioVersion, '1.21')) continue;
          what = `the ExternalName Service '${name}' (${service.externalName?.value ?? 'no target'})`;
        } else if (service.selector === undefined && service.type?.value !== 'ExternalName') {
          what = `the Service '${name}', whose hand-written Endpoints have no sidecar`;
        }
        related = [{ at: target.service, range: anchor.range, message: `Service '${name}'` }];
      } else if (isMeshExternalEntry(target.entry.resource)) {
        what = `'${target.host}', a MESH_EXTERNAL ServiceEntry host`;
        const anchor = target.entry.resource.location ?? target.entry.resource.kind;
        related = [{ at: target.entry, range: anchor.range, message: `ServiceEntry '${target.entry.resource.name?.value ?? ''}'` }];
      }
      if (!what) continue;
      for (const placement of tlsPlacements(rule.resource)) {
        if (placement.mode?.value !== 'ISTIO_MUTUAL') continue;
        report({
          at: rule,
          range: placement.mode.range,
          message: `ISTIO_MUTUAL${describePlacement(placement)} toward ${what}: an external server cannot terminate Istio mutual TLS, so connections fail. Use DISABLE, or SIMPLE to originate TLS.`,
          related: related ?? [],
        });
      }
    }
  },
};
