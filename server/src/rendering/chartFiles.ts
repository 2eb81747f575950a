/** Finding Helm charts on disk and reading the files a rendering is placed back onto. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/** Template files that may render manifests; `NOTES.txt` renders text for people, and binaries are not templates. */
const TEMPLATE_FILE = /\.(ya?ml|tpl|json)$/i;

/**
 * The chart folders under `root` (a folder holding `Chart.yaml`), in a stable order. A subchart inside a chart's
 * `charts/` folder is rendered by its parent, so it is not a chart of its own here.
 */
export async function findCharts(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) {
      out.push(dir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) await visit(path.join(dir, entry.name));
  };
  await visit(root);
  return out;
}

/** The chart folder that holds `file` (the nearest folder upward with `Chart.yaml`, its subcharts included), if any among `charts`. */
export function chartOf(file: string, charts: readonly string[]): string | undefined {
  return charts.filter((dir) => file.startsWith(`${dir}${path.sep}`)).sort((a, b) => b.length - a.length)[0];
}

/** The chart's `name:` (helm prefixes template paths with it), else the folder's name. */
export function chartName(chartYaml: string, dir: string): string {
  const name = /^name:[ \t]*["']?([^"'#\s]+)/m.exec(chartYaml)?.[1];
  return name ?? path.basename(dir);
}

/** A release name helm accepts, from the chart folder's name. */
export function defaultRelease(dir: string): string {
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
  return name.slice(0, 53) || 'release';
}

/** Every template of the chart and of its subcharts, by `/`-separated path in the chart, with its text. */
export async function readTemplates(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (folder: string, inTemplates: boolean): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (inTemplates || entry.name === 'templates') await visit(full, true);
        else if (entry.name === 'charts' || path.basename(folder) === 'charts') await visit(full, false);
      } else if (inTemplates && entry.isFile() && TEMPLATE_FILE.test(entry.name)) {
        out.set(path.relative(dir, full).split(path.sep).join('/'), await fs.readFile(full, 'utf8'));
      }
    }
  };
  await visit(dir, false);
  return out;
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Each subchart's `values.yaml` (nested ones too), by the subchart's folder in the chart (`charts/postgres`). */
export async function readSubchartValues(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (chart: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(chart, 'charts'), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const folder = `${prefix}charts/${entry.name}`;
      const text = await readIfExists(path.join(chart, 'charts', entry.name, 'values.yaml'));
      if (text !== undefined) out.set(folder, text);
      await visit(path.join(chart, 'charts', entry.name), `${folder}/`);
    }
  };
  await visit(dir, '');
  return out;
}

/** The chart's YAML files that are never applied as they are: under `files/`, `tests/` and `ci/`, by path in the chart. */
export async function readAuxiliary(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  for (const name of ['files', 'tests', 'ci']) await visit(path.join(dir, name));
  return out;
}
