/** The probe's result, as the CLI prints it and the VS Code client shows it. */
import type { StepResult } from './causes';
import { redactSecrets } from './redact';
import type { Drift } from './drift';
import type { LivePort } from './kubeObjects';
import type { SourcePod } from './sourcePods';

/** One kubectl run, for the transcript; arguments and stderr are redacted. */
export interface CommandRecord {
  readonly purpose: string;
  /** Pasteable command line (program included). */
  readonly display: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly truncated: boolean;
  readonly cancelled: boolean;
  /** The first lines of stderr, when the command failed. */
  readonly stderr?: string;
}

export interface SourceReport {
  readonly source: SourcePod;
  readonly results: readonly StepResult[];
}

export type ReportErrorCode = 'invalid-input' | 'kubectl-unavailable' | 'cluster-error' | 'service-not-found' | 'no-source-pod' | 'no-probeable-port' | 'nothing-probed' | 'cancelled';

export interface ProbeReport {
  readonly context?: string;
  readonly namespace?: string;
  readonly target: {
    readonly name: string;
    readonly namespace?: string;
    readonly fqdn?: string;
    readonly type?: string;
    readonly clusterIP?: string;
    readonly externalName?: string;
    readonly meshHost?: string;
  };
  readonly drift: Drift;
  /** "The cluster has not got this file's version…", when the file and the cluster differ. */
  readonly driftHeadline?: string;
  readonly sources: readonly SourceReport[];
  readonly needsTlsHost: readonly { readonly port: LivePort; readonly reason: string }[];
  readonly skippedPorts: readonly { readonly port: LivePort; readonly reason: string }[];
  readonly notes: readonly string[];
  readonly commands: readonly CommandRecord[];
  /** Set when the probe could not run to the end (usage or cluster problem, cancellation). */
  readonly error?: { readonly code: ReportErrorCode; readonly message: string; readonly field?: string };
  readonly cancelled: boolean;
  readonly outcome: 'pass' | 'fail' | 'error';
  /** For the CLI: 0 every probe passed, 1 a probe failed, 2 usage or cluster error (or nothing could be probed). */
  readonly exitCode: 0 | 1 | 2;
  readonly startedAt: string;
  readonly durationMs: number;
}

export function allResults(report: Pick<ProbeReport, 'sources'>): StepResult[] {
  return report.sources.flatMap((s) => [...s.results]);
}

/** A failed probe outranks errors of other steps: it is a definite answer about the egress path. */
export function outcomeOf(report: Pick<ProbeReport, 'sources' | 'error' | 'cancelled'>): { outcome: ProbeReport['outcome']; exitCode: ProbeReport['exitCode'] } {
  if (report.error || report.cancelled) return { outcome: 'error', exitCode: 2 };
  const statuses = allResults(report).map((r) => r.verdict.status);
  if (statuses.includes('fail')) return { outcome: 'fail', exitCode: 1 };
  if (statuses.includes('error') || !statuses.includes('pass')) return { outcome: 'error', exitCode: 2 };
  return { outcome: 'pass', exitCode: 0 };
}

/** The report as JSON text; `file://` URIs and 0-based ranges are kept as they are (LSP conventions). */
export function reportToJson(report: ProbeReport): string {
  // Verdict texts quote server and kubectl output: the whole text goes through redaction.
  return redactSecrets(JSON.stringify(report, null, 2));
}
