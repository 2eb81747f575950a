import type { TrafficPolicy } from '../model/resources';
import type { DocumentRule, LocalFinding } from './rule';

function check(policy: TrafficPolicy | undefined, report: (f: LocalFinding) => void): void {
  const seen = new Set<number>();
  for (const level of policy?.portLevelSettings ?? []) {
    if (!level.port) {
      report({ message: 'Each portLevelSettings entry needs port.number: the port it configures.', range: level.range });
    } else if (level.port.value < 1 || level.port.value > 65535) {
      report({ message: `Port ${level.port.value} is out of range: ports are 1 to 65535.`, range: level.port.range });
    } else if (seen.has(level.port.value)) {
      report({ message: `Port ${level.port.value} has two portLevelSettings entries; only one of them applies.`, range: level.port.range, severity: 'warning' });
    } else {
      seen.add(level.port.value);
    }
  }
}

/** docs/rules/EGR203.md: port-level traffic policies need a valid port. */
export const portLevelSettings: DocumentRule = {
  code: 'EGR203',
  name: 'dr-port-level-settings',
  title: 'Port-level settings need a valid, unique port',
  severity: 'error',
  scope: 'document',
  check(doc, _options, report) {
    const rule = doc.resource;
    if (rule?.kindName !== 'DestinationRule') return;
    check(rule.trafficPolicy, report);
    for (const subset of rule.subsets) check(subset.trafficPolicy, report);
  },
};
