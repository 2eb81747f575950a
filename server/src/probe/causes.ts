/**
 * Pure: reads the verdicts of all steps together and names the most likely cause of each failure, pointing at the
 * field of the user's configuration to change. The comparison that matters most: the same port from a pod with a
 * sidecar and from one without.
 */
import { fileDestinationRule, fileNamespace, fileTlsModeFor, locate, type ProbeFileModel } from './fileModel';
import type { LiveServiceEntry } from './kubeObjects';
import type { ProbePlan, ProbeStep } from './planTypes';
import type { ProbeSettings } from '../shared/probeSettings';
import type { Blame, FailureSignature, Verdict } from './verdictTypes';

export interface StepResult {
  readonly step: ProbeStep;
  readonly verdict: Verdict;
}

interface Cause {
  readonly likelyCause: string;
  readonly blame?: Blame;
}

const BROKEN_CONNECTION: readonly FailureSignature[] = ['envoy-upstream-error', 'envoy-blackhole', 'reset', 'tls-handshake', 'empty-reply'];

function registered(entries: readonly LiveServiceEntry[], host: string): LiveServiceEntry | undefined {
  return entries.find((e) => e.hosts.some((h) => h.toLowerCase() === host || (h.startsWith('*.') && host.endsWith(h.slice(1)))));
}

function ruleBlame(plan: ProbePlan, step: ProbeStep, model: ProbeFileModel | undefined, message: string, rule?: string): Blame | undefined {
  const applied = step.destinationRule;
  if (!applied) return undefined;
  const at = fileDestinationRule(model, applied.name, applied.namespace, plan.target.namespace);
  const location = at && locate(at, fileTlsModeFor(at.resource, step.port.port) ?? at.resource.name);
  return {
    kind: 'DestinationRule',
    name: applied.name,
    namespace: applied.namespace,
    field: applied.portLevel ? `spec.trafficPolicy.portLevelSettings[${step.port.port}].tls.mode` : 'spec.trafficPolicy.tls.mode',
    message,
    ...(rule ? { rule } : {}),
    ...(location ? { location } : {}),
  };
}

function serviceBlame(plan: ProbePlan, model: ProbeFileModel | undefined, field: 'spec.externalName' | 'metadata.name', message: string): Blame {
  const at = model?.service;
  const matches = at && at.resource.name?.value === plan.target.name && fileNamespace(at.resource, plan.target.namespace) === plan.target.namespace;
  const location = matches ? locate(at, field === 'spec.externalName' ? (at.resource.externalName ?? at.resource.name) : at.resource.name) : undefined;
  return { kind: 'Service', name: plan.target.name, namespace: plan.target.namespace, field, message, ...(location ? { location } : {}) };
}

function endpointsBlame(plan: ProbePlan, model: ProbeFileModel | undefined, message: string): Blame {
  const at = model?.endpoints;
  const first = at?.resource.subsets.flatMap((s) => s.addresses)[0];
  const location = at && at.resource.name?.value === plan.target.name ? locate(at, first ?? at.resource.name) : undefined;
  return { kind: 'Endpoints', name: plan.target.name, namespace: plan.target.namespace, field: 'subsets.addresses', message, ...(location ? { location } : {}) };
}

