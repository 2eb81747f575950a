import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Finding } from '../analysis/findings';
import { DEFAULT_OPTIONS, type AnalysisOptions, type OutboundTrafficPolicy } from '../analysis/options';
import { Project } from '../analysis/workspace/project';
import { findYamlFiles } from '../files/walk';
import { schemaFindings } from '../schema/schemaFindings';
import { YamlService } from '../schema/yamlService';
import type { CheckArgs } from './args';

export const STDIN_URI = 'stdin:/-';

export interface CheckResult {
  readonly findings: readonly Finding[];
  /** Inputs that could not be read, with why. */
  readonly unreadable: readonly string[];
}

export interface Io {
  readStdin(): Promise<string>;
}

function optionsOf(args: CheckArgs): AnalysisOptions {
  return {
    clusterDomain: args.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain,
    istioVersion: args.istioVersion ?? DEFAULT_OPTIONS.istioVersion,
    outboundTrafficPolicy: (args.outboundTrafficPolicy as OutboundTrafficPolicy | undefined) ?? DEFAULT_OPTIONS.outboundTrafficPolicy,
  };
}

/** Loads every input into one project, so cross-file rules see all of them, then collects the findings. */
export async function runCheck(args: CheckArgs, io: Io): Promise<CheckResult> {
  const project = new Project(optionsOf(args));
  const unreadable: string[] = [];
  const uris: string[] = [];
  for (const input of args.paths) {
    if (input === '-') {
      project.setFile(STDIN_URI, await io.readStdin());
      uris.push(STDIN_URI);
      continue;
    }
    try {
      const stat = await fs.stat(input);
      const files = stat.isDirectory() ? await findYamlFiles(input) : [input];
      for (const file of files) {
        const uri = pathToFileURL(path.resolve(file)).toString();
        project.setFile(uri, await fs.readFile(file, 'utf8'));
        uris.push(uri);
      }
    } catch (error) {
      unreadable.push(`${input}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const yaml = new YamlService();
  const findings: Finding[] = [];
  for (const uri of uris) {
    const model = project.file(uri);
    if (!model) continue;
    findings.push(...project.findings(uri, await schemaFindings(yaml, model)));
  }
  return { findings, unreadable };
}

/** How a finding's file is printed: relative to the working directory when inside it, `-` for stdin. */
export function displayPath(uri: string, cwd: string): string {
  if (uri === STDIN_URI) return '-';
  const file = fileURLToPath(uri);
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export function formatText(findings: readonly Finding[], cwd: string): string {
  return findings
    .map((f) => `${displayPath(f.uri, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`)
    .join('\n');
}

export function formatJson(findings: readonly Finding[], cwd: string): string {
  return JSON.stringify(
    findings.map((f) => ({ file: displayPath(f.uri, cwd), range: f.range, severity: f.severity, code: f.code, message: f.message })),
    null,
    2,
  );
}
