/**
 * The probe's public API, for the CLI (`istio-egress probe`) and, through shared/probe.ts, the VS Code client.
 * Everything here is free of `vscode` and the LSP library; only shared/kubectlRunner.ts starts processes.
 *
 * Typical use:
 *   const report = await runProbe({ target: { name, namespace, file }, context, settings, signal }, { run: runKubectl, onEvent });
 *   print(formatReportText(report)); process.exitCode = report.exitCode;
 */
export { runProbe, type ProbeDeps, type ProbeEvent, type ProbeOptions, type ProbePhase } from './runProbe';
export { runKubectl, type KubectlRequest, type KubectlResult, type RunKubectl } from '../shared/kubectlRunner';
export { planProbe, type LiveJson, type PlanInput } from './plan';
export type { AppliedRule, EvidenceParser, LiveObjects, PlanError, PlanErrorCode, PlannedTarget, ProbePlan, ProbeStep, StepKind } from './planTypes';
export { formatReportText } from './formatReport';
export { outcomeOf, reportToJson, type CommandRecord, type ProbeReport, type ReportErrorCode, type SourceReport } from './report';
export type { StepResult } from './causes';
export type { Blame, FailureSignature, StepEvidence, Verdict, VerdictStatus } from './verdictTypes';
export { detectDrift, driftHeadline, type Drift, type DriftItem, type LiveState } from './drift';
export type { FileLocation, FileResource, ProbeFileModel } from './fileModel';
export { validateConnection, validateSettings, validateTarget, type ProbeTarget } from './probeInput';
export { DEFAULT_PROBE_SETTINGS, probeSettings, type ProbeSettings } from '../shared/probeSettings';
export { describeValidationError, type ValidationError } from './validate';
export { redactSecrets } from './redact';
export { execArgs, globalFlags, liveStateCommands, readCommands, type ClusterConnection, type ReadCommand } from './kubectlCommands';
export { kubeconfigFiles, readKubeContext, type KubeContext, type KubeContextRequest } from './kubeContext';
export { howToCreateSource, type SourceMode, type SourcePod } from './sourcePods';
