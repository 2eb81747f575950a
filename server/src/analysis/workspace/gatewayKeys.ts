import type { KeySink } from './relation';

/** The key every Gateway and gateway workload is stored under: a Gateway reads all workloads that run a gateway. */
export const GATEWAY_PROXIES = 'gateway proxies';

/** The key of one selected label (`sel istio=egressgateway`). */
export function selectorKey(name: string, value: string): string {
  return `sel ${name}=${value}`;
}

export function selectorKeys(labels: Readonly<Record<string, string>>, sink: KeySink): void {
  for (const [name, value] of Object.entries(labels)) sink.key(selectorKey(name, value));
}

/**
 * Whether a Service's selector may pick a gateway's pods: Istio's gateways carry an `istio` label (the installed ones
 * `istio: egressgateway`, those of the gateway chart `istio: <name>`), or a name that says gateway. Only such Services
 * are stored by their labels, so the many application Services that share a label do not join one partition.
 */
export function mayServeGateway(selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).some(([name, value]) => name === 'istio' || /gateway/i.test(value) || /gateway/i.test(name));
}
