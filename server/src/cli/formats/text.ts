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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The last line of a text run: what was checked and what was found, so a clean run says so. */
export function summaryLine(files: number, documents: number, findings: readonly ReportedFinding[]): string {
  const count = (severity: string): number => findings.filter((f) => f.severity === severity).length;
  const found = (['error', 'warning', 'info', 'hint'] as const).flatMap((s) => (count(s) ? [plural(count(s), s)] : []));
  return `Checked ${plural(files, 'file')}, ${plural(documents, 'document')}: ${found.length ? found.join(', ') : 'no findings'}.`;
}
