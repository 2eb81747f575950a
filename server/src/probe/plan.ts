/**
 * Planning, pure: from the live objects (kubectl JSON) and the user's target, the exact kubectl commands to run
 * in which source pods, what each proves and how to read its output. Nothing is run here.
 */
import { serviceFqdn } from '../analysis/model/hosts';
import { curlTarget } from './planTarget';
import { destinationRulesFor, ignoredAliasRules, meshHostOf, tlsForPort } from './destinationRules';
import { detectDrift } from './drift';
import { execArgs } from './kubectlCommands';
import {
  readDestinationRules,
  readEndpoints,
  readNamespace,
  readPods,
  readService,
  readServiceEntries,
  type LiveDestinationRule,
  type LiveNamespace,
  type LivePort,
  type LiveService,
} from './kubeObjects';
import type { AppliedRule, LiveObjects, PlanError, PlannedTarget, ProbePlan, ProbeStep } from './planTypes';
import { describePort, portKind } from './portKinds';
import { validateSettings, validateTarget, type ProbeTarget } from './probeInput';
import type { ProbeSettings } from '../shared/probeSettings';
import { howToCreateSource, selectSourcePods, type PodQuery, type SourcePod } from './sourcePods';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, checkIp, describeValidationError, type ValidationError } from './validate';

/** Parsed kubectl JSON as it came; the planner reads only what it needs from it. */
export interface LiveJson {
  readonly service: unknown;
  readonly endpoints?: unknown;
  readonly destinationRules?: unknown;
  readonly serviceEntries?: unknown;
}

export interface PlanInput {
  readonly target: ProbeTarget & { readonly namespace: string };
  readonly live: LiveJson;
  /** `kubectl get namespace NS -o json` of the namespaces searched for source pods. */
  readonly namespaces?: readonly unknown[];
  /** `kubectl get pods -n NS -l SEL -o json`, in the order searched. */
  readonly podQueries: readonly { readonly namespace: string; readonly selector: string; readonly json: unknown }[];
  readonly settings: ProbeSettings;
}

function invalid(error: ValidationError): PlanError {
  return { kind: 'plan-error', code: 'invalid-input', field: error.field, message: describeValidationError(error) };
}

/** Values that came from the cluster go on a command line too: they get the same checks as the user's. */
function checkLiveValues(service: LiveService, sources: readonly SourcePod[]): ValidationError | undefined {
  const checks = [
    service.clusterIP && service.clusterIP !== 'None' ? checkIp('clusterIP (from the cluster)', service.clusterIP) : undefined,
    service.externalName ? checkHostname('externalName (from the cluster)', service.externalName.toLowerCase()) : undefined,
    ...sources.flatMap((s) => [
      checkDnsLabel('pod namespace (from the cluster)', s.namespace),
      checkDnsSubdomain('pod (from the cluster)', s.pod),
      checkDnsLabel('container (from the cluster)', s.container),
    ]),
  ];
  return checks.find((c) => c !== undefined);
}

function plannedTarget(service: LiveService, settings: ProbeSettings): PlannedTarget {
  return {
    namespace: service.namespace,
    name: service.name,
    fqdn: serviceFqdn(service.name, service.namespace, settings.clusterDomain),
    type: service.type,
    meshHost: meshHostOf(service, settings.clusterDomain, settings.istioVersion),
    external: service.type === 'ExternalName' || service.selector === undefined,
    ...(service.clusterIP ? { clusterIP: service.clusterIP } : {}),
    ...(service.externalName ? { externalName: service.externalName.toLowerCase() } : {}),
  };
}

function portsToProbe(service: LiveService, wanted: number | undefined): LivePort[] | PlanError {
  if (wanted === undefined) {
    if (service.ports.length) return [...service.ports];
    return { kind: 'plan-error', code: 'no-probeable-port', message: `Service ${service.namespace}/${service.name} declares no port; give one to probe (port).` };
  }
  const found = service.ports.find((p) => p.port === wanted);
  if (found) return [found];
  // An ExternalName Service needs no ports; any port of the target may be probed through it.
  if (service.type === 'ExternalName') return [{ port: wanted, protocol: 'TCP' }];
  return {
    kind: 'plan-error',
    code: 'invalid-input',
    field: 'port',
    message: `Service ${service.namespace}/${service.name} has no port ${wanted} (it has ${service.ports.map(describePort).join(', ') || 'none'})`,
  };
}

const SOURCE_ORDER = ['no-sidecar', 'sidecar', 'ambient'] as const;

