import { V1_API_SINCE } from '../model/istioReleases';
import type { DocumentRule } from './rule';

/** Kinds networking.istio.io serves as v1; others (EnvoyFilter, ProxyConfig) have no v1 to move to. */
const KINDS_WITH_V1 = new Set(['DestinationRule', 'ServiceEntry', 'VirtualService', 'Gateway', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup']);

const STABLE = 'networking.istio.io/v1';

/** docs/rules/EGR003.md: networking.istio.io/v1 is the stable API since Istio 1.22; the older versions are served for compatibility. */
export const deprecatedApiVersion: DocumentRule = {
  code: 'EGR003',
  name: 'istio-api-version',
  title: 'Use networking.istio.io/v1',
  severity: 'hint',
  istio: { since: V1_API_SINCE },
  scope: 'document',
  // Every kind: Gateway, Sidecar and the workload kinds have no model of their own.
  check(doc, _options, report) {
    const r = doc.resource;
    const version = r?.apiVersion;
    if (!version || !/^networking\.istio\.io\/v1(alpha3|beta1)$/.test(version.value) || !KINDS_WITH_V1.has(r.kind.value)) return;
    report({
      message: `${version.value} is an older version of the same API: networking.istio.io/v1 is the stable one since Istio 1.22.`,
      range: version.range,
      // The fields are the same in every served version, so only the apiVersion line changes.
      fixes: [{ title: `Change apiVersion to ${STABLE}`, edits: [{ range: version.range, newText: STABLE }], preferred: true }],
    });
  },
};
