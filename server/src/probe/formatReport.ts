/** The report as a readable transcript for the CLI and the output channel: what ran (redacted), then the verdicts. */
import type { StepResult } from './causes';
import { describePort } from './portKinds';
import { redactSecrets } from './redact';
import type { ProbeReport } from './report';
import type { SourcePod } from './sourcePods';

const MARK = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP', error: 'ERROR' } as const;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeSource(source: SourcePod): string {
  const mode = source.mode === 'sidecar' ? 'with sidecar' : source.mode === 'no-sidecar' ? 'without sidecar' : 'ambient';
  return `${source.namespace}/${source.pod} (${mode}, container ${source.container})`;
}

function formatResult(result: StepResult): string[] {
  const { verdict } = result;
  const lines = [`  [${MARK[verdict.status]}] ${verdict.summary} (${seconds(verdict.timing.durationMs)})`];
  for (const detail of verdict.details) lines.push(`         ${detail}`);
  if (verdict.likelyCause) lines.push(`         Likely cause: ${verdict.likelyCause}`);
  const location = verdict.blame?.location;
  if (verdict.blame) {
    const where = location ? ` at ${location.uri ?? 'the file'}:${location.range.start.line + 1}:${location.range.start.character + 1}` : '';
    lines.push(`         Fix: ${verdict.blame.kind} ${verdict.blame.namespace}/${verdict.blame.name} ${verdict.blame.field}${where}${verdict.blame.rule ? ` (${verdict.blame.rule})` : ''}`);
  }
  return lines;
}

export function formatReportText(report: ProbeReport): string {
  const out: string[] = [];
  // Without a namespace (a kubeconfig kubectl could not read, a context it could not find), the name alone.
  const namespace = report.target.namespace ?? report.namespace;
  const target = namespace ? `${namespace}/${report.target.name}` : report.target.name;
  out.push(`Probe of Service ${target}${report.context ? ` (context ${report.context})` : ''}`);
  if (report.target.type) {
    const shape = report.target.type === 'ExternalName' ? `ExternalName → ${report.target.externalName ?? '?'}` : `${report.target.type}, cluster IP ${report.target.clusterIP ?? 'none'}`;
    out.push(`  ${report.target.fqdn ?? ''}: ${shape}; the mesh routes to ${report.target.meshHost ?? '?'}`);
  }
  if (report.driftHeadline) {
    out.push('', report.driftHeadline);
    for (const item of report.drift.items) out.push(`  - ${item.message}`);
  }
  if (report.commands.length) {
    out.push('', 'Commands:');
    for (const c of report.commands) {
      const status = c.cancelled ? 'cancelled' : c.timedOut ? 'timed out' : `exit ${c.exitCode ?? '?'}`;
      out.push(`  $ ${c.display}`, `    # ${c.purpose}: ${status}, ${seconds(c.durationMs)}${c.truncated ? ', output cut' : ''}`);
      if (c.stderr) for (const line of c.stderr.split('\n')) out.push(`    ! ${line}`);
    }
  }
  for (const { source, results } of report.sources) {
    out.push('', `From ${describeSource(source)}:`);
    for (const result of results) out.push(...formatResult(result));
  }
  for (const { port, reason } of report.needsTlsHost) out.push(`  [SKIP] ${describePort(port)}: ${reason}`);
  for (const { port, reason } of report.skippedPorts) out.push(`  [SKIP] ${describePort(port)}: ${reason}`);
  if (report.notes.length) {
    out.push('', 'Notes:');
    for (const note of report.notes) out.push(`  - ${note}`);
  }
  if (report.error) out.push('', `Error: ${report.error.message}`);
  out.push('', `Result: ${report.outcome.toUpperCase()} (exit ${report.exitCode}) in ${seconds(report.durationMs)}`);
  return redactSecrets(out.join('\n'));
}
