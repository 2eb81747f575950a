import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/paths';

/** What the README's editor snippets write for the clone's path; the tests put the real project root there. */
export const CLONE_PLACEHOLDER = '<clone>';

/**
 * The code block README.md keeps between `<!-- NAME-snippet:start -->` and `<!-- NAME-snippet:end -->`, fenced as
 * `language`, with the clone placeholder replaced by `cloneDir` (by default: this checkout). The editor tests run it as
 * written, so the README cannot drift from what works.
 */
export function readmeSnippet(name: string, language: string, cloneDir = PROJECT_ROOT): string {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = `<!-- ${name}-snippet:start -->`;
  const end = `<!-- ${name}-snippet:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from || readme.indexOf(start, from + 1) >= 0) {
    throw new Error(`README.md must hold exactly one ${start} … ${end} pair around the ${name} snippet`);
  }
  const block = /^\s*```(\S*)\n([\s\S]*?)\n```\s*$/.exec(readme.slice(from + start.length, to));
  if (!block) throw new Error(`README.md: between ${start} and ${end} there must be one fenced code block and nothing else`);
  if (block[1] !== language) throw new Error(`README.md: the ${name} snippet is fenced as \`${block[1] ?? ''}\`, expected \`${language}\``);
  const code = block[2] ?? '';
  if (!code.includes(CLONE_PLACEHOLDER)) throw new Error(`README.md: the ${name} snippet no longer names ${CLONE_PLACEHOLDER}/dist/server.js`);
  return code.split(CLONE_PLACEHOLDER).join(cloneDir);
}

/** The environment an editor gets in these tests: `node` on PATH (as after the README's `npm ci`), HOME and XDG dirs in `dir`, so no config of this machine is read. */
export function editorEnv(dir: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_CONFIG_DIRS: path.join(dir, 'config-dirs'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    ...overrides,
  };
  for (const name of ['VIMINIT', 'MYVIMRC', 'NVIM_APPNAME', 'NVIM', 'NVIM_LISTEN_ADDRESS', 'NVIM_LOG_FILE']) delete env[name];
  return env;
}
