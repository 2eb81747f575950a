import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isIgnored, optionsWithConfig } from '../analysis/config/projectConfig';
import type { Finding } from '../analysis/findings';
import { chartFileUri } from '../analysis/render/chartFindings';
import { isKustomizationFile } from '../analysis/kustomize/kustomization';
import { buildFiles, buildOverlay } from '../rendering/buildOverlay';
import { chartRequest, chartUri, renderChart } from '../rendering/renderChart';
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
    // The flag can only turn it on: without it, the project file decides.
    addressAutoAllocation: args.addressAutoAllocation || fromConfig.addressAutoAllocation,
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
  const readInput = async (absolute: string): Promise<void> => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const found = await loader.find(path.dirname(absolute));
    if (isIgnored(path.relative(found.dir, absolute).split(path.sep).join('/'), found.config.ignore)) return;
    add(found, { uri: pathToFileURL(absolute).toString(), text: await fs.readFile(absolute, 'utf8') });
  };
  for (const arg of args.paths) {
    if (arg === '-') {
      add(await loader.find(io.cwd), { uri: STDIN_URI, text: await io.readStdin() });
      continue;
    }
    try {
      const stat = await fs.stat(arg);
      const files = stat.isDirectory() ? await findYamlFiles(arg) : [arg];
      for (const file of files) await readInput(path.resolve(io.cwd, file));
      // An overlay's bases may live outside the folders given: its build reads them, so they are checked through it.
      if (args.render && stat.isDirectory()) {
        for (const file of (await buildFiles(path.resolve(io.cwd, arg))).files) await readInput(file).catch(() => undefined);
      }
    } catch (error) {
      unreadable.push(`${arg}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const findings: ReportedFinding[] = [];
  const configProblems: string[] = [];
  let files = 0;
  let documents = 0;
  for (const { found, inputs } of groups.values()) {
    if (found.file) configProblems.push(...found.problems.map((p) => `${displayPath(pathToFileURL(found.file ?? '').toString(), io.cwd)}: ${p}`));
    const project = new Analysis(optionsOf(args, found));
    for (const input of inputs) project.setFile(input.uri, input.text);
    const rendered = args.render ? await renderCharts(args, found, inputs, project, unreadable) : new Set<string>();
    if (args.render) await buildOverlays(args, found, inputs, project, unreadable, io.cwd);
    const reported = new Set(inputs.map((i) => i.uri));
    for (const input of inputs) {
      const own = project.findings(input.uri, { config: { config: found.config }, disabled: args.disable });
      const model = project.file(input.uri);
      files++;
      documents += model?.documents.length ?? 0;
      for (const finding of own) {
        const document = finding.uri === input.uri && !rendered.has(input.uri) ? documentName(model, finding) : undefined;
        findings.push({ ...finding, file: displayPath(finding.uri, io.cwd), ...(document ? { document } : {}) });
      }
    }
    // helm may blame a chart file that is not YAML (`_helpers.tpl`): its finding is reported all the same.
    for (const uri of rendered) {
      if (reported.has(uri)) continue;
      for (const finding of project.findings(uri, { config: { config: found.config }, disabled: args.disable })) findings.push({ ...finding, file: displayPath(finding.uri, io.cwd) });
    }
  }
  return { findings, files, documents, unreadable, configProblems };
}

/**
 * Renders every chart among the inputs (a folder with `Chart.yaml`) with `helm template`, as the project file's
 * `charts:` entry for it says (release, namespace, values files; `--values` and `--release-namespace` apply on top),
 * and gives the outcome to the analysis: the output stands in for the templates, or helm's complaint becomes a
 * finding (EGR008) where it puts the blame. Returns the chart files findings may be put on: the templates, and
 * files helm blamed.
 */
async function renderCharts(args: CheckArgs, found: FoundConfig, inputs: readonly Input[], project: Analysis, unreadable: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const all = inputs.filter((i) => i.uri.endsWith('/Chart.yaml')).map((i) => path.dirname(fileURLToPath(i.uri)));
  // A subchart renders with its parent (with the values the parent gives it), not on its own.
  const charts = all.filter((dir) => !all.some((parent) => dir.startsWith(`${parent}${path.sep}charts${path.sep}`)));
  for (const dir of charts) {
    const namespace = args.releaseNamespace;
    const outcome = await renderChart(chartRequest(dir, found, args.helm ?? 'helm', { values: args.values.map((v) => path.resolve(v)), ...(namespace ? { namespace } : {}) }));
    // Asked for by name, a helm that cannot render leaves the chart unchecked; helm merely looked up is only noted.
    if (outcome.unavailable && args.helm !== undefined) unreadable.push(`${dir}: helm template failed: ${outcome.unavailable}`);
    if (!outcome.state) continue;
    project.setChart(chartUri(dir), outcome.state);
    if (outcome.state.status === 'failed') for (const p of outcome.state.problems) out.add(p.uri);
    else for (const template of outcome.state.templates.keys()) out.add(chartFileUri(outcome.state.chart, template));
  }
  return out;
}

/**
 * Builds the overlays among the inputs with `kubectl kustomize` (a kubectl that cannot build them leaves them unchecked
 * when `--kubectl` named it, and is only noted on the kustomization when merely looked up on PATH): each folder given on the command line that holds a
 * kustomization, and each the project file's `overlays:` names, when its kustomization is among the inputs (its build
 * is then checked with the group it belongs to). The output stands in for the resource files of the build.
 */
async function buildOverlays(args: CheckArgs, found: FoundConfig, inputs: readonly Input[], project: Analysis, unreadable: string[], cwd: string): Promise<void> {
  const wanted = new Set([...args.paths.filter((p) => p !== '-').map((p) => path.resolve(cwd, p)), ...found.config.overlays.map((o) => path.resolve(found.dir, o))]);
  const kustomizations = inputs.filter((i) => isKustomizationFile(i.uri) && wanted.has(path.dirname(fileURLToPath(i.uri))));
  for (const input of kustomizations) {
    const dir = path.dirname(fileURLToPath(input.uri));
    const outcome = await buildOverlay({ dir, kubectlPath: args.kubectl ?? 'kubectl' });
    if (outcome.unavailable && args.kubectl !== undefined) unreadable.push(`${dir}: kubectl kustomize failed: ${outcome.unavailable}`);
    if (outcome.state) project.setOverlay(input.uri, outcome.state);
  }
}