function sidecarCause(plan: ProbePlan, result: StepResult, directPassed: boolean, model: ProbeFileModel | undefined, settings: ProbeSettings): Cause | undefined {
  const { step } = result;
  const failure = result.verdict.evidence?.failure;
  const rule = step.destinationRule;
  const host = plan.target.meshHost;
  const ruleName = rule && `DestinationRule ${rule.namespace}/${rule.name}`;
  const placement = rule?.portLevel ? ` for port ${step.port.port}` : '';
  if (rule?.mode === 'ISTIO_MUTUAL' && plan.target.external && failure && BROKEN_CONNECTION.includes(failure)) {
    const text = `${ruleName} sets tls.mode ISTIO_MUTUAL${placement} toward ${host}, which is outside the mesh: it cannot terminate Istio mutual TLS, so the sidecar's connection fails (EGR402). Use DISABLE, or SIMPLE to originate TLS.`;
    return { likelyCause: text, blame: ruleBlame(plan, step, model, text, 'EGR402') };
  }
  if ((rule?.mode === 'SIMPLE' || rule?.mode === 'MUTUAL') && step.kind !== 'http' && failure === 'tls-handshake') {
    const text = `${ruleName} sets tls.mode ${rule.mode}${placement}: the sidecar originates TLS on a port where the client already speaks TLS, so the server gets TLS inside TLS. Use DISABLE for this port.`;
    return { likelyCause: text, blame: ruleBlame(plan, step, model, text) };
  }
  if (!directPassed) return undefined;
  if (rule?.mode && rule.mode !== 'DISABLE') {
    const text = `The direct path works but the sidecar's fails; the sidecar applies ${ruleName} with tls.mode ${rule.mode}${placement} toward ${host}.`;
    return { likelyCause: text, blame: ruleBlame(plan, step, model, text) };
  }
  const entry = registered(plan.live.serviceEntries, host);
  if (!entry && (failure === 'envoy-blackhole' || settings.outboundTrafficPolicy === 'REGISTRY_ONLY')) {
    const text = `The direct path works but the sidecar's fails: with outboundTrafficPolicy REGISTRY_ONLY, a host without a ServiceEntry goes to BlackHoleCluster (502 for HTTP, a reset connection for TLS). Add a ServiceEntry for ${host}.`;
    return { likelyCause: text, blame: serviceBlame(plan, model, plan.target.type === 'ExternalName' ? 'spec.externalName' : 'metadata.name', text) };
  }
  return {
    likelyCause: `The direct path works but the sidecar's fails: the mesh configuration for ${host} blocks it (DestinationRule, ${entry ? `ServiceEntry ${entry.namespace}/${entry.name}'s ports or resolution` : 'a missing ServiceEntry'}, outboundTrafficPolicy, or a Sidecar resource's egress hosts).`,
  };
}

function pathCause(plan: ProbePlan, result: StepResult, model: ProbeFileModel | undefined): Cause | undefined {
  const { step } = result;
  const failure = result.verdict.evidence?.failure;
  const { target } = plan;
  if (failure === 'dns' && target.type === 'ExternalName') {
    const text = `The ExternalName target ${target.externalName ?? ''} does not resolve from ${step.source.namespace}/${step.source.pod}: check the name in spec.externalName.`;
    return { likelyCause: text, blame: serviceBlame(plan, model, 'spec.externalName', text) };
  }
  if (failure === 'dns') {
    return { likelyCause: `${target.fqdn} does not resolve: is the cluster DNS domain ${target.fqdn.split('.svc.')[1] ?? ''} right (istioEgress.clusterDomain)?` };
  }
  if ((failure === 'refused' || failure === 'timeout' || failure === 'reset') && target.type !== 'ExternalName' && target.external) {
    const addresses = plan.live.endpoints?.addresses ?? [];
    const text = addresses.length
      ? `None of the Endpoints addresses (${addresses.join(', ')}) answered on port ${step.port.port}: are they the external server's current IPs?`
      : `Service ${target.namespace}/${target.name} has no ready Endpoints addresses: write the Endpoints object with the external server's IPs.`;
    return { likelyCause: text, blame: endpointsBlame(plan, model, text) };
  }
  if (failure === 'untrusted') {
    return { likelyCause: `The server's certificate does not name ${step.tlsHost ?? 'the host'} (taken from ${step.tlsHostFrom ?? 'the input'}): give the server's real host name.` };
  }
  if (failure === 'wrong-ip') return { likelyCause: 'curl did not use the --resolve entry; an HTTP proxy set in the pod (https_proxy) may be in the way.' };
  return undefined;
}

/** Adds `likelyCause` and `blame` to failed verdicts; other verdicts come back unchanged. */
export function attributeCauses(plan: ProbePlan, results: readonly StepResult[], model: ProbeFileModel | undefined, settings: ProbeSettings): StepResult[] {
  const statusOf = (port: number, mode: string): string | undefined => results.find((r) => r.step.port.port === port && r.step.source.mode === mode)?.verdict.status;
  return results.map((result) => {
    if (result.verdict.status !== 'fail') return result;
    const port = result.step.port.port;
    let cause: Cause | undefined;
    if (result.step.source.mode === 'sidecar') cause = sidecarCause(plan, result, statusOf(port, 'no-sidecar') === 'pass', model, settings);
    cause ??= pathCause(plan, result, model);
    if (!cause && result.step.source.mode === 'no-sidecar' && statusOf(port, 'sidecar') === 'pass') {
      cause = { likelyCause: 'Only the path through the sidecar works: direct egress is blocked (network policy, egress firewall), as expected when egress must go through Istio.' };
    }
    if (!cause) return result;
    return { step: result.step, verdict: { ...result.verdict, likelyCause: cause.likelyCause, ...(cause.blame ? { blame: cause.blame } : {}) } };
  });
}
