/** kubectl argument arrays, built from values already validated (see validate.ts). Nothing here runs anything. */
import type { SourcePod } from './sourcePods';

/** Which cluster to talk to; both absent means kubectl's own defaults (KUBECONFIG, current context). */
export interface ClusterConnection {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/**
 * Global flags, in `--flag=value` form so that a value can never be read as a flag of its own. The request
 * timeout goes on read-only commands only: on `exec` it would cut the stream of a slow curl.
 */
export function globalFlags(connection: ClusterConnection, requestTimeoutSeconds?: number): string[] {
  return [
    ...(connection.kubeconfig ? [`--kubeconfig=${connection.kubeconfig}`] : []),
    ...(connection.context ? [`--context=${connection.context}`] : []),
    ...(requestTimeoutSeconds !== undefined ? [`--request-timeout=${requestTimeoutSeconds}s`] : []),
  ];
}

/** A read-only command and why the probe runs it. */
export interface ReadCommand {
  readonly purpose: string;
  readonly args: readonly string[];
}

export const readCommands = {
  /** The current context's name and default namespace. */
  currentContext: (): ReadCommand => ({ purpose: 'current context and its namespace', args: ['config', 'view', '--minify', '-o', 'json'] }),
  service: (name: string, namespace: string): ReadCommand => ({
    purpose: `the live Service ${namespace}/${name}`,
    args: ['get', 'service', name, '-n', namespace, '-o', 'json'],
  }),
  endpoints: (name: string, namespace: string): ReadCommand => ({
    purpose: `the live Endpoints ${namespace}/${name}`,
    args: ['get', 'endpoints', name, '-n', namespace, '-o', 'json'],
  }),
  destinationRules: (): ReadCommand => ({
    purpose: 'every DestinationRule (the one on the host may live in any namespace)',
    args: ['get', 'destinationrules.networking.istio.io', '-A', '-o', 'json'],
  }),
  serviceEntries: (): ReadCommand => ({
    purpose: 'every ServiceEntry (is the external host registered?)',
    args: ['get', 'serviceentries.networking.istio.io', '-A', '-o', 'json'],
  }),
  /** Fallbacks for users who may not list across namespaces. */
  destinationRulesIn: (namespace: string): ReadCommand => ({
    purpose: `the DestinationRules of ${namespace}`,
    args: ['get', 'destinationrules.networking.istio.io', '-n', namespace, '-o', 'json'],
  }),
  serviceEntriesIn: (namespace: string): ReadCommand => ({
    purpose: `the ServiceEntries of ${namespace}`,
    args: ['get', 'serviceentries.networking.istio.io', '-n', namespace, '-o', 'json'],
  }),
  namespace: (namespace: string): ReadCommand => ({
    purpose: `namespace ${namespace} (ambient label)`,
    args: ['get', 'namespace', namespace, '-o', 'json'],
  }),
  pods: (namespace: string, selector: string): ReadCommand => ({
    purpose: `source pods in ${namespace} with ${selector}`,
    args: ['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json'],
  }),
} as const;

/**
 * Every read-only command a probe of `name` in `namespace` may run, in order. runProbe runs them in this order but
 * skips the Endpoints of an ExternalName Service, stops at the first selector that finds a Running pod, and falls
 * back to `-n <namespace>` when listing DestinationRules or ServiceEntries across namespaces is forbidden.
 */
export function liveStateCommands(name: string, namespace: string, selectors: readonly string[], noSidecarNamespace: string): ReadCommand[] {
  const namespaces = [...new Set([namespace, noSidecarNamespace])];
  return [
    readCommands.currentContext(),
    readCommands.service(name, namespace),
    readCommands.endpoints(name, namespace),
    readCommands.destinationRules(),
    readCommands.serviceEntries(),
    ...namespaces.flatMap((ns) => [readCommands.namespace(ns), ...selectors.map((selector) => readCommands.pods(ns, selector))]),
  ];
}

/** `kubectl exec POD -n NS -c CONTAINER -- <command…>`: `--` ends kubectl's options, so the command is curl's alone. */
export function execArgs(source: SourcePod, command: readonly string[]): string[] {
  return ['exec', source.pod, '-n', source.namespace, '-c', source.container, '--', ...command];
}
