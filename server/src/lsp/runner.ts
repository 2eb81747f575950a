import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { REQUESTS } from './requestGate';

/**
 * Wraps a request handler: a cancelled request is answered with the LSP cancellation error, and an exception
 * becomes a logged error and a neutral answer. No handler can take the server down. Background work waits while the
 * request is being answered (`RequestGate`).
 */
export function runSafe<T>(connection: Connection, what: string, token: CancellationToken, neutral: T, work: () => T | Promise<T>): Promise<T | ResponseError<undefined>> {
  const leave = REQUESTS.enter();
  const answered = new Promise<T | ResponseError<undefined>>((resolve) => {
    // Yield once so that a cancellation that arrived with the request is seen before the work starts.
    setImmediate(() => {
      if (token.isCancellationRequested) {
        resolve(cancelled());
        return;
      }
      Promise.resolve()
        .then(work)
        .then(
          (result) => resolve(token.isCancellationRequested ? cancelled() : result),
          (error: unknown) => {
            connection.console.error(`${what} failed: ${describe(error)}`);
            resolve(neutral);
          },
        );
    });
  });
  // The answer is written a turn of the event loop after it is given (vscode-jsonrpc queues writes): the gate stays
  // closed until then, so that no background slice runs between the answer and its delivery.
  return answered.finally(() => setImmediate(() => setImmediate(leave)));
}

/** Runs a notification handler (no answer to give) so that an exception is logged instead of thrown. */
export function runNotification(connection: Connection, what: string, work: () => void | Promise<void>): void {
  Promise.resolve()
    .then(work)
    .catch((error: unknown) => connection.console.error(`${what} failed: ${describe(error)}`));
}

function cancelled(): ResponseError<undefined> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
