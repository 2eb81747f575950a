import type { ReportedFinding } from '../check';

const COMMAND: Readonly<Record<string, string>> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` annotation per finding. */
export function formatGithub(findings: readonly ReportedFinding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${escapeProperty(f.code)}`,
      ];
      return `::${COMMAND[f.severity] ?? 'notice'} ${props.join(',')}::${escapeData(`${f.code} ${f.message}`)}`;
    })
    .join('\n');
}
