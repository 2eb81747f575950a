import { appliedTogether } from '../workspace/together';
import { formatLabels, GATEWAY_SELECTION, mayBeInstalledGateway, selects } from '../workspace/gateways';
import { ask } from '../workspace/relation';
import type { WorkspaceRule } from './rule';

/**
 * docs/rules/EGR418.md: a Gateway configures the gateway proxies whose pod labels its `selector` holds. When the files
 * deploy gateway proxies beside the Gateway (same file or folder) and none of the workspace's carries those labels,
 * the selector most likely names the wrong ones. A selector that may name the gateways an Istio install deploys is left
 * alone, and a gateway in the cluster may still match any other, so a warning.
 */
export const gatewaySelectorUnmatched: WorkspaceRule = {
  code: 'EGR418',
  name: 'gateway-selector-unmatched',
  title: 'A Gateway selects no gateway proxy that the files deploy',
  severity: 'warning',
  scope: 'workspace',
  reads: [GATEWAY_SELECTION],
  check(index, _options, report) {
    for (const gateway of index.gateways) {
      const selector = gateway.resource.selector;
      // The install's own gateways (`istio: egressgateway`) live in the cluster, not in the files.
      if (!selector || mayBeInstalledGateway(selector.value)) continue;
      const workloads = index.gatewayWorkloads(ask(GATEWAY_SELECTION, gateway));
      const beside = workloads.filter((w) => appliedTogether(gateway, w));
      if (beside.length === 0 || workloads.some((w) => w.resource.podLabels && selects(selector.value, w.resource.podLabels.value))) continue;
      const shown = beside.slice(0, 3).map((w) => `${w.resource.kind.value} '${w.resource.name?.value ?? ''}' (${formatLabels(w.resource.podLabels?.value ?? {}) || 'no labels'})`);
      report({
        at: gateway,
        range: selector.keyRange ?? selector.range,
        message: `No gateway proxy deployed in the files carries ${formatLabels(selector.value)}: ${shown.join(', ')} ${beside.length === 1 ? 'does' : 'do'} not. Unless a gateway in the cluster has these labels, no proxy serves this Gateway and the routes bound to it go nowhere. Select the labels of the gateway's pods.`,
        related: beside
          .slice(0, 3)
          .map((w) => ({ at: w, range: w.resource.podLabels?.range ?? w.resource.kind.range, message: `the pod labels of ${w.resource.kind.value} '${w.resource.name?.value ?? ''}'` })),
      });
    }
  },
};
