import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis/engine/analysis';
import type { FoundConfig } from '../files/projectConfigLoader';
import { buildOverlay, kustomizationIn } from '../rendering/buildOverlay';
import { RenderQueue } from './renderQueue';
import { describe } from './runner';

/** How long after the last save the named overlays are built again. */
const SETTLE_MS = 150;

/**
 * Builds the kustomize overlays the workspace folders' project files name (`overlays:` in `.istio-egress.yaml`) with
 * the user's kubectl (`kubectl kustomize`), off the typing path: once the workspace is indexed, and again a moment
 * after a YAML file of the workspace is saved (a base may live anywhere). Only in a trusted workspace.
 */
export class OverlayBuilder {
  private folders: string[] = [];
  /** The kustomization file uri of each overlay built, by its folder. */
  private built = new Map<string, string>();
  private trusted = true;
  private kubectlPath = 'kubectl';
  private started = false;
  private readonly queue = new RenderQueue(SETTLE_MS);

  constructor(
    private readonly connection: Connection,
    private readonly analysis: Analysis,
    private readonly projectFor: (dir: string) => Promise<FoundConfig>,
    private readonly changed: () => void,
  ) {}

  setFolders(uris: readonly string[]): void {
    this.folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  }

  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    if (this.started) void this.buildAll();
  }

  setKubectl(kubectlPath: string): void {
    if (kubectlPath === this.kubectlPath) return;
    this.kubectlPath = kubectlPath;
    if (this.started) void this.buildAll();
  }

  /** Every named overlay, one after the other; overlays no longer named are forgotten. */
  async buildAll(): Promise<void> {
    this.started = true;
    const named = new Set<string>();
    for (const folder of this.folders) {
      const project = await this.projectFor(folder);
      for (const overlay of project.config.overlays) named.add(path.resolve(project.dir, overlay));
    }
    for (const [dir, kustomization] of this.built) {
      if (named.has(dir)) continue;
      this.analysis.setOverlay(kustomization, undefined);
      this.built.delete(dir);
    }
    for (const dir of named) await this.queue.now(dir, (signal) => this.build(dir, signal));
    this.changed();
  }

  /** A file was saved, created or deleted: build every named overlay again once the saves settle. */
  fileChanged(uri: string): void {
    if (!this.started || this.built.size === 0 || !this.trusted || !/\.ya?ml$|\/Kustomization$/i.test(uri)) return;
    this.queue.later('all', () => this.buildAll());
  }

  private async build(dir: string, signal: AbortSignal): Promise<void> {
    const kustomization = await kustomizationIn(dir);
    if (!kustomization) {
      this.connection.console.warn(`.istio-egress.yaml names the overlay ${dir}, which holds no kustomization`);
      return;
    }
    const uri = pathToFileURL(kustomization.file).toString();
    if (!this.trusted) {
      const message = 'This overlay is not built, so it is checked only as far as its files tell: the workspace is not trusted, and building runs kubectl.';
      this.analysis.setOverlay(uri, {
        status: 'failed',
        kustomization: uri,
        problems: [{ uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message, severity: 'info' }],
      });
      this.built.set(dir, uri);
      return;
    }
    try {
      const outcome = await buildOverlay({ dir, kubectlPath: this.kubectlPath, signal });
      if (!outcome.state || signal.aborted) return;
      this.analysis.setOverlay(outcome.state.kustomization, outcome.state);
      this.built.set(dir, outcome.state.kustomization);
      const how = outcome.state.status === 'built' ? `${outcome.documents} documents` : 'failed, see the kustomization kubectl blames';
      this.connection.console.info(`built overlay ${dir}: ${outcome.command} (${outcome.durationMs} ms): ${how}`);
    } catch (error) {
      this.connection.console.error(`building overlay ${dir} failed: ${describe(error)}`);
    }
  }
}
