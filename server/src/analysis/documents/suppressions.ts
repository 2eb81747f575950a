import { LineIndex } from '../text';

/**
 * Suppression comments: `# istio-egress-disable EGR001, EGR402` silences those rules on the next line;
 * `# istio-egress-disable-file EGR005` silences them in the whole file. Without codes, every rule is silenced.
 */
export interface Suppressions {
  /** Codes silenced in the whole file; `*` for all. */
  readonly file: ReadonlySet<string>;
  /** Codes silenced per (zero-based) line; `*` for all. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

export const NO_SUPPRESSIONS: Suppressions = { file: new Set(), lines: new Map() };

const DIRECTIVE_SOURCE = /^[ \t]*#[ \t]*istio-egress-disable(-file)?(?:[ \t]+([A-Za-z0-9, \t]*?))?[ \t]*(?=\r|\n|$)/.source;
const DIRECTIVE = new RegExp(DIRECTIVE_SOURCE, 'gm');
const ONE_DIRECTIVE = new RegExp(DIRECTIVE_SOURCE);
export const MARKER = 'istio-egress-disable';

function codesOf(list: string | undefined): string[] {
  const codes = (list ?? '')
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  return codes.length ? codes : ['*'];
}

/** The directive a single line (without its line break) holds, if it is one; `*` among the codes when it names none. */
export function directiveOf(line: string): { readonly file: boolean; readonly codes: readonly string[] } | undefined {
  const match = ONE_DIRECTIVE.exec(line);
  return match ? { file: match[1] !== undefined, codes: codesOf(match[2]) } : undefined;
}

export function scanSuppressions(text: string): Suppressions {
  if (!text.includes(MARKER)) return NO_SUPPRESSIONS;
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  const lines_ = new LineIndex(text);
  for (const match of text.matchAll(DIRECTIVE)) {
    const line = lines_.positionAt(match.index).line;
    const codes = codesOf(match[2]);
    if (match[1]) codes.forEach((c) => file.add(c));
    else {
      const target = lines.get(line + 1) ?? new Set<string>();
      codes.forEach((c) => target.add(c));
      lines.set(line + 1, target);
    }
  }
  return { file, lines };
}

export function isSuppressed(suppressions: Suppressions, code: string, line: number): boolean {
  if (suppressions.file.has('*') || suppressions.file.has(code)) return true;
  const onLine = suppressions.lines.get(line);
  return onLine !== undefined && (onLine.has('*') || onLine.has(code));
}
