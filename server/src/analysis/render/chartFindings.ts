/**
 * A rendered Helm chart in the analysis: its output is analysed under a uri of its own per template, and every finding
 * on that output is put back on the template line that produced it, naming the values behind that line (pure; running
 * helm is the adapters').
 */
import type { Finding, RelatedInfo, Severity } from '../findings';
import { LineIndex, type Range } from '../text';
import { templateLine } from './helmOutput';
import { unrenderedLines, valuesTruth } from './renderedBlocks';
import { isEmptyValue, valueOrigins, valuePathsIn, type ValueOrigin, type ValuesFile } from './valueOrigin';

/** A chart that rendered. */
export interface RenderedChart {
  readonly status: 'rendered';
  /** The chart folder, a uri ending in `/`. */
  readonly chart: string;
  /** What helm rendered, by the template's path in the chart (`templates/dr.yaml`); a template that rendered nothing is absent. */
  readonly rendered: ReadonlyMap<string, string>;
  /** Every template of the chart (subcharts' too), by path in the chart, with the text it was rendered from. */
  readonly templates: ReadonlyMap<string, string>;
  /** Where resources that name no namespace land: the release's. */
  readonly namespace: string;
  /** The values files in helm's order of precedence, lowest first: the chart's `values.yaml`, then the user's. */
  readonly values: readonly ValuesFile[];
  /** Each subchart's own `values.yaml`, by the subchart's folder in the chart (`charts/postgres`). */
  readonly subchartValues?: ReadonlyMap<string, ValuesFile>;
  /**
   * Files of the chart that are never applied as they are (under `files/`, `tests/`, `ci/`: data the templates read,
   * helm-unittest suites, values for CI), by path in the chart: once the chart renders, they report nothing.
   */
  readonly auxiliary?: readonly string[];
}

/**
 * A values file as a template reads it: a subchart's template reads `.Values.host`, which the parent's values set as
 * `<subchart>.host` (prefix `postgres.`) over the subchart's own `values.yaml` (no prefix).
 */
export interface ScopedValues {
  readonly file: ValuesFile;
  readonly prefix: string;
}

