/**
 * The orchestrator: validates everything, reads the live state with read-only kubectl commands, plans, runs the
 * curl steps one by one and judges them. Processes are started only through the injected `run` (the runner in
 * production, canned outputs in tests); nothing starts before every input has been validated.
 */
import { delimiter } from 'node:path';
import { attributeCauses, type StepResult } from './causes';
import {
  connectionFailure,
  describeConnectionFailure,
  describeKubeconfigProblem,
  kubeconfigPaths,
  kubeconfigProblem,
  kubeconfigSource,
  kubectlStderrLines,
  type KubeconfigProblem,
} from './clusterErrors';
import { detectDrift, driftHeadline, type Drift } from './drift';
import { classifyKubectlError } from './evidence/execOutcome';
import type { ProbeFileModel } from './fileModel';
import { parseJson } from './json';
import { judgeStep } from './judgeStep';
import { globalFlags, readCommands, type ClusterConnection, type ReadCommand } from './kubectlCommands';
import { fileExists, type KubectlResult, type RunKubectl } from '../shared/kubectlRunner';
import { kubeContextFromView } from './kubeContext';
import { readPods, readService } from './kubeObjects';
import { planProbe } from './plan';
import type { ProbePlan, ProbeStep } from './planTypes';
import { validateConnection, validateSettings, validateTarget, type ProbeTarget } from './probeInput';
import { redactSecrets } from './redact';
import { outcomeOf, type CommandRecord, type ProbeReport, type ReportErrorCode, type SourceReport } from './report';
import { probeSettings, type ProbeSettings } from '../shared/probeSettings';
import { execTimeoutMs, readTimeoutMs } from './timeLimits';
import { commandLine } from './shellQuote';
import { checkDnsLabel, describeValidationError } from './validate';
import type { Verdict } from './verdictTypes';

export interface ProbeOptions extends ClusterConnection {
  /** Default `kubectl` (looked up on PATH). */
  readonly kubectlPath?: string;
  readonly target: ProbeTarget;
  readonly settings?: Partial<ProbeSettings>;
  readonly signal?: AbortSignal;
  /** Environment for kubectl (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

export type ProbePhase = 'context' | 'fetch' | 'plan' | 'probe' | 'done';

export type ProbeEvent =
  | { readonly type: 'phase'; readonly phase: ProbePhase; readonly message: string }
  | { readonly type: 'command'; readonly record: CommandRecord }
  | { readonly type: 'step'; readonly index: number; readonly total: number; readonly step: ProbeStep }
  | { readonly type: 'verdict'; readonly step: ProbeStep; readonly verdict: Verdict };

export interface ProbeDeps {
  /** Runs kubectl: `runKubectl` from shared/kubectlRunner.ts, or a fake. */
  readonly run: RunKubectl;
  readonly onEvent?: (event: ProbeEvent) => void;
  /** Clock for timings (default Date.now). */
  readonly now?: () => number;
  /** Whether a kubeconfig file exists, asked only when kubectl found no context (default: `fileExists` of shared/kubectlRunner.ts). */
  readonly fileExists?: (file: string) => Promise<boolean>;
}

/** Stops the probe with a report-level error; caught once in runProbe. */
class ProbeStop extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The cluster cannot be reached or has no context: stops the probe even where a read was optional. */
class ClusterUnusable extends ProbeStop {
  constructor(message: string) {
    super('cluster-error', message);
  }
}

/** The Service is not in the cluster: the drift (file present, cluster absent) still goes into the report. */
class ServiceMissing extends ProbeStop {
  constructor(
    message: string,
    readonly drift: Drift,
  ) {
    super('service-not-found', message);
  }
}

interface Session {
  readonly options: ProbeOptions;
  readonly deps: ProbeDeps;
  readonly settings: ProbeSettings;
  readonly kubectl: string;
  readonly commands: CommandRecord[];
  readonly notes: string[];
  /** What the kube context told: its name and API server, for the message when the server cannot be reached. */
  readonly cluster: { server?: string; context?: string };
}

/** kubectl's stderr for the transcript: klog's repeated discovery lines folded into kubectl's own summary. */
function stderrExcerpt(stderr: string): string {
  return redactSecrets(kubectlStderrLines(stderr).slice(0, 5).join('\n'));
}

function environment(session: Session): NodeJS.ProcessEnv {
  return session.options.env ?? process.env;
}

