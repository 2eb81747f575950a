/** How long the fuzzer waits for the server before a silence counts as a timeout or a hang. */

export const REQUEST_TIMEOUT_MS = 5000;

/**
 * The time a request on a document of this size gets: 5 s, plus 40 ms per KiB. A 200 KiB single-line document takes
 * seconds per request on a busy 2-core machine (yaml-language-server parses it for symbols and folding); slowness there
 * is a benchmark's concern, a hang or a crash is the fuzzer's, and a hang still shows as no answer at all.
 */
export function requestLimitMs(text: string | undefined): number {
  return REQUEST_TIMEOUT_MS + Math.ceil((text?.length ?? 0) / 1024) * 40;
}
/** After a timeout, how long the server gets to answer again before it counts as hung. */
export const HANG_GRACE_MS = 30_000;
