import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * YAML files under a folder, recursively, in a stable order. Symbolic links are not followed, so a walk never
 * leaves the folder it was given; `node_modules` and `.git` are skipped.
 */
export async function findYamlFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await visit(full);
      } else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        out.push(full);
      }
    }
  };
  await visit(root);
  return out;
}
