/** The server process as the OS sees it (its pid and memory), and time bounds on promises. */
import { readFileSync } from 'node:fs';

export function childPids(): Set<number> {
  try {
    const raw = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    return new Set(raw.split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return new Set();
  }
}

export interface Rss {
  readonly rssKb: number;
  readonly peakKb: number;
}

export function rssOf(pid: number | undefined): Rss | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    const peak = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return rss && peak ? { rssKb: Number(rss), peakKb: Number(peak) } : undefined;
  } catch {
    return undefined;
  }
}

export class Timeout extends Error {}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`${what} not answered within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
