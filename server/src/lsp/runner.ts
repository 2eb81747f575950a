import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';

/**
 * Wraps a request handler: a cancelled request is answered with the LSP cancellation error, and an exception
 * becomes a logged error and a neutral answer. No handler can take the server down.
 */
export function runSafe<T>(connection: Connection, what: string, token: CancellationToken, neutral: T, work: () => T | Promise<T>): Promise<T | ResponseError<undefined>> {
  return new Promise((resolve) => {
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
