import type { RuleInfo } from './rule';

/**
 * A file named `.yaml` that holds binary content (NUL bytes, or bytes that are not UTF-8): an encrypted secrets file,
 * an archive, a file saved in another encoding. Read as YAML it gives dozens of errors and pages of unreadable
 * output; it gets this one note instead and is skipped. Raised by the project, not by a check of its own.
 */
export const notText: RuleInfo = {
  code: 'EGR007',
  name: 'not-text',
  title: 'The file is not UTF-8 text and is skipped',
  severity: 'info',
};

/** Looked for in the first 8 000 characters, as git does to tell binary files. */
const SAMPLE = 8000;

/** Why `text` is not YAML text (a NUL byte, or invalid UTF-8 decoded as U+FFFD), or undefined when it is text. */
export function notTextReason(text: string): string | undefined {
  const sample = text.slice(0, SAMPLE);
  if (sample.includes('\u0000')) return 'This file holds NUL bytes: it is binary (encrypted, compressed or another encoding), not YAML text, so it is skipped.';
  let replaced = 0;
  for (let i = sample.indexOf('\uFFFD'); i !== -1; i = sample.indexOf('\uFFFD', i + 1)) replaced++;
  if (replaced >= 8) return 'This file is not UTF-8 text (it holds bytes that are not UTF-8: encrypted, compressed or another encoding), so it is skipped.';
  return undefined;
}
