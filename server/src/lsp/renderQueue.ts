/**
 * Renders (charts, overlays) one at a time per target, off the typing path: a change schedules a run once changes
 * settle, and a newer run aborts the one under way for the same target.
 */
export class RenderQueue {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly settleMs: number) {}

  /** Runs `work` for `key` once no other change to it came for `settleMs` (a "save all" is one run). */
  later(key: string, work: (signal: AbortSignal) => Promise<void>): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.now(key, work);
      }, this.settleMs),
    );
  }

  /** Runs `work` for `key` at once, aborting a run under way for it. */
  async now(key: string, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.running.get(key)?.abort();
    const abort = new AbortController();
    this.running.set(key, abort);
    try {
      await work(abort.signal);
    } finally {
      if (this.running.get(key) === abort) this.running.delete(key);
    }
  }
}
