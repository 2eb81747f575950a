/** Regression files: a shrunk failing input in `test/fuzz/regressions/`, replayed by the fuzz test on every run. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Position } from 'vscode-languageserver-protocol/node';
import { decodeWtf8, encodeWtf8 } from '../generate';
import { oneLine, type Failure } from './failures';
import type { ShrinkResult } from './shrinker';
import type { Batch } from './trackingClient';

/** `test/fuzz/regressions` (this file is in `test/fuzz/runner`). */
export const REGRESSIONS_DIR = path.join(__dirname, '..', 'regressions');
const REGRESSION_HEADER = '# fuzz-regression:';

export interface RegressionFile {
  readonly name: string;
  /** The text to open (the header line removed). */
  readonly text: string;
  readonly header: string;
  /** `didChange`s to replay after opening (from `<name>.edits.json`), when the failure needs its edit history. */
  readonly batches?: readonly Batch[];
  /** The position named by `[probe L:C]` in the header: where a request showed the failure. */
  readonly probe?: Position;
}

/**
 * Writes `regressions/<short-hash>.yaml` (WTF-8, so lone surrogates survive), its first line a comment naming the
 * failure; with an edit history, the `didChange`s to replay go to `<short-hash>.edits.json`.
 */
export function writeRegression(dir: string, result: ShrinkResult, failure: Failure, note: string): string {
  mkdirSync(dir, { recursive: true });
  const batches = result.history?.batches;
  const hash = createHash('sha256')
    .update(encodeWtf8(`${failure.signature}\n${result.text}\n${batches ? JSON.stringify(batches) : ''}`))
    .digest('hex')
    .slice(0, 10);
  const replay = batches ? `; open this, then replay the didChanges of ${hash}.edits.json` : '';
  const probe = result.probe ? ` [probe ${result.probe.line}:${result.probe.character}]` : '';
  const header = `${REGRESSION_HEADER} ${oneLine(`${failure.signature}${probe} — ${failure.detail}${note ? ` (${note})` : ''}${replay}`, 500)}\n`;
  const file = path.join(dir, `${hash}.yaml`);
  writeFileSync(file, encodeWtf8(header + result.text));
  if (batches) writeFileSync(path.join(dir, `${hash}.edits.json`), `${JSON.stringify({ failure: failure.signature, didChanges: batches }, null, 1)}\n`);
  result.context.forEach((c, i) => writeFileSync(path.join(dir, `${hash}.context-${i}.yaml`), encodeWtf8(`${REGRESSION_HEADER} context ${i} of ${hash}.yaml\n${c}`)));
  return file;
}

export function loadRegressions(dir: string = REGRESSIONS_DIR): RegressionFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => {
      const raw = decodeWtf8(readFileSync(path.join(dir, name)));
      const newline = raw.indexOf('\n');
      const hasHeader = raw.startsWith(REGRESSION_HEADER) && newline >= 0;
      const edits = path.join(dir, name.replace(/\.ya?ml$/, '.edits.json'));
      const parsed: unknown = existsSync(edits) ? JSON.parse(readFileSync(edits, 'utf8')) : undefined;
      const batches = typeof parsed === 'object' && parsed !== null && 'didChanges' in parsed && Array.isArray(parsed.didChanges) ? (parsed.didChanges as Batch[]) : undefined;
      const header = hasHeader ? raw.slice(0, newline) : '';
      const probe = /\[probe (-?\d+):(-?\d+)\]/.exec(header);
      return {
        name,
        ...(probe ? { probe: { line: Number(probe[1]), character: Number(probe[2]) } } : {}),
        header,
        text: hasHeader ? raw.slice(newline + 1) : raw,
        ...(batches ? { batches } : {}),
      };
    });
}
