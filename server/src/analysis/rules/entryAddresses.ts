import { serviceOfHost } from '../model/hosts';
import { resourceRule } from './resourceRule';

/**
 * docs/rules/EGR416.md: a ServiceEntry port that carries plain TCP (or names no protocol) and an entry without
 * `addresses`: the sidecar can tell its traffic apart only by port, so it opens a `0.0.0.0:<port>` listener that takes
 * every TCP connection to that port without a Service address of its own — unless the mesh allocates addresses (DNS
 * capture with auto-allocation), which the files do not show; hence a hint. Silent when the entry's `status.addresses`
 * holds the addresses Istio's allocation controller wrote, or the `addressAutoAllocation` option says the mesh does it.
 */
export const entryTcpWithoutAddresses = resourceRule({
  code: 'EGR416',
  name: 'entry-tcp-without-addresses',
  title: 'A ServiceEntry TCP port without addresses takes every connection to that port',
  severity: 'hint',
  kinds: ['ServiceEntry'],
  checkResource(entry, _doc, options, report) {
    if (entry.addresses.length > 0 || entry.statusAddresses.length > 0 || options.addressAutoAllocation) return;
    // An entry for a Service's cluster name joins that Service, whose cluster IP the listener uses.
    if (entry.hosts.length > 0 && entry.hosts.every((h) => serviceOfHost(h.value.toLowerCase(), options.clusterDomain))) return;
    // A wildcard entry passed through as is (NONE) is the documented way to let a whole domain out.
    if (entry.resolution?.value === 'NONE' && entry.hosts.some((h) => h.value.startsWith('*'))) return;
    for (const port of entry.ports) {
      const protocol = port.protocol?.value;
      if (protocol !== undefined && protocol.toUpperCase() !== 'TCP') continue;
      const at = port.protocol ?? port.number ?? port.name;
      report({
        message: `Port ${port.number?.value ?? '?'} ${protocol ? 'is plain TCP' : 'names no protocol (TCP)'} and the entry lists no addresses: the sidecar matches its traffic by port alone, on a 0.0.0.0:${port.number?.value ?? '<port>'} listener that also takes every other TCP connection to that port. Add the entry's IPs or CIDRs under addresses, unless the mesh allocates addresses (DNS capture with auto-allocation: set addressAutoAllocation).`,
        range: at?.range ?? port.range,
      });
    }
  },
});
