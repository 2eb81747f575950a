/**
 * How long background work runs between two `turn()`s. A request waits for the slice under way and the one queued
 * before its dispatch, so this bounds its wait at about twice as much.
 */
export const BACKGROUND_SLICE_MS = 15;

/** The longest background work waits for requests: a request that never ends must not stop indexing for good. */
export const MAX_BACKGROUND_WAIT_MS = 1000;

/**
 * Requests go before background work. Every request holds the gate from its dispatch to its answer; background work
 * (indexing, a staged first analysis, a diagnostics run, the idle-time warm-up) yields through `turn()`, which waits
 * while any request is being answered. Without it a request that awaits anything (yaml-language-server's completion
 * does) lets a background slice run at each await, and waits for several.
 */
export class RequestGate {
  private active = 0;
  private waiting: (() => void)[] = [];

  /** A request started; the function returned ends it (calling it again does nothing). */
  enter(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active--;
      if (this.active === 0) this.release();
    };
  }

  /**
   * Input arrived: background work waits until the message it carries is dispatched. Reading, decoding and
   * dispatching take a turn of the event loop each (vscode-jsonrpc), and each turn would otherwise run a background
   * slice first; by `INPUT_HOLD_TURNS` a request holds the gate itself.
   */
  holdForInput(): void {
    const leave = this.enter();
    let turns = INPUT_HOLD_TURNS;
    const next = (): void => {
      if (--turns > 0) setImmediate(next);
      else leave();
    };
    setImmediate(next);
  }

  /** Whether a request is being answered. */
  get busy(): boolean {
    return this.active > 0;
  }

  /**
   * A turn of the event loop for background work: messages that arrived meanwhile are dispatched first, and the
   * promise resolves once no request is being answered (or after MAX_BACKGROUND_WAIT_MS of requests).
   */
  async turn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const deadline = Date.now() + MAX_BACKGROUND_WAIT_MS;
    while (this.active > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      // Requests dispatched in the same turn as the one that ended go first too.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }
}

/** Turns of the event loop from a message's bytes to its handler: read, decode, dispatch, and one to spare. */
const INPUT_HOLD_TURNS = 4;

/** Holds `gate` for each message as it arrives, on the transport the server was started with (stdio or node IPC). */
export function holdOnInput(gate: RequestGate): void {
  if (process.argv.includes('--stdio')) process.stdin.on('data', () => gate.holdForInput());
  if (process.argv.includes('--node-ipc')) process.on('message', () => gate.holdForInput());
}

/** The server's gate: requests enter it in `runSafe`, background work yields through it. */
export const REQUESTS = new RequestGate();
