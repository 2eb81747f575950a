import type { Finding } from '../findings';
import { notRendered } from '../rules/notRendered';
import { chartFileUri, inValuesFiles, placeInTemplate, valuesFor, isRenderedUri, ontoTemplates, renderedUri, type ChartState, type RenderedTemplate } from '../render/chartFindings';
import { onlyReadKinds } from '../render/readKinds';
import type { Project } from './project';

/**
 * The charts the adapters rendered (or failed to), kept in the project: each template's output is a file of the
 * project under its own uri and the template itself is superseded; findings are read back onto the chart's files.
 */
export class ChartOutputs {
  private readonly states = new Map<string, ChartState>();
  /** By rendered uri. */
  private readonly sources = new Map<string, RenderedTemplate>();
  /** Template uri → the uris its output is analysed under (`Chart.yaml` gathers the templates of packaged subcharts). */
  private readonly outputOf = new Map<string, string[]>();
  /** A values file's uri → the rendered uris whose templates may read it. */
  private readonly readersOf = new Map<string, Set<string>>();
  /** EGR008 findings by the file helm blamed. */
  private readonly problems = new Map<string, Finding[]>();

  constructor(private readonly project: Project) {}

  get any(): boolean {
    return this.states.size > 0;
  }

  set(chart: string, state: ChartState | undefined): void {
    this.clear(chart);
    if (!state) return;
    this.states.set(chart, state);
    if (state.status === 'failed') {
      for (const p of state.problems) {
        const list = this.problems.get(p.uri) ?? [];
        list.push({ code: notRendered.code, severity: p.severity, message: p.message, uri: p.uri, range: p.range, related: [] });
        this.problems.set(p.uri, list);
      }
      return;
    }
    for (const path of [...state.templates.keys(), ...(state.auxiliary ?? [])]) this.project.setSuperseded(chartFileUri(chart, path), chart, true);
    for (const [path, text] of state.rendered) {
      const packaged = !state.templates.has(path);
      const templateUri = packaged ? chartFileUri(chart, 'Chart.yaml') : chartFileUri(chart, path);
      const uri = renderedUri(chartFileUri(chart, path));
      this.project.setFile(uri, onlyReadKinds(text), state.namespace);
      const values = valuesFor(state, path);
      this.sources.set(uri, { templateUri, template: state.templates.get(path) ?? '', rendered: text, values, chart, ...(packaged ? { packaged: path } : {}) });
      this.outputOf.set(templateUri, [...(this.outputOf.get(templateUri) ?? []), uri]);
      for (const { file } of values) {
        const readers = this.readersOf.get(file.uri) ?? new Set<string>();
        readers.add(uri);
        this.readersOf.set(file.uri, readers);
      }
    }
  }

  private clear(chart: string): void {
    const previous = this.states.get(chart);
    if (!previous) return;
    this.states.delete(chart);
    if (previous.status === 'failed') {
      for (const p of previous.problems) this.problems.delete(p.uri);
      return;
    }
    for (const path of [...previous.templates.keys(), ...(previous.auxiliary ?? [])]) this.project.setSuperseded(chartFileUri(chart, path), chart, false);
    for (const path of previous.rendered.keys()) {
      const uri = renderedUri(chartFileUri(chart, path));
      this.project.removeFile(uri);
      this.sources.delete(uri);
    }
    for (const [templateUri, outputs] of this.outputOf) if (outputs.some((o) => !this.sources.has(o))) this.outputOf.delete(templateUri);
    for (const path of previous.rendered.keys()) {
      for (const { file } of valuesFor(previous, path)) {
        const readers = this.readersOf.get(file.uri);
        readers?.delete(renderedUri(chartFileUri(chart, path)));
        if (readers?.size === 0) this.readersOf.delete(file.uri);
      }
    }
  }

  /**
   * A file's findings with the charts read back onto it: `own` (the project's for the file) with locations in rendered
   * output moved to templates, the findings of the template's output, the copies for values the file sets, and the
   * problems helm blamed on it.
   */
  findings(uri: string, own: readonly Finding[], scope: 'all' | 'document'): Finding[] {
    const sourceOf = (u: string): RenderedTemplate | undefined => this.sources.get(u);
    const out = own.map((f) => ontoTemplates(f, sourceOf));
    for (const output of this.outputOf.get(uri) ?? []) for (const f of this.project.findings(output, scope)) out.push(ontoTemplates(f, sourceOf));
    for (const reader of this.readersOf.get(uri) ?? []) {
      const source = this.sources.get(reader);
      if (!source) continue;
      for (const f of this.project.findings(reader, scope)) for (const copy of inValuesFiles(f, source)) if (copy.uri === uri) out.push(copy);
    }
    for (const problem of this.problems.get(uri) ?? []) out.push(problem);
    return out;
  }

  /** A location in rendered output, on its template. */
  location<L extends { readonly uri: string; readonly range: Finding['range'] }>(location: L): L | undefined {
    if (!isRenderedUri(location.uri)) return location;
    const source = this.sources.get(location.uri);
    if (!source) return undefined;
    return { ...location, uri: source.templateUri, range: placeInTemplate(source, location.range).range };
  }
}
