import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CATALOGUE } from '../../analysis/rules';
import type { Severity } from '../../analysis/findings';
import type { ReportedFinding } from '../check';

const LEVEL: Readonly<Record<Severity, Result.level>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * Where a rule's page is published: `--docs-url`, else the repository named in package.json (at build time), else
 * nowhere. A path on the machine that ran the check means nothing where the SARIF file is read (a code-scanning page),
 * so then the rule carries only its help text.
 */
declare const ISTIO_EGRESS_RULE_DOCS: string | undefined;

function ruleDocUri(code: string, docsUrl: string | undefined): string | undefined {
  const base = docsUrl ?? (typeof ISTIO_EGRESS_RULE_DOCS === 'string' ? ISTIO_EGRESS_RULE_DOCS : undefined);
  return base ? `${base}${code}.md` : undefined;
}

/** SARIF 2.1.0: the catalogue as the tool's rules, each finding a result with a 1-based region. */
export function formatSarif(findings: readonly ReportedFinding[], cwd: string, version: string, docsUrl?: string): string {
  const rules: ReportingDescriptor[] = CATALOGUE.map((r) => {
    const helpUri = ruleDocUri(r.code, docsUrl);
    return {
      id: r.code,
      name: r.name,
      shortDescription: { text: r.title },
      ...(helpUri ? { helpUri } : {}),
      help: { text: `${r.title}. See docs/rules/${r.code}.md in the istio-egress package.` },
      defaultConfiguration: { level: LEVEL[r.severity] },
    };
  });
  const index = new Map(CATALOGUE.map((r, i) => [r.code, i]));
  const results: Result[] = findings.map((f) => ({
    ruleId: f.code,
    ...(index.has(f.code) ? { ruleIndex: index.get(f.code) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: f.file === '-' ? { uri: 'stdin' } : { uri: f.file.split(path.sep).join('/'), ...(path.isAbsolute(f.file) ? {} : { uriBaseId: 'SRCROOT' }) },
          region: {
            startLine: f.range.start.line + 1,
            startColumn: f.range.start.character + 1,
            endLine: f.range.end.line + 1,
            endColumn: f.range.end.character + 1,
          },
        },
        ...(f.document
          ? {
              logicalLocations: [
                { name: f.document.name, kind: 'resource', fullyQualifiedName: `${f.document.kind}/${f.document.namespace ? `${f.document.namespace}/` : ''}${f.document.name}` },
              ],
            }
          : {}),
      },
    ],
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'istio-egress', version, semanticVersion: version, rules } },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(cwd).toString().replace(/\/?$/, '/')}` } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