export function planProbe(input: PlanInput): ProbePlan | PlanError {
  const { settings, target } = input;
  const refused = [...validateTarget(target), ...validateSettings(settings)][0];
  if (refused) return invalid(refused);
  const service = readService(input.live.service);
  if (!service) {
    return { kind: 'plan-error', code: 'service-not-found', message: `Service ${target.namespace}/${target.name} is not in the cluster.` };
  }
  const namespaces = new Map<string, LiveNamespace>(
    (input.namespaces ?? []).flatMap((n) => {
      const ns = readNamespace(n);
      return ns ? [[ns.name, ns] as const] : [];
    }),
  );
  const queries: PodQuery[] = input.podQueries.map((q) => ({ namespace: q.namespace, selector: q.selector, pods: readPods(q.json) }));
  const selection = selectSourcePods(queries, namespaces, { sidecarNamespace: target.namespace, noSidecarNamespace: settings.noSidecarNamespace });
  const sources = [...selection.sources].sort((a, b) => SOURCE_ORDER.indexOf(a.mode) - SOURCE_ORDER.indexOf(b.mode));
  const liveProblem = checkLiveValues(service, sources);
  if (liveProblem) return invalid(liveProblem);
  if (!sources.length) {
    return {
      kind: 'plan-error',
      code: 'no-source-pod',
      message:
        `No Running source pod to run curl in (looked with ${settings.sourceSelectors.map((s) => `-l ${s}`).join(', ')}). ` +
        `With a sidecar: ${howToCreateSource(target.namespace, true)}. Without: ${howToCreateSource(settings.noSidecarNamespace, false)}.`,
      notes: selection.notes,
    };
  }
  const ports = portsToProbe(service, target.port);
  if (!Array.isArray(ports)) return ports;

  const rules = readDestinationRules(input.live.destinationRules);
  const endpoints = readEndpoints(input.live.endpoints);
  const live: LiveObjects = { service, destinationRules: rules, serviceEntries: readServiceEntries(input.live.serviceEntries), ...(endpoints ? { endpoints } : {}) };
  const planned = plannedTarget(service, settings);
  const notes = [...selection.notes];
  for (const ignored of ignoredAliasRules(rules, service, settings.clusterDomain, settings.istioVersion)) {
    notes.push(
      `DestinationRule ${ignored.namespace}/${ignored.name} is written on the ExternalName Service's own name; Istio ${settings.istioVersion} ignores it (EGR401) and applies the rules on ${planned.meshHost} instead.`,
    );
  }
  const steps: ProbeStep[] = [];
  const needsTlsHost: { port: LivePort; reason: string }[] = [];
  const skippedPorts: { port: LivePort; reason: string }[] = [];
  const ruleOrder = [...new Set([target.namespace, service.namespace])];
  const appliedRule = destinationRulesFor(rules, planned.meshHost, settings.clusterDomain, ruleOrder)[0];

  for (const port of ports) {
    const kind = portKind(port);
    if (kind === 'other') {
      skippedPorts.push({ port, reason: `port ${describePort(port)} is neither HTTP nor TLS (${port.appProtocol ?? port.protocol}); curl cannot probe it` });
      continue;
    }
    const applied = appliedRule && appliedRuleFor(appliedRule, port.port);
    const chosen = curlTarget({ planned, port, kind, settings, rule: applied, ...(target.tlsHost ? { tlsHost: target.tlsHost } : {}) });
    if ('skip' in chosen) {
      (chosen.needsHost ? needsTlsHost : skippedPorts).push({ port, reason: chosen.skip });
      continue;
    }
    for (const source of sources) {
      steps.push({
        id: `${source.mode}:${port.port}`,
        source,
        port,
        argv: execArgs(source, chosen.curl),
        ...chosen.step,
        proves: `${chosen.step.proves} ${sourcePhrase(source)}`,
        ...(applied ? { destinationRule: applied } : {}),
      });
    }
  }
  const drift = detectDrift(target.file, live, target.namespace, settings.clusterDomain);
  return { kind: 'plan', target: planned, live, drift, sources, steps, needsTlsHost, skippedPorts, notes };
}

function appliedRuleFor(rule: LiveDestinationRule, port: number): AppliedRule {
  const { tls, portLevel } = tlsForPort(rule, port);
  return {
    name: rule.name,
    namespace: rule.namespace,
    host: rule.host,
    portLevel,
    ...(tls?.mode ? { mode: tls.mode } : {}),
    ...(tls?.sni ? { sni: tls.sni } : {}),
  };
}

function sourcePhrase(source: SourcePod): string {
  switch (source.mode) {
    case 'sidecar':
      return `from ${source.namespace}/${source.pod}, through its istio-proxy sidecar`;
    case 'no-sidecar':
      return `from ${source.namespace}/${source.pod}, which has no sidecar (the direct path, without Istio)`;
    case 'ambient':
      return `from ${source.namespace}/${source.pod}, an ambient-mode pod (through ztunnel)`;
  }
}
