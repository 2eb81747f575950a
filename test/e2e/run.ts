/**
 * `npm run test:e2e`: the packaged extension in a real VS Code workbench (code-server 4.139 / Code 1.139) driven by
 * headless Chromium through playwright-core.
 *
 *  1. scripts/e2e-setup.sh installs (or confirms) the tools in .tools/e2e; `npm run package` builds istio-egress.vsix.
 *  2. The rest runs in a network namespace of its own (`unshare --net`, loopback only) where that is possible (root),
 *     so nothing can leave 127.0.0.0/8: the harness's fake Kubernetes API server and loopback servers, the real
 *     kubectl v1.35, two code-servers (one trusted workspace, one with Workspace Trust on and the folder untrusted),
 *     each with a fresh user-data-dir, extensions-dir and HOME under a temp folder, and Chromium with a fresh profile.
 *  3. The scenarios of ./scenarios.ts run one after the other, each with a deadline; each leaves
 *     test/e2e/out/<scenario>.png (also on failure; then the code-server logs go to test/e2e/out/logs/ as well).
 *  4. Prints `N passed, M failed` and exits 1 on any failure. code-server, Chromium and the fake cluster are stopped
 *     on every path: success, failure, timeout, SIGINT/SIGTERM, and the whole run's deadline (9.5 minutes).
 *
 * Options: `--only=1,6` runs the scenarios whose ids start with those prefixes; E2E_NETNS=0 skips the namespace.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { kubectlEnv } from '../harness/fakeCluster';
import { ensureHelm, ensureKubectl, KUBECTL_DIR } from '../harness/kubectl';
import { startSeedCluster, type SeedCluster } from '../harness/seedCluster';
import { startCodeServer, type CodeServer } from './codeServer';
import { loadChromium, type BrowserContext, type Page } from './playwright';
import { CHROMIUM, OUT_DIR, PROJECT_ROOT, runCommand, SETUP_SCRIPT, TimeoutError, TOOLS_DIR, VSIX, withTimeout } from './processes';
import { KUBE_CONTEXT, SCENARIOS, UNTRUSTED_EXAMPLES, WORKSPACE_FILES, type Scenario, type ScenarioContext } from './scenarios';
import { bindScenarioSignal, Workbench } from './workbench';

const RUN_BUDGET_MS = 9.5 * 60_000;
const EXAMPLES = path.join(PROJECT_ROOT, 'examples');
const LOG_DIR = path.join(OUT_DIR, 'logs');

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const say = (text: string): void => void process.stdout.write(`[e2e] ${text}\n`);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Options {
  readonly inner: boolean;
  readonly only: readonly string[];
  readonly startedAt: number;
}

function parseOptions(argv: readonly string[]): Options {
  const only =
    argv
      .find((a) => a.startsWith('--only='))
      ?.slice('--only='.length)
      .split(',')
      .filter(Boolean) ?? [];
  const startedAt = Number(process.env.E2E_STARTED_AT) || Date.now();
  return { inner: argv.includes('--inner'), only, startedAt };
}

// ---------------------------------------------------------------------------------------------------------------------
// Outer process: tools, package, then the run itself inside a network namespace.

async function outer(options: Options): Promise<number> {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const entry of readdirSync(OUT_DIR)) rmSync(path.join(OUT_DIR, entry), { recursive: true, force: true });

  let t = Date.now();
  say(`setup: bash ${path.relative(PROJECT_ROOT, SETUP_SCRIPT)}`);
  const setup = await runCommand('bash', [SETUP_SCRIPT], { cwd: PROJECT_ROOT, echo: '       ', timeoutMs: 8 * 60_000 });
  if (setup.code !== 0) {
    say(`setup failed (exit ${setup.code ?? setup.signal})`);
    return finish(0, SCENARIOS.length);
  }
  say(`setup done in ${seconds(Date.now() - t)}`);

  // The run's budget counts from here: installing the tools on a fresh machine is not part of it.
  const startedAt = Date.now();
  t = startedAt;
  const packaged = await runCommand('npm', ['run', 'package'], { cwd: PROJECT_ROOT, timeoutMs: 3 * 60_000 });
  if (packaged.code !== 0 || !existsSync(VSIX)) {
    process.stdout.write(packaged.output);
    say('npm run package failed');
    return finish(0, SCENARIOS.length);
  }
  say(`npm run package: ${path.basename(VSIX)} (${Math.round(statSync(VSIX).size / 1024)} KB) in ${seconds(Date.now() - t)}`);

  if (process.env.E2E_NETNS !== '0' && process.getuid?.() === 0) {
    const probe = await runCommand('unshare', ['--net', '--', 'true'], { timeoutMs: 10_000 }).catch(() => undefined);
    if (probe?.code === 0) {
      say('running in a network namespace of its own (loopback only)');
      return runInner(['unshare', '--net', '--', process.execPath, ...process.execArgv, __filename, '--inner', ...process.argv.slice(2)], startedAt);
    }
    say('warning: unshare --net is not available here; running without a network namespace');
  } else {
    say('warning: not in a network namespace (needs root; E2E_NETNS=0 turns it off)');
  }
  return inner({ ...options, inner: false, startedAt });
}

function runInner(argv: readonly string[], startedAt: number): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new Error('no command');
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, E2E_STARTED_AT: String(startedAt) } });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      say(`could not start the inner run: ${message(err)}`);
      resolve(finish(0, SCENARIOS.length));
    });
    child.on('exit', (code, signal) => {
      // Killed outright, the inner run printed no result line of its own.
      if (code === null) say(`the inner run was killed (${signal ?? 'no signal'})`);
      resolve(code ?? finish(0, SCENARIOS.length));
    });
  });
}

function finish(passed: number, failed: number): number {
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------------------------
// Inner process: servers, browser, scenarios.

interface Result {
  readonly scenario: Scenario;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

/** The probe's connection: machine-overridable settings, so Remote settings in a code-server window. */
function machineSettings(kubectl: string, kubeconfig: string, helm: string): Record<string, unknown> {
  return { 'istioEgress.kubectlPath': kubectl, 'istioEgress.probe.kubeconfig': kubeconfig, 'istioEgress.helmPath': helm };
}

