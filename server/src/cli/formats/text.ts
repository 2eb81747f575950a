import type { ReportedFinding } from '../check';

/** `file:line:col severity code message`, 1-based; stdin findings also name their document. */
export function formatText(findings: readonly ReportedFinding[]): string {
  return findings
    .map((f) => {
      const doc = f.file === '-' && f.document ? ` [${f.document.kind} ${f.document.namespace ? `${f.document.namespace}/` : ''}${f.document.name}]` : '';
      return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}${doc}`;
    })
    .join('\n');
}
