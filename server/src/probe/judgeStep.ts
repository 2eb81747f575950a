/** Pure: one step's captured output → a verdict on that step alone (causes across steps come later, in causes.ts). */
import { classifyExec, describeCurlExit, type ExecOutcome } from './evidence/execOutcome';
import { envoyLocalReply, echoedRequestHeaders, parseHttpDump, sidecarSigns } from './evidence/httpResponse';
import { parseTlsTrace, sameIp } from './evidence/tlsTrace';
import type { KubectlResult } from '../shared/kubectlRunner';
import type { ProbeStep } from './planTypes';
import type { FailureSignature, StepEvidence, Verdict } from './verdictTypes';

const CURL_FAILURES: Readonly<Record<number, FailureSignature>> = {
  6: 'dns',
  7: 'refused',
  28: 'timeout',
  35: 'tls-handshake',
  52: 'empty-reply',
  56: 'reset',
  60: 'untrusted',
};

type Judged = Omit<Verdict, 'timing'>;

export function judgeStep(step: ProbeStep, result: KubectlResult): Verdict {
  const outcome = classifyExec(result);
  const judged = notRun(step, outcome, result) ?? (step.parser === 'http-dump' ? judgeHttp(step, outcome, result) : judgeTls(step, outcome, result));
  const details = result.truncated ? [...judged.details, 'The output was longer than the limit and was cut; the verdict reads what was kept.'] : judged.details;
  return { ...judged, details, timing: { durationMs: result.durationMs } };
}

/** Outcomes where curl never ran (or its run was lost): errors, not failures of the egress path. */
function notRun(step: ProbeStep, outcome: ExecOutcome, result: KubectlResult): Judged | undefined {
  const evidence: StepEvidence = { outcome, truncated: result.truncated };
  const where = `${step.source.namespace}/${step.source.pod}`;
  switch (outcome.kind) {
    case 'runner':
      if (outcome.reason === 'cancelled') return { status: 'skipped', summary: 'cancelled', details: [], evidence };
      return { status: 'error', summary: outcome.message, details: [], evidence };
    case 'no-curl':
      return {
        status: 'error',
        summary: `container ${step.source.container} of ${where} has no curl`,
        details: [outcome.message, "Use a pod of Istio's curl sample (samples/curl/curl.yaml), which has curl."],
        evidence,
      };
    case 'cluster-error':
      return { status: 'error', summary: `kubectl exec into ${where} failed (${outcome.reason}): ${outcome.message}`, details: [], evidence };
    default:
      return undefined;
  }
}

function curlFailure(step: ProbeStep, outcome: Extract<ExecOutcome, { kind: 'curl-error' }>, evidence: StepEvidence, extra: readonly string[]): Judged {
  const failure = CURL_FAILURES[outcome.curlExit] ?? 'curl-other';
  return {
    status: 'fail',
    summary: `${step.url}: ${describeCurlExit(outcome.curlExit)} (curl exit ${outcome.curlExit})`,
    details: [...(outcome.message ? [`curl: ${outcome.message}`] : []), ...extra],
    evidence: { ...evidence, failure },
  };
}

function judgeHttp(step: ProbeStep, outcome: ExecOutcome, result: KubectlResult): Judged {
  const base: StepEvidence = { outcome, truncated: result.truncated };
  if (outcome.kind === 'curl-error') return curlFailure(step, outcome, base, []);
  const response = parseHttpDump(result.stdout);
  if (!response) {
    return { status: 'fail', summary: `${step.url}: curl printed no HTTP response`, details: [], evidence: { ...base, failure: 'no-response' } };
  }
  const sidecar = sidecarSigns(response);
  const localReply = envoyLocalReply(response);
  const echoedHost = echoedRequestHeaders(response.body)?.host;
  const evidence: StepEvidence = {
    ...base,
    http: { status: response.status, statusLine: response.statusLine, sidecar, ...(localReply ? { localReply } : {}), ...(echoedHost ? { echoedHost } : {}) },
  };
  const details = [...sidecarDetails(step, sidecar), ...hostDetails(step, echoedHost)];
  if (localReply) {
    const failure: FailureSignature = response.status === 502 ? 'envoy-blackhole' : response.status >= 500 ? 'envoy-upstream-error' : 'envoy-refused';
    const reason = [localReply.resetReason && `reset reason: ${localReply.resetReason}`, localReply.transportFailure && `transport failure: ${localReply.transportFailure}`]
      .filter(Boolean)
      .join('; ');
    return {
      status: 'fail',
      summary: `${step.url}: HTTP ${response.status} made by Envoy, not by the server${reason ? ` (${reason})` : ''}`,
      details: [`Envoy said: ${localReply.text || response.statusLine}`, ...details],
      evidence: { ...evidence, failure },
    };
  }
  if (response.status >= 500) {
    return { status: 'fail', summary: `${step.url}: the server answered ${response.statusLine}`, details, evidence: { ...evidence, failure: 'http-error' } };
  }
  const via =
    step.source.mode === 'sidecar'
      ? sidecar.echoed.length || sidecar.serverEnvoy
        ? ' through the sidecar'
        : ''
      : step.source.mode === 'no-sidecar'
        ? ' without Istio'
        : ' from an ambient pod';
  const note =
    response.status >= 400
      ? [`The server itself answered ${response.status}: the path works, but the server refused the request (a virtual-hosted server may reject the Host header ${echoedHost ?? step.url}).`]
      : [];
  return { status: 'pass', summary: `${step.url}: HTTP ${response.status}${via}`, details: [...note, ...details], evidence };
}

