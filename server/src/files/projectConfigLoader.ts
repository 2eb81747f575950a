import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EMPTY_CONFIG, parseProjectConfig, PROJECT_CONFIG_FILE, type ProjectConfig } from '../analysis/config/projectConfig';

export interface FoundConfig {
  /** The project file, or undefined when none was found up to the file system's root. */
  readonly file: string | undefined;
  /** The folder ignore globs are relative to. */
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly problems: readonly string[];
}

/** Finds the nearest `.istio-egress.yaml` from a folder upward; answers are cached per folder. */
export class ProjectConfigLoader {
  private readonly cache = new Map<string, Promise<FoundConfig>>();

  find(startDir: string): Promise<FoundConfig> {
    const dir = path.resolve(startDir);
    let found = this.cache.get(dir);
    if (!found) {
      found = this.lookup(dir);
      this.cache.set(dir, found);
    }
    return found;
  }

  forget(): void {
    this.cache.clear();
  }

  private async lookup(dir: string): Promise<FoundConfig> {
    const file = path.join(dir, PROJECT_CONFIG_FILE);
    try {
      const text = await fs.readFile(file, 'utf8');
      const { config, problems } = parseProjectConfig(text);
      return { file, dir, config, problems };
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return { file: undefined, dir, config: EMPTY_CONFIG, problems: [] };
      return this.find(parent);
    }
  }
}
