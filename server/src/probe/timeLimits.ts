/** How long the runner lets each kind of kubectl command take, from the probe's settings. */
import type { ProbeSettings } from '../shared/probeSettings';

/** Runner time limit for a `kubectl exec … curl`: curl's own limit plus room for the exec stream to set up. */
export function execTimeoutMs(settings: ProbeSettings): number {
  return (settings.curlMaxTimeSeconds + 20) * 1000;
}

/** Runner time limit for a read-only command: kubectl's request timeout plus room for start-up and auth plugins. */
export function readTimeoutMs(settings: ProbeSettings): number {
  return (settings.requestTimeoutSeconds + 10) * 1000;
}
