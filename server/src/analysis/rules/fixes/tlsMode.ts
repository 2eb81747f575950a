import type { Range } from '../../text';
import type { PlacedResource } from '../../workspace/placed';
import type { RelativeFix } from '../../edits';

/** Writes `mode` over a `tls.mode` value; EGR402 and EGR403 use it with the mode recommendedMode() picks. */
export function setTlsMode(at: PlacedResource, modeRange: Range, mode: string): RelativeFix {
  return { title: `Use tls.mode ${mode}`, edits: [{ at, range: modeRange, newText: mode }], preferred: true };
}
