import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis/engine/analysis';
import { chartOf, findCharts } from '../rendering/chartFiles';
import { chartRequest, chartUri, renderChart } from '../rendering/renderChart';
import type { FoundConfig } from '../files/projectConfigLoader';
import { RenderQueue } from './renderQueue';
import { describe } from './runner';

/** How long after the last save of a chart's file it is rendered: a "save all" or a formatter's second write is one render. */
const DEBOUNCE_MS = 150;

export interface HelmSettings {
  readonly helmPath: string;
  readonly render: boolean;
  /** For overlays (`kubectl kustomize`), the probe's kubectl. */
  readonly kubectlPath: string;
}

/**
 * Renders the workspace's Helm charts with the user's helm, off the typing path: all of them once the workspace is
 * indexed, and a chart again when one of its files (templates, helpers, values, `Chart.yaml`) or a values file its
 * project entry names is saved. Only in a trusted workspace: elsewhere no helm runs and templates keep their EGR005
 * notes, and `Chart.yaml` says why.
 */
export class ChartRenderer {
  private folders: string[] = [];
  private charts: string[] = [];
  /** Values files outside their chart that a project file names, with the chart that reads them. */
  private readonly outsideValues = new Map<string, string>();
  private trusted = true;
  private helm: HelmSettings = { helmPath: 'helm', render: true, kubectlPath: 'kubectl' };
  private readonly queue = new RenderQueue(DEBOUNCE_MS);
  private started = false;

  constructor(
    private readonly connection: Connection,
    private readonly analysis: Analysis,
    private readonly projectFor: (dir: string) => Promise<FoundConfig>,
    private readonly changed: () => void,
  ) {}

  setFolders(uris: readonly string[]): void {
    this.folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  }

  /** Whether helm may run; a change renders every chart again (or takes their output back). */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    if (this.started) void this.renderAll();
  }

  setHelm(helm: HelmSettings): void {
    if (helm.helmPath === this.helm.helmPath && helm.render === this.helm.render) return;
    this.helm = helm;
    if (this.started) void this.renderAll();
  }

  /** Finds the charts of the workspace folders and renders each, one at a time. */
  async renderAll(): Promise<void> {
    this.started = true;
    const found: string[] = [];
    for (const folder of this.folders) found.push(...(await findCharts(folder)));
    for (const gone of this.charts.filter((c) => !found.includes(c))) this.analysis.setChart(chartUri(gone), undefined);
    this.charts = found;
    for (const dir of found) await this.queue.now(dir, (signal) => this.render(dir, signal));
    this.changed();
  }

  /** A file was saved, created or deleted: render the chart it belongs to, once the saves settle. */
  fileChanged(uri: string): void {
    if (!this.started || !uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    if (path.basename(file) === 'Chart.yaml' && !this.charts.includes(path.dirname(file))) {
      void this.renderAll();
      return;
    }
    const chart = chartOf(file, this.charts) ?? this.outsideValues.get(file);
    if (chart) this.queue.later(chart, (signal) => this.render(chart, signal).then(() => this.changed()));
  }

  /** Every chart again (the project files changed: release, namespace or values may have). */
  projectFilesChanged(): void {
    if (this.started) void this.renderAll();
  }

  private async render(dir: string, signal: AbortSignal): Promise<void> {
    const chart = chartUri(dir);
    const chartYaml = pathToFileURL(path.join(dir, 'Chart.yaml')).toString();
    if (!this.helm.render) {
      this.analysis.setChart(chart, undefined);
      return;
    }
    if (!this.trusted) {
      const message = 'This chart is not rendered, so its templates are not checked as they deploy: the workspace is not trusted, and rendering runs helm.';
      this.analysis.setChart(chart, {
        status: 'failed',
        chart,
        problems: [{ uri: chartYaml, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message, severity: 'info' }],
      });
      return;
    }
    try {
      const project = await this.projectFor(dir);
      const request = chartRequest(dir, project, this.helm.helmPath);
      for (const values of request.valuesFiles) if (!values.startsWith(`${dir}${path.sep}`)) this.outsideValues.set(values, dir);
      const outcome = await renderChart({ ...request, signal });
      if (!outcome.state || signal.aborted) return;
      this.analysis.setChart(chart, outcome.state);
      const how = outcome.state.status === 'rendered' ? `${outcome.documents} documents` : 'failed, see Chart.yaml or the file helm blames';
      this.connection.console.info(`rendered chart ${dir}: ${outcome.command} (${outcome.durationMs} ms): ${how}`);
    } catch (error) {
      this.connection.console.error(`rendering chart ${dir} failed: ${describe(error)}`);
    }
  }
}
