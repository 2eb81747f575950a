import type { ReportedFinding } from '../check';

/** A JSON array of findings with 0-based, LSP-style ranges. */
export function formatJson(findings: readonly ReportedFinding[]): string {
  return JSON.stringify(
    findings.map((f) => ({
      file: f.file,
      range: f.range,
      severity: f.severity,
      code: f.code,
      message: f.message,
      ...(f.document ? { document: f.document } : {}),
    })),
    null,
    2,
  );
}
