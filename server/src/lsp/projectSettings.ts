import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_CONFIG, optionsWithConfig, PROJECT_CONFIG_FILE, type ProjectConfig } from '../analysis/config/projectConfig';
import type { Analysis, FileConfig } from '../analysis/engine/analysis';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../analysis/options';
import { ProjectConfigLoader, type FoundConfig } from '../files/projectConfigLoader';

/**
 * The editor's settings combined with the repository's `.istio-egress.yaml`, the same file the CLI reads: its
 * options (cluster domain, Istio version, traffic policy) come from the first workspace folder's project file and win
 * over the settings, as they are the repository's truth; disabled rules, severities and ignored paths apply per file.
 */
export class ProjectSettings {
  private settingsOptions: AnalysisOptions = DEFAULT_OPTIONS;
  private readonly loader = new ProjectConfigLoader();
  private rootFolder: string | undefined;
  private rootConfig: ProjectConfig = EMPTY_CONFIG;

  constructor(private readonly project: Analysis) {}

  setFolders(folders: readonly string[]): void {
    const first = folders.find((f) => f.startsWith('file:'));
    this.rootFolder = first ? fileURLToPath(first) : undefined;
  }

  setEditorOptions(options: AnalysisOptions): void {
    this.settingsOptions = options;
    this.apply();
  }

  /** Re-reads the project files (after one changed) and applies the root one's options. */
  async reload(): Promise<void> {
    this.loader.forget();
    this.rootConfig = this.rootFolder ? (await this.loader.find(this.rootFolder)).config : EMPTY_CONFIG;
    this.apply();
  }

  private apply(): void {
    this.project.setOptions(optionsWithConfig(this.settingsOptions, this.rootConfig));
  }

  static isProjectFile(uri: string): boolean {
    return uri.endsWith(`/${PROJECT_CONFIG_FILE}`);
  }

  /** The project file that governs a folder (its `charts:` entries say how the charts there are rendered). */
  projectFor(dir: string): Promise<FoundConfig> {
    return this.loader.find(dir);
  }

  /** What a file's nearest project file says, for the analysis to apply (`Analysis.findings`). */
  async configFor(uri: string): Promise<FileConfig> {
    if (!uri.startsWith('file:')) return { config: this.rootConfig };
    const file = fileURLToPath(uri);
    const found: FoundConfig = await this.loader.find(path.dirname(file));
    return found.file ? { config: found.config, path: path.relative(found.dir, file).split(path.sep).join('/') } : { config: found.config };
  }
}