function sidecarDetails(step: ProbeStep, signs: ReturnType<typeof sidecarSigns>): string[] {
  const seen = [...signs.echoed, ...(signs.serverEnvoy ? ['server: envoy'] : [])];
  if (step.source.mode === 'sidecar') {
    return seen.length
      ? [`Sidecar evidence: ${seen.join(', ')}.`]
      : ['No Envoy header was echoed or returned: the request may not have gone through the sidecar (excluded port or IP range?), or the server does not echo headers.'];
  }
  if (step.source.mode === 'no-sidecar' && seen.length) {
    return [`Envoy headers (${seen.join(', ')}) although the source has no sidecar: an Envoy on the way (egress gateway, the server's own proxy) added them.`];
  }
  return [];
}

function hostDetails(step: ProbeStep, echoedHost: string | undefined): string[] {
  if (!echoedHost) return [];
  const alias = new URL(step.url).host;
  return echoedHost === alias ? [`The server saw Host: ${echoedHost}, the Service's name; a virtual-hosted server may reject that name.`] : [`The server saw Host: ${echoedHost}.`];
}

function judgeTls(step: ProbeStep, outcome: ExecOutcome, result: KubectlResult): Judged {
  const tls = parseTlsTrace(result.stderr);
  const base: StepEvidence = { outcome, tls, truncated: result.truncated };
  const details: string[] = [];
  if (tls.connected) details.push(`curl connected to ${tls.connected.host} (${tls.connected.ip}) port ${tls.connected.port}.`);
  if (step.clusterIP && tls.connected && !sameIp(tls.connected.ip, step.clusterIP)) {
    return {
      status: 'fail',
      summary: `${step.url}: curl connected to ${tls.connected.ip}, not the Service's cluster IP ${step.clusterIP}`,
      details: [...details, '--resolve did not take effect, so this run says nothing about the Service.'],
      evidence: { ...base, failure: 'wrong-ip' },
    };
  }
  if (step.clusterIP && tls.connected) details.push(`The TCP path through the cluster IP ${step.clusterIP} works.`);
  if (tls.handshake)
    details.push(`TLS handshake: ${tls.handshake.version}${tls.handshake.cipher ? ` / ${tls.handshake.cipher}` : ''}${tls.subject ? `, certificate subject ${tls.subject}` : ''}.`);
  if (step.kind === 'tls-external') details.push(`This tests ${step.tlsHost ?? 'the target'} directly, not the ExternalName alias.`);
  if (outcome.kind === 'curl-error') return curlFailure(step, outcome, base, details);
  if (!tls.handshake && !tls.connected) {
    return { status: 'fail', summary: `${step.url}: no connection or TLS handshake in curl's trace`, details, evidence: { ...base, failure: 'no-response' } };
  }
  const status = tls.httpStatus ?? parseHttpDump(result.stdout)?.status;
  const via = step.clusterIP ? ` via the cluster IP ${step.clusterIP}` : '';
  return {
    status: 'pass',
    summary: `${step.url}: TLS with ${step.tlsHost ?? 'the server'}${via} succeeded${tls.handshake ? ` (${tls.handshake.version})` : ''}${status ? `, HTTP ${status}` : ''}`,
    details,
    evidence: base,
  };
}
