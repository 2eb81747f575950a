import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isIgnored, optionsWithConfig } from '../analysis/config/projectConfig';
import type { Finding } from '../analysis/findings';
import { renderedBySource, templateLine } from '../analysis/render/helmOutput';
import type { Range } from '../analysis/text';
import { helmTemplate } from './helmRunner';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../analysis/options';
import { documentAtLine, type FileModel } from '../analysis/workspace/fileModel';
import { Analysis } from '../analysis/engine/analysis';
import { findYamlFiles } from '../files/walk';
import { ProjectConfigLoader, type FoundConfig } from '../files/projectConfigLoader';
import type { CheckArgs } from './args';

export const STDIN_URI = 'stdin:/-';

/** The resource a finding sits in: what names a finding when there is no file line to go to (stdin). */
export interface DocumentName {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ReportedFinding extends Finding {
  /** As printed: relative to the working directory when inside it, `-` for stdin. */
  readonly file: string;
  readonly document?: DocumentName;
}

export interface CheckResult {
  readonly findings: readonly ReportedFinding[];
  /** How many inputs (files, stdin) and YAML documents were checked: the summary line's figures. */
  readonly files: number;
  readonly documents: number;
  /** Inputs that could not be read, with why. */
  readonly unreadable: readonly string[];
  /** Problems in project files, with the file's path. */
  readonly configProblems: readonly string[];
}

export interface Io {
  readStdin(): Promise<string>;
  readonly cwd: string;
}

interface Input {
  readonly uri: string;
  readonly text: string;
}

/** Command-line flags win over the project file, which wins over the defaults. */
function optionsOf(args: CheckArgs, found: FoundConfig): AnalysisOptions {
  const fromConfig = optionsWithConfig(DEFAULT_OPTIONS, found.config);
  return {
    clusterDomain: args.clusterDomain ?? fromConfig.clusterDomain,
    istioVersion: args.istioVersion ?? fromConfig.istioVersion,
    outboundTrafficPolicy: args.outboundTrafficPolicy ?? fromConfig.outboundTrafficPolicy,
  };
}

export function displayPath(uri: string, cwd: string): string {
  if (uri === STDIN_URI) return '-';
  const file = fileURLToPath(uri);
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The resource a finding sits in. */
function documentName(model: FileModel | undefined, finding: Finding): DocumentName | undefined {
  const resource = model && documentAtLine(model, finding.range.start.line)?.doc.resource;
  if (!resource) return undefined;
  return {
    kind: resource.kind.value,
    name: resource.name?.value ?? '',
    ...(resource.namespace ? { namespace: resource.namespace.value } : {}),
  };
}

/**
 * Reads every input, groups files by their project file (each group is one project, so cross-file rules see the
 * whole group), and collects the findings with the project file's disabled rules and severities applied.
 */
export async function runCheck(args: CheckArgs, io: Io): Promise<CheckResult> {
  const loader = new ProjectConfigLoader();
  const unreadable: string[] = [];
  const groups = new Map<string, { found: FoundConfig; inputs: Input[] }>();
  const add = (found: FoundConfig, input: Input): void => {
    const key = found.file ?? '';
    const group = groups.get(key) ?? { found, inputs: [] };
    group.inputs.push(input);
    groups.set(key, group);
  };
  const seen = new Set<string>();
  for (const arg of args.paths) {
    if (arg === '-') {
      add(await loader.find(io.cwd), { uri: STDIN_URI, text: await io.readStdin() });
      continue;
    }
    try {
      const stat = await fs.stat(arg);
      const files = stat.isDirectory() ? await findYamlFiles(arg) : [arg];
      for (const file of files) {
        const absolute = path.resolve(io.cwd, file);
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        const found = await loader.find(path.dirname(absolute));
        if (isIgnored(path.relative(found.dir, absolute).split(path.sep).join('/'), found.config.ignore)) continue;
        add(found, { uri: pathToFileURL(absolute).toString(), text: await fs.readFile(absolute, 'utf8') });
      }
    } catch (error) {
      unreadable.push(`${arg}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const rendered = args.helm ? await renderCharts(args, groups, unreadable) : new Map<string, RenderedTemplate>();
  const findings: ReportedFinding[] = [];
  const configProblems: string[] = [];
  let files = 0;
  let documents = 0;
  for (const { found, inputs } of groups.values()) {
    if (found.file) configProblems.push(...found.problems.map((p) => `${displayPath(pathToFileURL(found.file ?? '').toString(), io.cwd)}: ${p}`));
    const project = new Analysis(optionsOf(args, found));
    for (const input of inputs) project.setFile(input.uri, input.text);
    for (const input of inputs) {
      const own = project.findings(input.uri, { config: { config: found.config }, disabled: args.disable }).map((f) => ontoTemplates(f, rendered));
      const model = project.file(input.uri);
      files++;
      documents += model?.documents.length ?? 0;
      for (const finding of own) {
        const document = finding.uri === input.uri && !rendered.has(input.uri) ? documentName(model, finding) : undefined;
        findings.push({ ...finding, file: displayPath(finding.uri, io.cwd), ...(document ? { document } : {}) });
      }
    }
  }
  return { findings, files, documents, unreadable, configProblems };
}

/** A chart template replaced by what `helm template` rendered from it. */
interface RenderedTemplate {
  readonly template: string;
  readonly rendered: string;
}

/**
 * Renders every chart among the inputs (a folder with `Chart.yaml`) with `helm template`, and puts the output in
 * place of its templates: each template file's input becomes the documents rendered from it, and a template that
 * rendered nothing (switched off by the values) is dropped. A chart that does not render keeps its templates as
 * they are (one EGR005 note each) and the reason goes to `unreadable`.
 */
async function renderCharts(args: CheckArgs, groups: Map<string, { inputs: Input[] }>, unreadable: string[]): Promise<Map<string, RenderedTemplate>> {
  const out = new Map<string, RenderedTemplate>();
  const all = [...groups.values()].flatMap((g) => g.inputs);
  const charts = all.filter((i) => i.uri.endsWith('/Chart.yaml')).map((i) => i.uri.slice(0, -'Chart.yaml'.length));
  for (const chart of charts) {
    const dir = fileURLToPath(chart);
    const release =
      path
        .basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .replace(/^-+|-+$/g, '') || 'release';
    const helmArgs = [release, dir, '--namespace', args.releaseNamespace ?? 'default', ...args.values.flatMap((v) => ['--values', path.resolve(v)])];
    const result = await helmTemplate(args.helm ?? 'helm', helmArgs);
    if (!result.ok) {
      unreadable.push(`${dir}: helm template failed: ${result.problem ?? 'no reason given'}`);
      continue;
    }
    const bySource = renderedBySource(result.stdout);
    for (const group of groups.values()) {
      group.inputs = group.inputs.flatMap((input) => {
        if (!input.uri.startsWith(`${chart}templates/`)) return [input];
        const text = bySource.get(input.uri.slice(chart.length));
        if (text === undefined) return [];
        out.set(input.uri, { template: input.text, rendered: text });
        return [{ uri: input.uri, text }];
      });
    }
  }
  return out;
}

/** A finding on rendered output, placed on the template line that produced it (`templateLine`). */
function ontoTemplates<F extends Finding>(finding: F, rendered: ReadonlyMap<string, RenderedTemplate>): F {
  const place = (uri: string, range: Range): Range => {
    const source = rendered.get(uri);
    if (!source) return range;
    const line = templateLine(source.rendered, source.template, range.start.line);
    const length = (source.template.split(/\r?\n/)[line] ?? '').length;
    return { start: { line, character: 0 }, end: { line, character: length } };
  };
  if (!rendered.has(finding.uri) && !finding.related.some((r) => rendered.has(r.uri))) return finding;
  return {
    ...finding,
    range: place(finding.uri, finding.range),
    message: rendered.has(finding.uri) ? `${finding.message} (in what helm template renders from this file)` : finding.message,
    related: finding.related.map((r) => ({ ...r, range: place(r.uri, r.range) })),
    // Fixes edit the rendered text, which is not this file.
    ...(rendered.has(finding.uri) ? { fixes: [] } : {}),
  };
}
