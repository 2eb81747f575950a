import { isPortNumber, portOutOfRange } from '../model/ports';
import type { TrafficPolicy } from '../model/resources';
import type { LocalFinding } from './rule';
import { resourceRule } from './resourceRule';

function check(policy: TrafficPolicy | undefined, report: (f: LocalFinding) => void): void {
  const seen = new Set<number>();
  for (const level of policy?.portLevelSettings ?? []) {
    if (!level.port) {
      report({ message: 'Each portLevelSettings entry needs port.number: the port it configures.', range: level.range });
    } else if (!isPortNumber(level.port.value)) {
      report({ message: portOutOfRange('Port', level.port.value), range: level.port.range });
    } else if (seen.has(level.port.value)) {
      report({ message: `Port ${level.port.value} has two portLevelSettings entries; only one of them applies.`, range: level.port.range, severity: 'warning' });
    } else {
      seen.add(level.port.value);
    }
  }
}

/** docs/rules/EGR203.md: port-level traffic policies need a valid port. */
export const portLevelSettings = resourceRule({
  code: 'EGR203',
  name: 'dr-port-level-settings',
  title: 'Port-level settings need a valid, unique port',
  severity: 'error',
  kinds: ['DestinationRule'],
  checkResource(rule, _doc, _options, report) {
    check(rule.trafficPolicy, report);
    for (const subset of rule.subsets) check(subset.trafficPolicy, report);
  },
});