/** The message for a kubeconfig that gives kubectl no cluster, with a missing file told apart from an empty one. */
async function kubeconfigMessage(session: Session, problem: KubeconfigProblem): Promise<string> {
  const source = kubeconfigSource(session.options.kubeconfig, environment(session), delimiter);
  const exists = session.deps.fileExists ?? fileExists;
  const missing: string[] = [];
  for (const file of kubeconfigPaths(source)) if (!(await exists(file))) missing.push(file);
  return redactSecrets(describeKubeconfigProblem(problem, source, missing));
}

/** A failed read that says the cluster is out of reach or undefined: one message for it, else undefined. */
async function unusableCluster(session: Session, result: KubectlResult): Promise<ClusterUnusable | undefined> {
  const problem = kubeconfigProblem(result.stderr);
  if (problem) return new ClusterUnusable(await kubeconfigMessage(session, problem));
  const failure = result.timedOut ? 'timeout' : connectionFailure(result.stderr);
  if (!failure) return undefined;
  const { server, context } = session.cluster;
  return new ClusterUnusable(redactSecrets(describeConnectionFailure({ kind: failure, stderr: result.stderr, ...(server ? { server } : {}), ...(context ? { context } : {}) })));
}

async function runCommand(session: Session, purpose: string, args: readonly string[], kind: 'read' | 'exec'): Promise<KubectlResult> {
  const { options, settings } = session;
  const full = [...globalFlags(options, kind === 'read' ? settings.requestTimeoutSeconds : undefined), ...args];
  const result = await session.deps.run({
    kubectlPath: session.kubectl,
    args: full,
    timeoutMs: kind === 'read' ? readTimeoutMs(settings) : execTimeoutMs(settings),
    maxOutputBytes: settings.maxOutputBytes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const failed = result.exitCode !== 0 || result.timedOut || result.cancelled || result.spawnError !== undefined;
  const record: CommandRecord = {
    purpose,
    display: redactSecrets(commandLine(session.kubectl, full)),
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    truncated: result.truncated,
    cancelled: result.cancelled,
    ...(failed && (result.stderr.trim() || result.spawnError) ? { stderr: result.spawnError ?? stderrExcerpt(result.stderr) } : {}),
  };
  session.commands.push(record);
  session.deps.onEvent?.({ type: 'command', record });
  return result;
}

/** A read-only command whose JSON is needed; NotFound is an answer (undefined), other failures stop the probe. */
async function readJson(session: Session, command: ReadCommand, notFoundIsFine: boolean): Promise<unknown> {
  const result = await runCommand(session, command.purpose, command.args, 'read');
  if (result.exitCode === 0 && !result.cancelled && !result.timedOut) return parseJson(result.stdout);
  const error = classifyKubectlError(result);
  if (error.reason === 'not-found' && notFoundIsFine) return undefined;
  if (error.reason === 'cancelled') throw new ProbeStop('cancelled', 'cancelled');
  if (error.reason === 'spawn') throw new ProbeStop('kubectl-unavailable', error.message);
  const unusable = await unusableCluster(session, result);
  if (unusable) throw unusable;
  throw new ProbeStop(error.reason === 'not-found' ? 'service-not-found' : 'cluster-error', `${command.purpose}: ${redactSecrets(error.message)}`);
}

/** Like readJson, but a failure only costs part of the analysis (e.g. Istio CRDs missing, no cluster-wide list right). */
async function readOptionalJson(session: Session, command: ReadCommand, consequence: string): Promise<unknown> {
  try {
    return await readJson(session, command, true);
  } catch (error) {
    if (error instanceof ProbeStop && error.code === 'cluster-error' && !(error instanceof ClusterUnusable)) {
      session.notes.push(`${error.message}; ${consequence}`);
      return undefined;
    }
    throw error;
  }
}

/** Cluster-wide first; a user who may not list across namespaces still gets the target namespace's objects. */
async function readAcrossNamespaces(session: Session, all: ReadCommand, one: ReadCommand, what: string): Promise<unknown> {
  const everywhere = await readOptionalJson(session, all, `reading the ${what} of the Service's namespace only.`);
  if (everywhere !== undefined) return everywhere;
  return readOptionalJson(session, one, `${what} are not taken into account.`);
}

/** The namespace object, for its ambient label; 'missing' when it does not exist (no pod to look for there). */
async function readNamespaceJson(session: Session, namespace: string): Promise<unknown> {
  try {
    const json = await readJson(session, readCommands.namespace(namespace), true);
    if (json === undefined) session.notes.push(`Namespace ${namespace} does not exist; no source pod searched there.`);
    return json ?? 'missing';
  } catch (error) {
    // Namespace-scoped users often may not read Namespace objects: only ambient detection is lost.
    if (!(error instanceof ProbeStop) || error.code !== 'cluster-error' || error instanceof ClusterUnusable) throw error;
    session.notes.push(`${error.message}; ambient mode is not detected there.`);
    return undefined;
  }
}

function firstRefusal(options: ProbeOptions, settings: ProbeSettings): ProbeStop | undefined {
  const refused = [...validateConnection(options), ...validateTarget(options.target), ...validateSettings(settings)][0];
  return refused && new ProbeStop('invalid-input', describeValidationError(refused), refused.field);
}

/**
 * The context, its namespace and API server from `kubectl config view --minify`. Without a current context kubectl
 * itself uses the namespace `default`, so that is the namespace reported; the probe stops there, except in a pod
 * (in-cluster credentials, no kubeconfig) when the namespace was given.
 */
async function resolveNamespace(session: Session, resolved: { namespace?: string }): Promise<{ context?: string; namespace: string }> {
  const given = session.options.target.namespace;
  const command = readCommands.currentContext();
  const result = await runCommand(session, command.purpose, command.args, 'read');
  if (result.spawnError) throw new ProbeStop('kubectl-unavailable', result.spawnError);
  if (result.cancelled) throw new ProbeStop('cancelled', 'cancelled');
  const found = kubeContextFromView(result, session.options.context);
  if (result.exitCode !== 0) {
    const problem = kubeconfigProblem(result.stderr);
    // kubectl's namespace when it has no context at all; unknown when the kubeconfig is broken or the context missing.
    if (problem?.kind === 'no-current-context' || problem?.kind === 'file-missing') resolved.namespace = given ?? 'default';
    const inCluster = !session.options.kubeconfig && !session.options.context && environment(session).KUBERNETES_SERVICE_HOST !== undefined;
    if (problem && !(inCluster && given !== undefined && problem.kind === 'no-current-context')) throw new ClusterUnusable(await kubeconfigMessage(session, problem));
    if (given === undefined) throw new ProbeStop('cluster-error', `no usable kube context: ${redactSecrets(classifyKubectlError(result).message)}`);
  }
  const context = found.context;
  if (found.server) session.cluster.server = found.server;
  if (context) session.cluster.context = context;
  const namespace = given ?? found.namespace ?? 'default';
  const refused = checkDnsLabel('namespace (from the kube context)', namespace);
  if (refused) throw new ProbeStop('invalid-input', describeValidationError(refused), refused.field);
  return { ...(context ? { context } : {}), namespace };
}

interface Fetched {
  readonly service: unknown;
  readonly endpoints: unknown;
  readonly destinationRules: unknown;
  readonly serviceEntries: unknown;
  readonly namespaces: unknown[];
  readonly podQueries: { namespace: string; selector: string; json: unknown }[];
}

async function fetchLiveState(session: Session, namespace: string, file: ProbeFileModel | undefined): Promise<Fetched> {
  const name = session.options.target.name;
  const service = await readJson(session, readCommands.service(name, namespace), true);
  const live = readService(service);
  if (!live) {
    const drift = detectDrift(file, { destinationRules: [] }, namespace, session.settings.clusterDomain);
    throw new ServiceMissing(`Service ${namespace}/${name} is not in the cluster${file?.service ? ': apply the file first' : ''}.`, drift);
  }
  // An ExternalName Service has no Endpoints to read.
  const endpoints = live.type === 'ExternalName' ? undefined : await readJson(session, readCommands.endpoints(name, namespace), true);
  const destinationRules = await readAcrossNamespaces(session, readCommands.destinationRules(), readCommands.destinationRulesIn(namespace), 'DestinationRules');
  const serviceEntries = await readAcrossNamespaces(session, readCommands.serviceEntries(), readCommands.serviceEntriesIn(namespace), 'ServiceEntries');
  const namespaces: unknown[] = [];
  const podQueries: Fetched['podQueries'] = [];
  const searched = [...new Set([namespace, session.settings.noSidecarNamespace])];
  for (const ns of searched) {
    const nsJson = await readNamespaceJson(session, ns);
    if (nsJson === 'missing') continue;
    if (nsJson !== undefined) namespaces.push(nsJson);
    for (const selector of session.settings.sourceSelectors) {
      const json = await readOptionalJson(session, readCommands.pods(ns, selector), 'no source pod taken from there.');
      podQueries.push({ namespace: ns, selector, json });
      // The first selector that finds a Running pod in a namespace is enough there.
      if (readPods(json).some((p) => p.phase === 'Running' && !p.deleting)) break;
    }
  }
  return { service, endpoints, destinationRules, serviceEntries, namespaces, podQueries };
}

async function runSteps(session: Session, plan: ProbePlan, now: () => number): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of plan.steps.entries()) {
    if (session.options.signal?.aborted) {
      results.push({ step, verdict: { status: 'skipped', summary: 'cancelled before it ran', details: [], timing: { durationMs: 0 } } });
      continue;
    }
    session.deps.onEvent?.({ type: 'step', index, total: plan.steps.length, step });
    const startedAt = now();
    const result = await runCommand(session, step.proves, step.argv, 'exec');
    const verdict = judgeStep(step, result);
    const timed: Verdict = { ...verdict, timing: { ...verdict.timing, startedAt } };
    results.push({ step, verdict: timed });
    session.deps.onEvent?.({ type: 'verdict', step, verdict: timed });
  }
  return results;
}

