/** How a bounded step of a language-server conversation can fail, and the bound itself. */

/** A step (a request, a wait for diagnostics or a log) got no answer in time. */
export class StepTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
  }
}

/** The server exited (or was stopped) while something waited on it. */
export class ServerGone extends Error {}

/** Rejects with StepTimeout when `promise` takes longer than `ms`. */
export function bounded<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepTimeout(what, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
