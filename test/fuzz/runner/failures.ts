/** What the fuzzer reports, and the text helpers that keep reports and signatures short and stable. */
import type { Position } from 'vscode-languageserver-protocol/node';

export type FailureKind = 'crash' | 'timeout' | 'error-response' | 'diagnostic-range' | 'diagnostic-version' | 'diagnostics-closed' | 'result-range' | 'log' | 'stderr' | 'divergence';

export interface Failure {
  readonly kind: FailureKind;
  /** Stable across inputs: what the shrinker must keep reproducing. */
  readonly signature: string;
  readonly detail: string;
  readonly uri?: string;
  /** The document text the failure was observed on. */
  readonly text?: string;
  readonly position?: Position;
  /** The document version a publication named. */
  readonly version?: number;
}

export function normalizeMessage(message: string): string {
  const first = message.split(/\r?\n/)[0] ?? '';
  return first
    .replace(/'[^']*'|"[^"]*"/g, 'Q')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ⏎ ').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '?');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
