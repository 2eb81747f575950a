import type { Fix } from '../findings';
import type { LocalFix, RelativeFix } from '../edits';
import { shiftRange } from '../text';
import { fileRange } from './placed';

/** `{ fixes }` to spread into a Finding, or nothing when there are none (findings without fixes stay lean). */
function asField(fixes: Fix[]): { fixes?: Fix[] } {
  return fixes.length ? { fixes } : {};
}

function withPreference(fix: LocalFix | RelativeFix): { preferred?: true } {
  return fix.preferred ? { preferred: true } : {};
}

/** A document rule's fixes placed in the file, whose document starts at `startLine`. */
export function placeLocalFixes(fixes: readonly LocalFix[] | undefined, uri: string, startLine: number): { fixes?: Fix[] } {
  return asField(
    (fixes ?? []).map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({ uri, range: shiftRange(e.range, startLine), newText: e.newText })),
      ...withPreference(fix),
    })),
  );
}

/** A workspace rule's fixes, each edit placed in the file of the resource it is relative to. */
export function placeRelativeFixes(fixes: readonly RelativeFix[] | undefined): { fixes?: Fix[] } {
  return asField(
    (fixes ?? []).map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({ uri: e.at.uri, range: fileRange(e.at, e.range), newText: e.newText })),
      ...withPreference(fix),
    })),
  );
}