function groupBySource(plan: ProbePlan, results: readonly StepResult[]): SourceReport[] {
  return plan.sources.map((source) => ({ source, results: results.filter((r) => r.step.source === source) }));
}

export async function runProbe(options: ProbeOptions, deps: ProbeDeps): Promise<ProbeReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const settings = probeSettings(options.settings);
  const session: Session = { options, deps, settings, kubectl: options.kubectlPath ?? 'kubectl', commands: [], notes: [], cluster: {} };
  const file = options.target.file;
  let context: string | undefined = options.context;
  let namespace: string | undefined = options.target.namespace;
  let drift: Drift = { compared: false, items: [] };
  let plan: ProbePlan | undefined;
  let sources: SourceReport[] = [];
  let error: ProbeReport['error'];
  const phase = (p: ProbePhase, message: string): void => deps.onEvent?.({ type: 'phase', phase: p, message });

  try {
    const refused = firstRefusal(options, settings);
    if (refused) throw refused;
    if (options.signal?.aborted) throw new ProbeStop('cancelled', 'cancelled');
    phase('context', 'Reading the kube context');
    const partly: { namespace?: string } = {};
    const resolved = await resolveNamespace(session, partly).catch((stop: unknown) => {
      namespace ??= partly.namespace;
      throw stop;
    });
    context = resolved.context;
    namespace = resolved.namespace;
    phase('fetch', `Reading Service ${namespace}/${options.target.name} and source pods`);
    const fetched = await fetchLiveState(session, namespace, file);
    phase('plan', 'Planning the probes');
    const planned = planProbe({
      target: { ...options.target, namespace },
      live: fetched,
      namespaces: fetched.namespaces,
      podQueries: fetched.podQueries,
      settings,
    });
    if (planned.kind === 'plan-error') {
      session.notes.push(...(planned.notes ?? []));
      throw new ProbeStop(planned.code, planned.message, planned.field);
    }
    plan = planned;
    drift = plan.drift;
    phase('probe', `Running ${plan.steps.length} probe${plan.steps.length === 1 ? '' : 's'}`);
    const judged = attributeCauses(plan, await runSteps(session, plan, now), file, settings);
    sources = groupBySource(plan, judged);
    if (options.signal?.aborted) error = { code: 'cancelled', message: 'cancelled' };
    else if (!plan.steps.length) error = { code: 'nothing-probed', message: 'No port could be probed.' };
  } catch (caught) {
    if (!(caught instanceof ProbeStop)) throw caught;
    if (caught instanceof ServiceMissing) drift = caught.drift;
    error = { code: caught.code, message: caught.message, ...(caught.field ? { field: caught.field } : {}) };
  }
  phase('done', 'Done');
  const cancelled = options.signal?.aborted === true;
  const base = { sources, error, cancelled };
  const headline = driftHeadline(drift);
  return {
    ...(context ? { context } : {}),
    ...(namespace ? { namespace } : {}),
    target: plan
      ? {
          name: plan.target.name,
          namespace: plan.target.namespace,
          fqdn: plan.target.fqdn,
          type: plan.target.type,
          meshHost: plan.target.meshHost,
          ...(plan.target.clusterIP ? { clusterIP: plan.target.clusterIP } : {}),
          ...(plan.target.externalName ? { externalName: plan.target.externalName } : {}),
        }
      : { name: options.target.name, ...(namespace ? { namespace } : {}) },
    drift,
    ...(headline ? { driftHeadline: headline } : {}),
    sources,
    needsTlsHost: plan?.needsTlsHost ?? [],
    skippedPorts: plan?.skippedPorts ?? [],
    notes: [...(plan?.notes ?? []), ...session.notes],
    commands: session.commands,
    ...(error ? { error } : {}),
    cancelled,
    ...outcomeOf(base),
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
  };
}
