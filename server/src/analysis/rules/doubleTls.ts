import { carriesTls } from '../model/protocols';
import { tlsPlacements } from '../model/tls';
import { destinationOf, isExternalService } from '../workspace/destinations';
import { recommendedMode } from '../workspace/recommendedMode';
import { RULE_DESTINATION } from '../workspace/relations';
import { setTlsMode } from './fixes/tlsMode';
import type { WorkspaceRule } from './rule';
import { externalNameIsAlias } from '../model/istioReleases';

/** docs/rules/EGR403.md: SIMPLE/MUTUAL wrap the workload's own TLS in a second TLS session the server cannot read. */
export const doubleTls: WorkspaceRule = {
  code: 'EGR403',
  name: 'double-tls',
  title: 'TLS origination on a port where the workload already speaks TLS',
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_DESTINATION],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const target = destinationOf(rule, index, options);
      if (target?.kind !== 'service') continue;
      // A Service with pods: an ingress gateway that ended the client's TLS re-encrypts toward the app's own TLS port
      // with SIMPLE, which is right; the files do not show a client speaking TLS there.
      if (!isExternalService(target.service.resource)) continue;
      // From 1.21 a rule on an ExternalName Service has no effect at all (EGR401).
      if (target.service.resource.type?.value === 'ExternalName' && externalNameIsAlias(options.istioVersion)) continue;
      const ports = target.service.resource.ports;
      for (const placement of tlsPlacements(rule.resource)) {
        const mode = placement.mode;
        if (mode?.value !== 'SIMPLE' && mode?.value !== 'MUTUAL') continue;
        const affected = ports.filter((p) => carriesTls(p) && (placement.port === undefined || p.port?.value === placement.port));
        const [first] = affected;
        if (!first) continue;
        const names = affected.map((p) => `${p.port?.value ?? '?'} (${p.name?.value ?? p.appProtocol?.value ?? ''})`).join(', ');
        report({
          at: rule,
          range: mode.range,
          message: `${mode.value} makes the sidecar originate TLS, but port ${names} says the workload already sends TLS: the server would get TLS inside TLS. Use DISABLE, or name the port http to let the sidecar originate.`,
          related: [{ at: target.service, range: first.name?.range ?? first.range, message: 'the TLS port' }],
          // The workload's own TLS should pass through untouched: recommendedMode() says DISABLE for a TLS port.
          fixes: [setTlsMode(rule, mode.range, recommendedMode(target, placement.port)?.mode ?? 'DISABLE')],
        });
      }
    }
  },
};
