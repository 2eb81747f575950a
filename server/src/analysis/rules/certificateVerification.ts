import { describePlacement, tlsPlacements } from '../model/tls';
import { expandHost } from '../model/hosts';
import { namespaceOf } from '../model/resources';
import type { DestinationRuleResource } from '../model/resources';
import type { PlacedResource } from '../workspace/placed';
import { ask } from '../workspace/relation';
import { RULE_HOST } from '../workspace/relations';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { WorkspaceRule } from './rule';
import { resourceRule } from './resourceRule';
import { verifiesServerByDefault } from '../model/istioReleases';

/** docs/rules/EGR404.md: `insecureSkipVerify: true` turns off verification of the server's certificate. */
export const insecureSkipVerify = resourceRule({
  code: 'EGR404',
  name: 'insecure-skip-verify',
  title: 'insecureSkipVerify turns off server certificate verification',
  severity: 'warning',
  kinds: ['DestinationRule'],
  checkResource(rule, _doc, _options, report) {
    for (const placement of tlsPlacements(rule)) {
      const skip = placement.tls.insecureSkipVerify;
      if (skip?.value !== true) continue;
      report({
        message: `insecureSkipVerify${describePlacement(placement)} makes the sidecar accept any certificate, so anyone on the path can impersonate the server. Set caCertificates for a private CA instead.`,
        range: skip.range,
      });
    }
  },
});

/**
 * Without caCertificates, Istio ≥ 1.21 verifies the server against the proxy's system CAs (fine for public servers);
 * before 1.21 it did not verify at all (docs/istio-behaviour.md#server-certificates-are-verified-since-121).
 */
export const missingCaCertificates = resourceRule({
  code: 'EGR405',
  name: 'no-ca-certificates',
  title: 'TLS origination without caCertificates',
  severity: 'hint',
  kinds: ['DestinationRule'],
  checkResource(rule, _doc, options, report) {
    const verifies = verifiesServerByDefault(options.istioVersion);
    for (const placement of tlsPlacements(rule)) {
      const { tls, mode } = placement;
      if ((mode?.value !== 'SIMPLE' && mode?.value !== 'MUTUAL') || tls.caCertificates || tls.credentialName || tls.insecureSkipVerify?.value === true) continue;
      report({
        message: verifies
          ? `${mode.value}${describePlacement(placement)} verifies the server against the proxy's system CAs: right for public servers; for a private CA, set caCertificates.`
          : `${mode.value}${describePlacement(placement)} without caCertificates does not verify the server's certificate on Istio before 1.21: set caCertificates.`,
        range: mode.range,
        severity: verifies ? 'hint' : 'warning',
      });
    }
  },
});

/** Whether a VirtualService sends traffic for `host` through a Gateway (an egress gateway's routes bind to one). */
function routedThroughGateway(host: string, index: WorkspaceIndex, rule: PlacedResource<DestinationRuleResource>): boolean {
  return index.routesForHost(host, ask(RULE_HOST, rule)).some((vs) => vs.resource.hosts.some((h) => h.value.toLowerCase() === host) && vs.resource.gateways.some((g) => g.value !== 'mesh'));
}

/** docs/rules/EGR406.md: a Secret credentialName in a sidecar's DR needs a workloadSelector, or no TLS context is built. */
export const credentialWithoutSelector: WorkspaceRule = {
  code: 'EGR406',
  name: 'credential-without-workload-selector',
  title: 'credentialName on a DestinationRule without workloadSelector',
  severity: 'warning',
  scope: 'workspace',
  reads: [RULE_HOST],
  check(index, options, report) {
    for (const at of index.destinationRules) {
      const rule = at.resource;
      // Rules in istio-system usually serve the egress gateway, where credentialName works without a selector.
      if (rule.workloadSelector || rule.namespace?.value === 'istio-system' || !rule.host) continue;
      // An egress gateway's set-up: a VirtualService binds the host to a Gateway, and the gateway dials it with this
      // credential; sidecars only reach the gateway (docs/rules/EGR406.md).
      if (routedThroughGateway(expandHost(rule.host.value, namespaceOf(rule), options.clusterDomain).toLowerCase(), index, at)) continue;
      for (const placement of tlsPlacements(rule)) {
        const credential = placement.tls.credentialName;
        if (!credential || (placement.mode?.value !== 'SIMPLE' && placement.mode?.value !== 'MUTUAL')) continue;
        report({
          at,
          message: `Sidecars use credentialName '${credential.value}' only when the rule has a workloadSelector; without one they silently originate no TLS (gateways are not affected).`,
          range: credential.keyRange ?? credential.range,
        });
      }
    }
  },
};
