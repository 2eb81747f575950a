import { resourceRule } from './resourceRule';

/** The CEL rules of Istio's ServiceEntry CRD (istio-crds.gen.yaml): the API server rejects a violation. */
export const serviceEntryValidation = resourceRule({
  code: 'EGR205',
  name: 'serviceentry-validation',
  title: "A ServiceEntry must satisfy its CRD's validation rules",
  severity: 'error',
  kinds: ['ServiceEntry'],
  checkResource(entry, _doc, _options, report) {
    for (const host of entry.hosts) {
      if (host.value === '*') report({ message: "A ServiceEntry host cannot be '*': name the external hosts (a '*.' prefix is allowed).", range: host.range });
    }
    const numbers = new Set<number>();
    for (const port of entry.ports) {
      if (!port.number) continue;
      if (numbers.has(port.number.value)) report({ message: `Port number ${port.number.value} is declared twice.`, range: port.number.range });
      numbers.add(port.number.value);
    }
    if (entry.endpointsKey && entry.workloadSelectorKey) {
      report({ message: 'Set either endpoints or workloadSelector, not both.', range: entry.workloadSelectorKey });
    }
    const resolution = entry.resolution?.value ?? 'NONE';
    if (resolution === 'NONE' && entry.endpointsKey) {
      report({
        message: `Resolution ${entry.resolution ? 'NONE' : 'NONE (the default)'} cannot list endpoints: use STATIC for IPs or DNS for host names.`,
        range: entry.resolution?.range ?? entry.endpointsKey,
      });
    }
    if (resolution === 'DNS_ROUND_ROBIN' && entry.endpoints.length > 1) {
      report({ message: 'DNS_ROUND_ROBIN takes at most one endpoint.', range: entry.endpointsKey ?? entry.kind.range });
    }
    if (resolution !== 'NONE' && resolution !== 'STATIC') {
      for (const address of entry.addresses) {
        if (address.value.includes('/')) report({ message: `CIDR address '${address.value}' is allowed only with resolution NONE or STATIC.`, range: address.range });
      }
    }
    for (const endpoint of entry.endpoints) {
      // The CRD asks for `address` or `network`: an endpoint of another network is reached through its gateway.
      if (!endpoint.address && !endpoint.network) report({ message: 'Each endpoint needs an address (or the network whose gateway reaches it).', range: endpoint.range, severity: 'error' });
    }
  },
});
