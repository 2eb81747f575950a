/**
 * Renders one chart with `helm template` and turns the outcome into what the analysis takes (`Analysis.setChart`):
 * the output by template with the files it is placed back onto, or where helm put the blame. Shared by the CLI's
 * `--helm` and the language server.
 */
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { pathToFileURL } from 'node:url';
import type { ProjectConfig } from '../analysis/config/projectConfig';
import { chartFileUri, type ChartProblem, type ChartState } from '../analysis/render/chartFindings';
import { helmProblem, lineRange } from '../analysis/render/helmErrors';
import { renderedBySource, templateLine } from '../analysis/render/helmOutput';
import { isEmptyValue, valueOrigins, valuePathsIn, type ValuesFile } from '../analysis/render/valueOrigin';
import { chartName, defaultRelease, readAuxiliary, readIfExists, readSubchartValues, readTemplates } from './chartFiles';
import { helmTemplate } from './helmRunner';

export interface ChartRequest {
  /** The chart's folder (absolute). */
  readonly dir: string;
  readonly helmPath: string;
  /** Default: the folder's name. */
  readonly release?: string;
  /** Default: `default`. */
  readonly namespace?: string;
  /** Absolute paths of values files given after the chart's own `values.yaml`, lowest precedence first. */
  readonly valuesFiles: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ChartOutcome {
  /** undefined when cancelled. */
  readonly state: ChartState | undefined;
  /** The command, for a log line: `helm template payments ./charts/payments --namespace egress --values prod.yaml`. */
  readonly command: string;
  readonly durationMs: number;
  /** Documents rendered (0 when it failed). */
  readonly documents: number;
  /**
   * Set when helm could not run (missing, too slow, too much output): the chart is not checked, which a CI run that
   * named its helm must not take for a pass. Dependencies not downloaded are only noted (EGR008 info on Chart.yaml).
   */
  readonly unavailable?: string;
}

/**
 * How to render the chart in `dir`: as the project file's `charts:` entry for it says (its paths relative to the
 * project file's folder `projectDir`), with `extra` values files after those and a namespace that wins when given.
 */
export function chartRequest(
  dir: string,
  project: { readonly dir: string; readonly config: ProjectConfig },
  helmPath: string,
  extra: { readonly values?: readonly string[]; readonly namespace?: string } = {},
): ChartRequest {
  const entry = project.config.charts.find((c) => path.resolve(project.dir, c.path) === dir);
  const namespace = extra.namespace ?? entry?.namespace;
  return {
    dir,
    helmPath,
    ...(entry?.release ? { release: entry.release } : {}),
    ...(namespace ? { namespace } : {}),
    valuesFiles: [...(entry?.values ?? []).map((v) => path.resolve(project.dir, v)), ...(extra.values ?? [])],
  };
}

/** The chart folder as a uri ending in `/`, the form the analysis keys charts by. */
export function chartUri(dir: string): string {
  return pathToFileURL(dir).toString().replace(/\/?$/, '/');
}

export async function renderChart(request: ChartRequest): Promise<ChartOutcome> {
  const { dir } = request;
  const chart = chartUri(dir);
  const release = request.release ?? defaultRelease(dir);
  const namespace = request.namespace ?? 'default';
  const args = [release, dir, '--namespace', namespace, ...request.valuesFiles.flatMap((v) => ['--values', v])];
  const command = `helm template ${args.join(' ')}`;
  const result = await helmTemplate(request.helmPath, args, request.signal);
  const outcome = (state: ChartState | undefined, documents = 0, unavailable?: string): ChartOutcome => ({
    state,
    command,
    durationMs: result.durationMs,
    documents,
    ...(unavailable ? { unavailable } : {}),
  });
  if (result.cancelled) return outcome(undefined);
  const chartYaml = path.join(dir, 'Chart.yaml');
  if (result.notRun) {
    const problem: ChartProblem = {
      uri: pathToFileURL(chartYaml).toString(),
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `This chart is not rendered, so its templates are not checked as they deploy: ${result.notRun}.`,
      severity: 'info',
    };
    return outcome({ status: 'failed', chart, problems: [problem] }, 0, result.notRun);
  }
  const templates = await readTemplates(dir);
  if (!result.ok) {
    // Dependencies not downloaded are the usual state of a chart in a repository: a note, not an unchecked run.
    const problem = await blame(result.stderr, dir, chart, templates, request.valuesFiles);
    return outcome({ status: 'failed', chart, problems: [await onRenderedLine(problem, result.stderr, templates, args, request)] });
  }
  const rendered = renderedBySource(result.stdout);
  const values: ValuesFile[] = [];
  for (const file of [path.join(dir, 'values.yaml'), ...request.valuesFiles]) {
    const text = await readIfExists(file);
    if (text !== undefined) values.push({ uri: pathToFileURL(file).toString(), text });
  }
  const subchartValues = new Map<string, ValuesFile>();
  for (const [folder, text] of await readSubchartValues(dir)) subchartValues.set(folder, { uri: pathToFileURL(path.join(dir, ...folder.split('/'), 'values.yaml')).toString(), text });
  const documents = [...rendered.values()].reduce((n, text) => n + text.split(/^---$/m).length, 0);
  const auxiliary = await readAuxiliary(dir);
  return outcome({ status: 'rendered', chart, rendered, templates, namespace, values, subchartValues, auxiliary }, documents);
}

/**
 * A template that rendered something that is not YAML: helm names a line of the rendered document, which it prints
 * only with `--debug`. Render once more that way and put the finding on the template line that produced the line
 * after the one named (the YAML parser names the line before the one it could not read); else leave it where it is.
 */
async function onRenderedLine(problem: ChartProblem, stderr: string, templates: ReadonlyMap<string, string>, args: readonly string[], request: ChartRequest): Promise<ChartProblem> {
  const named = /YAML parse error on [^/\s]+\/(\S+): .*?\bline (\d+):/.exec(stderr);
  const file = named?.[1];
  const template = file === undefined ? undefined : templates.get(file);
  if (!named || file === undefined || template === undefined) return problem;
  const debug = await helmTemplate(request.helmPath, [...args, '--debug'], request.signal);
  const rendered = renderedBySource(debug.stdout).get(file);
  // The document of the template that is not YAML, from its `# Source:` line (helm counts from the line after it).
  // Our parser reads some text helm's refuses (`: |`, an empty key): a template of one document is that document.
  const docs = rendered?.split(/\n---\n/) ?? [];
  const broken = docs.find((doc) => parseDocument(doc).errors.length > 0) ?? (docs.length === 1 ? docs[0] : undefined);
  if (broken === undefined) return problem;
  const line = Math.min(Number(named[2]) + 1, broken.split(/\r?\n/).length - 1);
  const at = templateLine(broken, template, line);
  const located = { ...problem, range: lineRange(template, at) };
  // A value the chart's own values leave empty broke the YAML: it may render with the values it is deployed with.
  const paths = valuePathsIn(template.split(/\r?\n/)[at] ?? '');
  if (request.valuesFiles.length > 0 || paths.length === 0) return located;
  const values = (await readIfExists(path.join(request.dir, 'values.yaml'))) ?? '';
  const origins = valueOrigins(paths, [{ uri: 'values.yaml', text: values }]);
  const empty = paths.some((p) => {
    const origin = origins.find((o) => o.path === p);
    return !origin || isEmptyValue(origin.value);
  });
  return empty
    ? {
        ...located,
        severity: 'warning',
        message: `${located.message}, where ${paths.join(', ')} is empty in the chart's own values. If the chart is deployed with other values, name their files in .istio-egress.yaml (charts: [{path, values}]) so that it renders as deployed.`,
      }
    : located;
}

/**
 * A failure the values decide (`required`, `fail`, a value missing under a path the template walks): the chart may
 * well render with the values it is deployed with, so a warning that says how to give them, not an error.
 */
const VALUE_DRIVEN = /execution error at \(|nil pointer evaluating|error calling (?:required|fail)/;
/** Failures of the template text itself, whatever the values. */
const TEMPLATE_BUG = /parse error at|no template "|function "[^"]*" not defined/;

/** helm's complaint as one finding where it puts the blame: the template line, else the chart's `Chart.yaml`. */
async function blame(stderr: string, dir: string, chart: string, templates: ReadonlyMap<string, string>, valuesFiles: readonly string[]): Promise<ChartProblem> {
  const chartYaml = (await readIfExists(path.join(dir, 'Chart.yaml'))) ?? '';
  const problem = helmProblem(stderr, chartName(chartYaml, dir));
  const file = problem.file ?? 'Chart.yaml';
  const text = templates.get(file) ?? (await readIfExists(path.join(dir, ...file.split('/'))));
  const { line, character } = problem.range.start;
  // With values files of its own the chart was rendered as deployed: a failure is the chart's, not a want of values.
  const byValues = valuesFiles.length === 0 && !problem.missingDependencies && VALUE_DRIVEN.test(stderr) && !TEMPLATE_BUG.test(stderr);
  const given = valuesFiles.length ? ` (with ${['values.yaml', ...valuesFiles.map((v) => path.basename(v))].join(', ')})` : '';
  return {
    uri: chartFileUri(chart, file),
    range: text === undefined || problem.file === undefined ? problem.range : lineRange(text, line, character > 0 ? character : undefined),
    message: problem.missingDependencies
      ? `helm template cannot render this chart: its dependencies are not downloaded (${problem.message}). Run \`helm dependency build\` on it; nothing is fetched here.`
      : byValues
        ? `helm template fails here with the chart's own values: ${problem.message}. If the chart is deployed with other values, name their files in .istio-egress.yaml (charts: [{path, values}]) so that it renders as deployed.`
        : `helm template fails here${given}: ${problem.message}`,
    severity: problem.missingDependencies ? 'info' : byValues ? 'warning' : 'error',
  };
}
