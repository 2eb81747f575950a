/**
 * A code-server (VS Code 1.139 served to the browser) of the tests' own: Node 24 from .tools/e2e, on
 * 127.0.0.1:<free port>, no auth, no telemetry or update check, no extension gallery, its own user-data-dir,
 * extensions-dir, HOME and config file under a temp folder, the packaged .vsix installed, and user settings written
 * before it starts. Its environment is built from scratch, so nothing of the developer's (KUBECONFIG, proxies, ~/.kube)
 * reaches the extension or the kubectl it runs.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, freePort, NODE24, NODE24_DIR, runCommand, stopGroup, waitForHttp } from './processes';

export interface CodeServerOptions {
  /** Label for logs ("main", "untrusted"). */
  readonly name: string;
  /** Folder for this instance's user data, extensions, HOME and log. */
  readonly root: string;
  readonly vsix: string;
  /** User settings (User/settings.json). */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * Remote (machine) settings (Machine/settings.json). In a remote window, which a code-server workbench is, settings of
   * scope `machine` and `machine-overridable` (istioEgress.kubectlPath, istioEgress.probe.kubeconfig) are read from
   * here and ignored in the user settings, as with Remote-SSH.
   */
  readonly machineSettings?: Readonly<Record<string, unknown>>;
  /** Added to the instance's environment (e.g. KUBECACHEDIR for kubectl). */
  readonly env?: Readonly<Record<string, string>>;
  /** Prepended to PATH (e.g. the harness's kubectl folder). */
  readonly pathPrefix?: readonly string[];
}

export interface CodeServer {
  readonly name: string;
  readonly url: string;
  readonly userDataDir: string;
  readonly logFile: string;
  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userDataDir = path.join(options.root, 'user-data');
  const extensionsDir = path.join(options.root, 'extensions');
  const home = path.join(options.root, 'home');
  const configFile = path.join(options.root, 'config.yaml');
  const logFile = path.join(options.root, 'code-server.log');
  for (const dir of [path.join(userDataDir, 'User'), path.join(userDataDir, 'Machine'), extensionsDir, home]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(options.settings, null, 2)}\n`);
  writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(options.machineSettings ?? {}, null, 2)}\n`);
  const port = await freePort();
  // Without a config file code-server writes one with a generated password into ~/.config.
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const env: Record<string, string> = {
    PATH: [...(options.pathPrefix ?? []), path.join(NODE24_DIR, 'bin'), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    LANG: 'C.UTF-8',
    // No extension gallery: the workbench would otherwise query open-vsx.org for recommendations and updates.
    EXTENSIONS_GALLERY: '{}',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ...options.env,
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile];

  const install = await runCommand(NODE24, [CODE_SERVER_ENTRY, ...common, '--install-extension', options.vsix, '--force'], { env, timeoutMs: 60_000 });
  if (install.code !== 0 || !/successfully installed/.test(install.output)) {
    throw new Error(`code-server (${options.name}) could not install ${path.basename(options.vsix)}:\n${install.output}`);
  }

  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    NODE24,
    [CODE_SERVER_ENTRY, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--ignore-last-opened'],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    name: options.name,
    url,
    userDataDir,
    logFile,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    async stop() {
      await stopGroup(child);
      log.end();
    },
  };
  try {
    await waitForHttp(`${url}/healthz`, 30_000, () => !exited);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
