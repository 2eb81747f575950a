import { tlsPlacements } from '../model/tls';
import { destinationOf } from '../workspace/destinations';
import { appliedRule } from '../workspace/drPrecedence';
import { namespaceOf } from '../model/resources';
import { ask } from '../workspace/relation';
import { RULE_DESTINATION, RULE_HOST } from '../workspace/relations';
import type { WorkspaceRule } from './rule';

/**
 * Endpoints with no pod behind them get plain text under auto mTLS, so a DISABLE rule for a selector-less Service
 * changes nothing unless a broader ISTIO_MUTUAL rule would otherwise apply
 * (docs/istio-behaviour.md#endpoints-without-a-pod-get-plain-text).
 */
export const redundantDisable: WorkspaceRule = {
  code: 'EGR407',
  name: 'redundant-disable',
  title: 'tls.mode DISABLE toward hand-written Endpoints is redundant',
  severity: 'hint',
  scope: 'workspace',
  reads: [RULE_DESTINATION, RULE_HOST],
  check(index, options, report) {
    for (const rule of index.destinationRules) {
      const target = destinationOf(rule, index, options);
      if (target?.kind !== 'service') continue;
      const service = target.service.resource;
      if (service.selector || service.type?.value === 'ExternalName') continue;
      const placements = tlsPlacements(rule.resource);
      const mode = rule.resource.trafficPolicy?.tls?.mode;
      if (mode?.value !== 'DISABLE' || placements.some((p) => p.mode?.value !== 'DISABLE')) continue;
      const fallback = appliedRule(target.host, namespaceOf(service), index, options, undefined, rule, undefined, ask(RULE_HOST, rule));
      if (fallback && tlsPlacements(fallback.rule.resource).some((p) => p.mode?.value === 'ISTIO_MUTUAL')) continue;
      report({
        at: rule,
        range: mode.range,
        message: `Redundant today: '${service.name?.value ?? ''}' has hand-written Endpoints with no sidecar, which get plain text under auto mTLS anyway. Keep it only to guard against a broader ISTIO_MUTUAL rule.`,
      });
    }
  },
};
