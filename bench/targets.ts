/** The performance targets, and the check of a measured value against one. */
import type { Metric } from './serverRuns';

export interface Target {
  /** The single-file size (its label in the table) the target applies to. */
  readonly label: string;
  readonly stat: 'median' | 'p95';
  readonly limit: number;
  readonly text: string;
}

/** Server targets by metric; RSS limits in KiB, times in ms. */
export const TARGETS: Partial<Record<Metric, readonly Target[]>> = {
  open: [
    { label: '100', stat: 'median', limit: 30, text: '≤ 30 ms' },
    { label: '10,000', stat: 'median', limit: 600, text: '≤ 600 ms' },
  ],
  completion: [{ label: '10,000', stat: 'p95', limit: 5, text: 'p95 ≤ 5 ms' }],
  hover: [{ label: '10,000', stat: 'p95', limit: 5, text: 'p95 ≤ 5 ms' }],
  edit: [{ label: '10,000', stat: 'median', limit: 50, text: '≤ 50 ms' }],
  rss: [{ label: '10,000', stat: 'median', limit: 300 * 1024, text: '≤ 300 MiB' }],
};

/** The CLI's median wall time on the workspace folder, which counts only at the full size. */
export const CLI_TARGET = { files: 2000, limitMs: 3000, text: '≤ 3 s', elsewhere: '(≤ 3 s at 2,000 files)' } as const;

/** One stream's wall time over that of the same documents in files. */
export const STREAM_RATIO_TARGET = 1.5;

export const ACTIVATION_TARGET_MS = 50;

/** ✓ when the value was measured and is within the limit, else ✗ (a failed measurement misses its target). */
export function verdict(value: number, limit: number): '✓' | '✗' {
  return Number.isFinite(value) && value <= limit ? '✓' : '✗';
}