/** The values a template of the chart reads, lowest precedence first. */
export function valuesFor(chart: RenderedChart, templatePath: string): ScopedValues[] {
  const subcharts = /^((?:charts\/[^/]+\/)*)templates\//.exec(templatePath)?.[1] ?? '';
  const names = [...subcharts.matchAll(/charts\/([^/]+)\//g)].map((m) => m[1] ?? '');
  const out: ScopedValues[] = [];
  // Innermost first: each chart's own values.yaml, then its parents' with the path down to it as prefix.
  for (let depth = names.length; depth >= 1; depth--) {
    const folder = names
      .slice(0, depth)
      .map((n) => `charts/${n}`)
      .join('/');
    const own = chart.subchartValues?.get(folder);
    if (own)
      out.push({
        file: own,
        prefix: names
          .slice(depth)
          .map((n) => `${n}.`)
          .join(''),
      });
  }
  const prefix = names.map((n) => `${n}.`).join('');
  for (const file of chart.values) out.push({ file, prefix });
  return out;
}

/** Where each path a template line reads is set: in the values file of highest precedence that sets it. */
function originsOf(paths: readonly string[], values: readonly ScopedValues[]): ValueOrigin[] {
  return paths.flatMap((p) => {
    for (let i = values.length - 1; i >= 0; i--) {
      const scoped = values[i];
      const [origin] = scoped ? valueOrigins([scoped.prefix + p], [scoped.file]) : [];
      if (origin) return [origin];
    }
    return [];
  });
}

/** A chart that did not render, with where the blame goes. */
export interface UnrenderedChart {
  readonly status: 'failed';
  readonly chart: string;
  readonly problems: readonly ChartProblem[];
}

export interface ChartProblem {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
  readonly severity: Severity;
}

export type ChartState = RenderedChart | UnrenderedChart;

/** What one template rendered, with what is needed to place findings back on it. */
export interface RenderedTemplate {
  readonly templateUri: string;
  readonly template: string;
  readonly rendered: string;
  readonly values: readonly ScopedValues[];
  /** The chart folder (a uri ending in `/`), to name values files by their path in it. */
  readonly chart: string;
  /**
   * Set when the template has no file to show (a subchart packaged as `charts/*.tgz`): its path in the chart, named in
   * the message of findings put on `Chart.yaml` instead.
   */
  readonly packaged?: string;
}

const RENDERED_SCHEME = 'istio-egress-rendered:';

/** The uri a template's rendered output is analysed under: never shown, every finding is moved to the template. */
export function renderedUri(templateUri: string): string {
  return `${RENDERED_SCHEME}${templateUri}`;
}

export function isRenderedUri(uri: string): boolean {
  return uri.startsWith(RENDERED_SCHEME);
}

/** The uri of a file of the chart (`templates/a b.yaml`), encoded as a file uri of the same path would be. */
export function chartFileUri(chart: string, pathInChart: string): string {
  return new URL(pathInChart.replace(/%/g, '%25').replace(/#/g, '%23').replace(/\?/g, '%3F'), chart).toString();
}

/** Where a range of rendered output lands in its template: the producing line (`templateLine`), and the values it reads. */
export function placeInTemplate(source: RenderedTemplate, range: Range): { readonly range: Range; readonly origins: ValueOrigin[] } {
  const templateLines = source.template.split(/\r?\n/);
  // A line whose values render what the rendered line reads (a line without values is neutral).
  const reproduces = (i: number, rendered: string): boolean => {
    const paths = valuePathsIn(templateLines[i] ?? '');
    return paths.length > 0 && originsOf(paths, source.values).some((o) => rendersAs(o, rendered));
  };
  const line = templateLine(source.rendered, source.template, range.start.line, { reproduces, unrendered: unrenderedOf(source) });
  const text = templateLines[line] ?? '';
  const first = text.length - text.trimStart().length;
  const renderedLine = (source.rendered.split(/\r?\n/)[range.start.line] ?? '').trim();
  return {
    range: { start: { line, character: first }, end: { line, character: text.length } },
    // Only values the line shows as rendered: a value of a branch not taken, or one a function changed, is no origin.
    origins: originsOf(valuePathsIn(text), source.values)
      .filter((o) => rendersAs(o, renderedLine))
      .map((origin) => withinBlock(origin, renderedLine, source.values)),
  };
}

/** The template's lines inside blocks the values switch off (cached per rendering). */
const unrenderedCache = new WeakMap<RenderedTemplate, ReadonlySet<number>>();

function unrenderedOf(source: RenderedTemplate): ReadonlySet<number> {
  let lines = unrenderedCache.get(source);
  if (!lines) {
    lines = unrenderedLines(
      source.template,
      valuesTruth((path) => {
        const [origin] = originsOf([path], source.values);
        if (!origin || !(origin.path === path || origin.path.endsWith(`.${path}`))) return undefined;
        const file = source.values.find((v) => v.file.uri === origin.uri)?.file.text ?? '';
        const lines = new LineIndex(file);
        const written = file.slice(lines.offsetAt(origin.range.start), lines.offsetAt(origin.range.end));
        return written.slice(written.indexOf(':') + 1);
      }),
    );
    unrenderedCache.set(source, lines);
  }
  return lines;
}

/** Whether the rendered line shows the value: its text (unquoted) in the line, or a whole list or map. */
function rendersAs(origin: ValueOrigin, renderedLine: string): boolean {
  if (origin.value === '[…]' || origin.value === '{…}') return true;
  // An empty value renders as nothing after its key (or as quotes, or `null`).
  if (isEmptyValue(origin.value)) return /:\s*(?:""|''|null|~)?$/.test(renderedLine);
  return renderedLine.includes(origin.value.replace(/^(["'])(.*)\1$/, '$2').replace(/…$/, ''));
}

/**
 * A value that is a whole list or map (`{{ toYaml .Values.ports }}`) narrowed to the line of it that the rendered line
 * copies (`- name: Admin_Port`), when one line of the block reads the same.
 */
function withinBlock(origin: ValueOrigin, renderedLine: string, values: readonly ScopedValues[]): ValueOrigin {
  if ((origin.value !== '[…]' && origin.value !== '{…}') || renderedLine === '') return origin;
  const text = values.find((v) => v.file.uri === origin.uri)?.file.text;
  if (text === undefined) return origin;
  const lines = text.split(/\r?\n/);
  const indent = (l: string): number => l.length - l.trimStart().length;
  const blockIndent = indent(lines[origin.range.start.line] ?? '');
  const same: number[] = [];
  for (let i = origin.range.start.line + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    // The block ends at the first line indented no deeper than its key (a list may sit at the key's own indent).
    if (indent(l) < blockIndent || (indent(l) === blockIndent && !l.trimStart().startsWith('- '))) break;
    if (l.trim() === renderedLine) same.push(i);
  }
  const [only] = same;
  if (only === undefined || same.length > 1) return origin;
  const l = lines[only] ?? '';
  return { ...origin, range: { start: { line: only, character: indent(l) }, end: { line: only, character: l.length } } };
}

/** A values file's name in messages: its path in the chart, else its file name. */
export function valuesLabel(uri: string, chart: string): string {
  return uri.startsWith(chart) ? decodeURIComponent(uri.slice(chart.length)) : decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/**
 * A finding with every location in rendered output moved onto its template: the finding itself (its message then says
 * it comes from the rendering and which values made that line; its fixes go, they would edit the output), and its
 * related locations. The finding itself when it touches no rendered output.
 */
export function ontoTemplates(finding: Finding, sourceOf: (uri: string) => RenderedTemplate | undefined): Finding {
  const own = sourceOf(finding.uri);
  const touches = own !== undefined || finding.related.some((r) => isRenderedUri(r.uri)) || finding.fixes?.some((f) => f.edits.some((e) => isRenderedUri(e.uri)));
  if (!touches) return finding;
  const related: RelatedInfo[] = finding.related.flatMap((r) => {
    const source = sourceOf(r.uri);
    if (source) return [{ ...r, uri: source.templateUri, range: placeInTemplate(source, r.range).range }];
    return isRenderedUri(r.uri) ? [] : [r];
  });
  const fixes = (finding.fixes ?? []).filter((f) => !f.edits.some((e) => isRenderedUri(e.uri)));
  const base = { ...finding, related, ...(finding.fixes ? { fixes } : {}) };
  if (!own) return base;
  const placed = placeInTemplate(own, finding.range);
  const values = placed.origins.map((o) => `${o.path} = ${o.value} in ${valuesLabel(o.uri, own.chart)}`).join(', ');
  return {
    ...base,
    uri: own.templateUri,
    range: placed.range,
    message: own.packaged
      ? `${finding.message} (rendered by helm from ${own.packaged}, packaged in a subchart archive${values ? `; from values: ${values}` : ''})`
      : `${finding.message} (rendered by helm from this line${values ? `; from values: ${values}` : ''})`,
    related: [...placed.origins.map((o) => ({ uri: o.uri, range: o.range, message: `the value ${o.path} = ${o.value}` })), ...related],
    fixes: [],
  };
}

/**
 * A finding on rendered output, once more for each value behind the template line that produced it, in the values
 * file that sets the value: a mistake made in a value is fixed there.
 */
export function inValuesFiles(finding: Finding, source: RenderedTemplate): Finding[] {
  const placed = placeInTemplate(source, finding.range);
  const template = decodeURIComponent(source.templateUri.slice(source.chart.length));
  return placed.origins.map((origin) => ({
    code: finding.code,
    severity: finding.severity,
    uri: origin.uri,
    range: origin.range,
    message: `${finding.message} (in what helm renders from ${template} with ${origin.path} = ${origin.value})`,
    related: [{ uri: source.templateUri, range: placed.range, message: `where ${template} reads ${origin.path}` }],
  }));
}
