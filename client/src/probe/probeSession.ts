/**
 * One run of "Probe egress service", free of the VS Code API so it can be tested against the fake cluster: ask which
 * context kubectl uses, let the UI confirm, run the probe, and turn the report into what the UI shows.
 */
import type { RunKubectl } from '../../../server/src/shared/kubectlRunner';
import { formatReportText, readKubeContext, runProbe, type ProbeEvent, type ProbeReport } from '../../../server/src/shared/probe';
import type { ProbeSettings } from '../../../server/src/shared/probeSettings';
import type { ProbeTargetResult } from '../../../server/src/shared/protocol';
import type { Settings } from '../../../server/src/shared/settings';

export interface ProbeConnection {
  readonly kubectlPath: string;
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** The connection the settings name; an empty kubeconfig or context leaves the choice to kubectl. */
export function connectionFromSettings(settings: Settings): ProbeConnection {
  const kubeconfig = settings['probe.kubeconfig'];
  const context = settings['probe.context'];
  return { kubectlPath: settings.kubectlPath, ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) };
}

export interface ProbeUi {
  /** Asks before probing; false stops the run. */
  confirm(context: string, service: string): Promise<boolean>;
  progress(message: string): void;
  /** Transcript lines as they come. */
  log(text: string): void;
}

export interface ProbeDiagnostic {
  readonly uri: string;
  readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } };
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface SummaryRow {
  readonly source: string;
  readonly sidecar: string;
  readonly url: string;
  readonly status: string;
  readonly verdict: string;
  readonly seconds: string;
}

export interface ProbeOutcome {
  readonly report?: ProbeReport;
  readonly cancelledByUser?: boolean;
  readonly diagnostics: readonly ProbeDiagnostic[];
  readonly summary: readonly SummaryRow[];
  readonly transcript: string;
}

/** The context the probe would use, read as the probe reads it; a pinned one needs no kubectl. */
async function currentContext(run: RunKubectl, options: RunOptions): Promise<string | undefined> {
  if (options.connection.context) return options.connection.context;
  const request = { ...options.connection, ...(options.env ? { env: options.env } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  return (await readKubeContext(run, request)).context;
}

/** Whether a context needs asking every time: glob patterns with `*` (default `*prod*`). */
export function alwaysAsks(context: string, patterns: readonly string[]): boolean {
  return patterns.some((p) =>
    new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(context),
  );
}

function summaryOf(report: ProbeReport): SummaryRow[] {
  return report.sources.flatMap((source) =>
    source.results.map((r) => ({
      source: `${source.source.namespace}/${source.source.pod}`,
      sidecar: source.source.mode === 'sidecar' ? 'yes' : source.source.mode === 'ambient' ? 'ambient' : 'no',
      url: r.step.url,
      status: r.verdict.evidence?.http ? String(r.verdict.evidence.http.status) : r.verdict.status,
      verdict: `${r.verdict.status.toUpperCase()}: ${r.verdict.summary}`,
      seconds: (r.verdict.timing.durationMs / 1000).toFixed(1),
    })),
  );
}

function diagnosticsOf(report: ProbeReport): ProbeDiagnostic[] {
  const out: ProbeDiagnostic[] = [];
  for (const source of report.sources) {
    for (const r of source.results) {
      const location = r.verdict.blame?.location;
      if (r.verdict.status !== 'fail' || !location?.uri) continue;
      out.push({
        uri: location.uri,
        range: location.range,
        message: `Probe from ${source.source.namespace}/${source.source.pod}: ${r.verdict.summary}${r.verdict.likelyCause ? ` — ${r.verdict.likelyCause}` : ''}`,
        severity: 'error',
      });
    }
  }
  return out;
}

export interface RunOptions {
  readonly target: ProbeTargetResult;
  readonly connection: ProbeConnection;
  readonly settings: Partial<ProbeSettings>;
  /** Context patterns that ask every time. */
  readonly alwaysAsk: readonly string[];
  /** Contexts already confirmed in this session. */
  readonly confirmed: Set<string>;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

export async function runProbeSession(options: RunOptions, ui: ProbeUi, run: RunKubectl): Promise<ProbeOutcome> {
  const context = await currentContext(run, options);
  const shown = context ?? '(no current context)';
  if (!options.confirmed.has(shown) || alwaysAsks(shown, options.alwaysAsk)) {
    if (!(await ui.confirm(shown, options.target.name))) return { cancelledByUser: true, diagnostics: [], summary: [], transcript: '' };
    options.confirmed.add(shown);
  }
  const onEvent = (event: ProbeEvent): void => {
    if (event.type === 'phase') ui.progress(event.message);
    if (event.type === 'step') ui.progress(`probe ${event.index + 1} of ${event.total}`);
    if (event.type === 'command') ui.log(`$ ${event.record.display}`);
  };
  const report = await runProbe(
    {
      target: {
        name: options.target.name,
        ...(options.target.namespace ? { namespace: options.target.namespace } : {}),
        file: options.target.file,
      },
      kubectlPath: options.connection.kubectlPath,
      ...(options.connection.kubeconfig ? { kubeconfig: options.connection.kubeconfig } : {}),
      ...(options.connection.context ? { context: options.connection.context } : {}),
      settings: options.settings,
      ...(options.env ? { env: options.env } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    { run, onEvent },
  );
  const transcript = formatReportText(report);
  ui.log(transcript);
  return { report, diagnostics: diagnosticsOf(report), summary: summaryOf(report), transcript };
}
