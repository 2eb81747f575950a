/**
 * Drives the BUILT language server (`dist/server.js --stdio`) with generated documents and edits, checks it after
 * each step, and shrinks any failing input to a small regression file.
 *
 * Checks: the process is alive; every request is answered within a bound and not with an internal error; every
 * published diagnostic range (and every range in a request's answer) lies inside the document as the client has it
 * at that version (line geometry as LSP defines it: `\n`, `\r\n` and `\r` end lines); no exception text reaches the
 * server's log; nothing is written to stderr.
 *
 * The parts live in ./runner/: time limits, failures, geometry checks, processes, the client (document tracking,
 * then requests and answer checks), shrinking, regression files and the fuzz loop. This file is their public face.
 */
export { REQUEST_TIMEOUT_MS, requestLimitMs, HANG_GRACE_MS } from './runner/timeLimits';
export type { FailureKind, Failure } from './runner/failures';
export { type Geometry, rangeProblem, problemClass, lineBreakClass, positionClass, fmtRange } from './runner/geometry';
export { type Rss, rssOf, within } from './runner/processes';
export type { Batch, EditHistory, Counters } from './runner/trackingClient';
export { type CheckPlan, FULL_CHECK, LOG_FAILURE, FuzzClient } from './runner/fuzzClient';
export { randomPosition } from './runner/answerChecks';
export { type ShrinkBudget, type ShrinkResult, Shrinker } from './runner/shrinker';
export { REGRESSIONS_DIR, type RegressionFile, writeRegression, loadRegressions } from './runner/regressionFiles';
export { type FuzzOptions, type FoundFailure, type FuzzReport, DEFAULT_FUZZ, runFuzz, formatReport } from './runner/fuzzLoop';
