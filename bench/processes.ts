/** Every child process the benchmark started, so that an interrupted run leaves none behind. */
import type { ChildProcess } from 'node:child_process';

const LIVE = new Set<ChildProcess>();

/** Remembers a child until it exits, so that killAllStarted() can end it. */
export function track(child: ChildProcess): void {
  LIVE.add(child);
  child.once('exit', () => LIVE.delete(child));
}

export function killAllStarted(): void {
  for (const child of LIVE) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  LIVE.clear();
}
