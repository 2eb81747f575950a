import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKubectl, type KubectlRequest } from '../../server/src/shared/kubectlRunner';

let dir = '';

/** Writes a stand-in kubectl as a #!/bin/sh script. */
function script(name: string, body: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}

function request(kubectlPath: string, extra: Partial<KubectlRequest> = {}): KubectlRequest {
  return { kubectlPath, args: [], timeoutMs: 10_000, maxOutputBytes: 1024 * 1024, ...extra };
}

/** Alive and not a zombie: a killed orphan may wait as a zombie for a PID 1 that does not reap. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('runKubectl with stand-in executables', { skip: process.platform === 'win32' && 'POSIX shell scripts' }, () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'probe-runner-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('kubectl missing: a clear ENOENT message, no crash', async () => {
    const missing = path.join(dir, 'no-such-kubectl');
    const r = await runKubectl(request(missing));
    assert.equal(r.spawnError, `kubectl not found at ${missing}; set istioEgress.kubectlPath (or --kubectl) to the kubectl to use`);
    assert.equal(r.exitCode, null);
  });

  it('not executable: says so', async () => {
    const r = await runKubectl(request(script('not-exec', 'exit 0', 0o644)));
    assert.match(r.spawnError ?? '', /is not executable/);
  });

  it('passes the exit code, stdout and stderr through, arguments literally (no shell)', async () => {
    const kubectl = script('echo-args', 'printf "%s\\n" "$@"; echo "to stderr" >&2; exit 3');
    const args = ['get', '$(id)', 'x; rm -rf /', '`id`', 'a b', '--context=arn:aws:eks:us-east-1:1:cluster/x'];
    const r = await runKubectl(request(kubectl, { args }));
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, `${args.join('\n')}\n`);
    assert.equal(r.stderr, 'to stderr\n');
    assert.deepEqual([r.timedOut, r.truncated, r.cancelled, r.signal], [false, false, false, null]);
    assert.ok(r.durationMs >= 0);
  });

  it('passes the environment given', async () => {
    const r = await runKubectl(request(script('env', 'echo "$KUBECONFIG"'), { env: { PATH: process.env.PATH ?? '', KUBECONFIG: '/tmp/probe-kubeconfig' } }));
    assert.equal(r.stdout, '/tmp/probe-kubeconfig\n');
  });

  it('a kubectl that never exits is killed at the timeout, with the child it started', async () => {
    const kubectl = script('hang', 'sleep 1000 &\necho "child $!"\nwait');
    const started = Date.now();
    const r = await runKubectl(request(kubectl, { timeoutMs: 400 }));
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(Date.now() - started < 5000, 'returned promptly');
    const child = Number(/child (\d+)/.exec(r.stdout)?.[1]);
    assert.ok(child > 0, r.stdout);
    assert.ok(await gone(child), `child sleep ${child} survived`);
  });

  it('output beyond the bound is cut and the process killed', async () => {
    const r = await runKubectl(request(script('yes', 'yes'), { maxOutputBytes: 64 * 1024, timeoutMs: 10_000 }));
    assert.equal(r.truncated, true);
    assert.equal(r.timedOut, false);
    assert.equal(Buffer.byteLength(r.stdout), 64 * 1024);
    assert.ok(/^(y\n)+$/.test(r.stdout));
    assert.ok(r.durationMs < 5000);
  });

  it('an AbortSignal kills the process group and marks the result cancelled', async () => {
    const kubectl = script('hang2', 'sleep 1000 &\necho "child $!"\nwait');
    const controller = new AbortController();
    const pending = runKubectl(request(kubectl, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.equal(r.timedOut, false);
    const child = Number(/child (\d+)/.exec(r.stdout)?.[1]);
    assert.ok(await gone(child), `child sleep ${child} survived`);
  });

  it('an already aborted signal starts nothing', async () => {
    const marker = path.join(dir, 'started');
    const controller = new AbortController();
    controller.abort();
    const r = await runKubectl(request(script('marker', `touch ${marker}`), { signal: controller.signal }));
    assert.equal(r.cancelled, true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(existsSync(marker), false);
  });
});

describe('the probe and the shared folder start processes in one place only, never through a shell', () => {
  const root = path.join(import.meta.dirname, '..', '..', 'server', 'src');
  const files = ['probe', 'shared'].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );
  const RUNNER = path.join('shared', 'kubectlRunner.ts');

  it('only shared/kubectlRunner.ts imports child_process, with shell: false and detached: true', () => {
    const runner = readFileSync(path.join(root, RUNNER), 'utf8');
    assert.match(runner, /shell: false/);
    assert.match(runner, /detached: true/);
    assert.doesNotMatch(runner, /\bexec(Sync|File)?\(|shell: true|execSync/);
    assert.ok(files.length > 10, files.join());
    for (const file of files.filter((f) => f !== RUNNER)) {
      assert.doesNotMatch(readFileSync(path.join(root, file), 'utf8'), /child_process/, file);
    }
  });

  it('imports neither vscode nor the LSP library (shared by the CLI and the client)', () => {
    for (const file of files) assert.doesNotMatch(readFileSync(path.join(root, file), 'utf8'), /from '(vscode|vscode-languageserver[^']*)'/, file);
  });
});