function commonSettings(): Record<string, unknown> {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // Tabs stay open, so documents stay open for the language server (a preview tab would be replaced).
    'workbench.editor.enablePreview': false,
    'workbench.editor.enablePreviewFromQuickOpen': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    'editor.stickyScroll.enabled': false,
    'editor.hover.delay': 300,
    'istioEgress.probe.context': KUBE_CONTEXT,
  };
}

function makeWorkspace(dir: string, examples: readonly string[], extra: Readonly<Record<string, string>>): string {
  mkdirSync(dir, { recursive: true });
  for (const name of examples) cpSync(path.join(EXAMPLES, name), path.join(dir, name));
  for (const [name, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function inner(options: Options): Promise<number> {
  if (options.inner) {
    const lo = await runCommand('ip', ['link', 'set', 'lo', 'up'], { timeoutMs: 10_000 });
    if (lo.code !== 0) {
      say(`could not bring up loopback in the namespace: ${lo.output}`);
      return finish(0, SCENARIOS.length);
    }
  }
  const selected = SCENARIOS.filter((s) => options.only.length === 0 || options.only.some((prefix) => s.id.startsWith(prefix)));
  const results: Result[] = [];
  const cleanups: { what: string; run: () => Promise<void> }[] = [];
  const root = mkdtempSync(path.join(tmpdir(), 'istio-egress-e2e-'));
  cleanups.push({ what: 'temp folder', run: async () => rmSync(root, { recursive: true, force: true }) });
  let cleaning: Promise<void> | undefined;
  /** Stops everything started, last first; every caller (signal, watchdog, the normal end) waits for the one run. */
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const { what, run } of cleanups.reverse()) {
        try {
          await withTimeout(run(), 15_000, `stopping ${what}`);
        } catch (err) {
          say(`warning: ${message(err)}`);
        }
      }
    })());
  const report = (): number => {
    const passed = results.filter((r) => r.ok).length;
    return finish(passed, selected.length - passed);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`${signal}: stopping`);
    void cleanup().then(() => process.exit(report() || 1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const remaining = RUN_BUDGET_MS - (Date.now() - options.startedAt);
  const watchdog = setTimeout(
    () => {
      say(`the whole run exceeded ${seconds(RUN_BUDGET_MS)}: stopping`);
      void cleanup().then(() => process.exit(report() || 1));
    },
    Math.max(remaining, 10_000),
  );

  const servers: CodeServer[] = [];
  const consoleLog: string[] = [];
  const external = new Set<string>();
  try {
    let t = Date.now();
    const kubectl = await ensureKubectl();
    const seed: SeedCluster = await startSeedCluster();
    cleanups.push({ what: 'fake cluster', run: () => seed.stop() });
    const kubeDir = path.join(root, 'kube');
    mkdirSync(kubeDir);
    const kubeconfig = await seed.cluster.writeKubeconfig(kubeDir, { context: KUBE_CONTEXT, namespace: 'default' });
    const kubeEnv = kubectlEnv(seed.cluster, kubeconfig);
    say(`fake cluster at ${seed.cluster.url}, kubectl ${path.relative(PROJECT_ROOT, kubectl)}, context ${KUBE_CONTEXT} (${seconds(Date.now() - t)})`);

    const trustedFolder = makeWorkspace(
      path.join(root, 'trusted', 'egress'),
      readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')),
      WORKSPACE_FILES,
    );
    const untrustedFolder = makeWorkspace(path.join(root, 'untrusted', 'egress'), UNTRUSTED_EXAMPLES, {});
    const settings = commonSettings();
    const machine = machineSettings(kubectl, kubeconfig, await ensureHelm());
    const serverEnv = { KUBECACHEDIR: kubeEnv.KUBECACHEDIR ?? path.join(root, 'kube-cache') };
    t = Date.now();
    const [main, restricted] = await Promise.all([
      startCodeServer({
        name: 'main',
        root: path.join(root, 'code-server-main'),
        vsix: VSIX,
        settings: { ...settings, 'security.workspace.trust.enabled': false },
        machineSettings: machine,
        env: serverEnv,
        pathPrefix: [KUBECTL_DIR],
      }),
      startCodeServer({
        name: 'untrusted',
        root: path.join(root, 'code-server-untrusted'),
        vsix: VSIX,
        settings: { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
        machineSettings: machine,
        env: serverEnv,
        pathPrefix: [KUBECTL_DIR],
      }),
    ]);
    servers.push(main, restricted);
    cleanups.push({ what: 'code-server (main)', run: () => main.stop() });
    cleanups.push({ what: 'code-server (untrusted)', run: () => restricted.stop() });
    say(`code-server ${main.url} (trusted workspace) and ${restricted.url} (Workspace Trust on, folder untrusted), .vsix installed (${seconds(Date.now() - t)})`);

    t = Date.now();
    const chromium = loadChromium(TOOLS_DIR);
    const browserHome = path.join(root, 'chromium-home');
    mkdirSync(browserHome);
    const browser: BrowserContext = await chromium.launchPersistentContext(path.join(root, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      viewport: { width: 1600, height: 1000 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Nothing but the loopback code-servers resolves.
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      ],
      env: { PATH: '/usr/bin:/bin', HOME: browserHome, LANG: 'C.UTF-8', XDG_CONFIG_HOME: path.join(browserHome, '.config'), XDG_CACHE_HOME: path.join(browserHome, '.cache') },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    cleanups.push({ what: 'Chromium', run: () => browser.close() });
    browser.on('request', (request) => {
      const url = request.url();
      if (/^(https?|wss?):/.test(url) && !/^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) external.add(url);
    });
    const watch = (page: Page, name: string): void => {
      page.on('console', (m) => void (m.type() === 'error' && consoleLog.push(`[${name}] ${m.text()}`)));
      page.on('pageerror', (e) => void consoleLog.push(`[${name}] page error: ${e.message}`));
    };
    const mainPage = await browser.newPage();
    mainPage.setDefaultTimeout(15_000);
    watch(mainPage, 'main');
    const mainWb = new Workbench(mainPage);
    await mainWb.load(main.folderUrl(trustedFolder));
    say(`Chromium: workbench loaded (${seconds(Date.now() - t)})`);

    let untrustedWb: Workbench | undefined;
    const ctx: ScenarioContext = {
      main: mainWb,
      seed,
      kubectl,
      kubeconfig,
      async untrusted() {
        if (!untrustedWb) {
          const page = await browser.newPage();
          page.setDefaultTimeout(15_000);
          watch(page, 'untrusted');
          untrustedWb = new Workbench(page);
          await untrustedWb.load(restricted.folderUrl(untrustedFolder));
        } else await untrustedWb.page.bringToFront();
        return untrustedWb;
      },
    };

    for (const scenario of selected) {
      const start = Date.now();
      let error: string | undefined;
      const abort = new AbortController();
      bindScenarioSignal(abort.signal);
      try {
        if (scenario.page === 'main') await mainPage.bringToFront();
        await withTimeout(scenario.run(ctx), scenario.timeoutMs, scenario.id);
      } catch (err) {
        abort.abort();
        error = err instanceof TimeoutError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
      }
      const wb = scenario.page === 'untrusted' && untrustedWb ? untrustedWb : mainWb;
      try {
        await wb.screenshot(path.join(OUT_DIR, `${scenario.id}.png`));
      } catch (err) {
        say(`warning: no screenshot for ${scenario.id}: ${message(err)}`);
      }
      const result: Result = { scenario, ok: error === undefined, ms: Date.now() - start, ...(error ? { error } : {}) };
      results.push(result);
      say(`${result.ok ? 'PASS' : 'FAIL'} ${scenario.id}: ${scenario.title} (${seconds(result.ms)})`);
      if (error) process.stdout.write(`${error.replace(/^/gm, '       ')}\n`);
      try {
        await wb.dismiss();
      } catch {
        // the next scenario starts from wherever this one left the page
      }
    }
  } catch (err) {
    say(`the run could not continue: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    clearTimeout(watchdog);
    if (external.size) say(`warning: the browser tried to reach addresses outside loopback (blocked): ${[...external].join(', ')}`);
    const failed = results.length < selected.length || results.some((r) => !r.ok);
    if (failed) saveLogs(servers, consoleLog);
    await cleanup();
  }
  return report();
}

/** Keeps what explains a failure: code-server's logs (extension host, our output channels) and browser console errors. */
function saveLogs(servers: readonly CodeServer[], consoleLog: readonly string[]): void {
  try {
    mkdirSync(LOG_DIR, { recursive: true });
    for (const server of servers) {
      const dir = path.join(LOG_DIR, server.name);
      const logs = path.join(server.userDataDir, 'logs');
      if (existsSync(logs)) cpSync(logs, dir, { recursive: true });
      if (existsSync(server.logFile)) cpSync(server.logFile, path.join(dir, 'code-server.log'));
    }
    appendFileSync(path.join(LOG_DIR, 'browser-console.log'), `${consoleLog.join('\n')}\n`);
    say(`logs saved in ${path.relative(PROJECT_ROOT, LOG_DIR)}`);
  } catch (err) {
    say(`warning: could not save logs: ${message(err)}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const code = options.inner ? await inner(options) : await outer(options);
  process.exit(code);
}

void main();
