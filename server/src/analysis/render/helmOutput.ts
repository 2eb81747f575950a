/**
 * Reading `helm template` output back onto the chart's files (pure; running helm is `rendering/helmRunner.ts`). Helm
 * writes `# Source: <chart>/templates/<file>` above every document it renders, which names the template that
 * produced it.
 */

const SOURCE = /^# Source: [^/\r\n]+\/(.+?)\s*$/;

/**
 * The rendered documents grouped by the chart file they came from (a path inside the chart, `templates/dr.yaml`), in
 * output order; each group is one YAML stream. Documents of subcharts (`charts/<sub>/templates/…`) keep that path.
 */
export function renderedBySource(output: string): Map<string, string> {
  const bySource = new Map<string, string[]>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined && lines.some((l) => l.trim() !== '' && l.trim() !== '---')) {
      const list = bySource.get(current) ?? [];
      list.push(
        lines
          .filter((l) => l.trim() !== '---')
          .join('\n')
          .replace(/\n+$/, ''),
      );
      bySource.set(current, list);
    }
    lines = [];
  };
  for (const line of output.split(/\r?\n/)) {
    const source = SOURCE.exec(line);
    if (source) {
      flush();
      current = source[1];
      lines.push(line);
    } else if (line === '---') {
      flush();
    } else {
      lines.push(line);
    }
  }
  flush();
  const out = new Map<string, string>();
  for (const [source, docs] of bySource) out.set(source, `${docs.join('\n---\n')}\n`);
  return out;
}

/**
 * The line of the template that produced line `line` of its rendered text. The rendered document is first paired with
 * the template document that produced it (the one whose `kind:` and literal lines it holds; in order when they tie),
 * then its lines are lined up in order with that document's lines, a template line standing for what its actions
 * render (`- {{ .Values.host }}` for `- api.partner.example`; the line with the most text of its own when several
 * fit). A line nothing lines up with comes from the one line of actions alone between its neighbours' lines (`{{
 * toYaml .Values.ports | nindent 4 }}`), else from the document's one line of the same key, else its `kind:` line.
 */
export interface LineHints {
  /** Whether a template line's values render the rendered line it might have produced. */
  readonly reproduces?: (templateLine: number, renderedLine: string) => boolean;
  /** Template lines that cannot have rendered (inside an `if` the values switch off: `renderedBlocks.ts`). */
  readonly unrendered?: ReadonlySet<number>;
}

export function templateLine(rendered: string, template: string, line: number, hints: LineHints = {}): number {
  const { reproduces } = hints;
  const unrendered = hints.unrendered ?? new Set<number>();
  const renderedLines = rendered.split(/\r?\n/);
  const templateLines = template.split(/\r?\n/);
  const renderedDocs = documentSpans(renderedLines, (l) => l === '---' || SOURCE.test(l));
  const target = renderedDocs.findIndex((d) => line >= d.start && line < d.end);
  const doc = renderedDocs[target];
  if (!doc) return firstKindLine(templateLines, { start: 0, end: templateLines.length }) ?? 0;
  const templateDocs = documentSpans(templateLines, (l) => l.trim() === '---');
  const span = pairedDocument(renderedLines.slice(doc.start, doc.end), templateLines, templateDocs, target);
  const own = alignedLine(renderedLines, doc, templateLines, span, line, reproduces, unrendered);
  if (own !== undefined) return own;
  const wanted = (renderedLines[line] ?? '').trim();
  const key = /^(-\s+)?([A-Za-z0-9_.-]+):/.exec(wanted)?.[2];
  if (key) {
    const pattern = new RegExp(`^(-\\s+)?${key.replace(/[.]/g, '\\.')}:`);
    const byKey = uniqueIn(templateLines, span, (l, i) => !unrendered.has(i) && pattern.test(l));
    if (byKey !== undefined) return byKey;
  }
  return firstKindLine(templateLines, span) ?? span.start;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The documents of a text, as line spans (separator lines excluded), empty ones dropped. */
function documentSpans(lines: readonly string[], isSeparator: (line: string) => boolean): Span[] {
  const spans: Span[] = [];
  let start = 0;
  lines.forEach((l, i) => {
    if (!isSeparator(l)) return;
    spans.push({ start, end: i });
    start = i + 1;
  });
  spans.push({ start, end: lines.length });
  return spans.filter((s) => lines.slice(s.start, s.end).some((l) => l.trim() !== '' && !l.trim().startsWith('#')));
}

/**
 * The template document a rendered document came from: the one sharing its `kind:` and the most literal lines; among
 * equals the one at the rendered document's position, else the first.
 */
function pairedDocument(renderedDoc: readonly string[], templateLines: readonly string[], templateDocs: readonly Span[], position: number): Span {
  if (templateDocs.length <= 1) return templateDocs[0] ?? { start: 0, end: templateLines.length };
  const present = new Set(renderedDoc.map((l) => l.trim()));
  const kind = renderedDoc.map((l) => l.trim()).find((l) => /^kind:/.test(l));
  const scores = templateDocs.map((span) => {
    let score = 0;
    for (let i = span.start; i < span.end; i++) {
      const l = (templateLines[i] ?? '').trim();
      if (l === '' || l.includes('{{')) continue;
      if (present.has(l)) score += /^kind:/.test(l) && l === kind ? 1000 : 1;
    }
    return score;
  });
  const best = Math.max(...scores);
  const candidates = templateDocs.filter((_, i) => scores[i] === best);
  const atPosition = templateDocs[position];
  return atPosition && candidates.includes(atPosition) ? atPosition : (candidates[0] ?? { start: 0, end: templateLines.length });
}

/**
 * Lines up the rendered document with the template document in order and returns the template line of `line`: each
 * rendered line takes the first fitting template line after the last one taken (else that one again, else the first
 * from the top, as a `range` repeats its body); a line nothing fits takes the one line of actions alone between the
 * lines its neighbours took.
 */
function alignedLine(
  renderedLines: readonly string[],
  doc: Span,
  templateLines: readonly string[],
  span: Span,
  line: number,
  reproduces: ((templateLine: number, renderedLine: string) => boolean) | undefined,
  unrendered: ReadonlySet<number>,
): number | undefined {
  const taken: (number | undefined)[] = [];
  let cursor = span.start - 1;
  for (let i = doc.start; i < doc.end; i++) {
    const raw = renderedLines[i] ?? '';
    const wanted = raw.trim();
    const fitting = wanted === '' ? [] : fittingLines(templateLines, span, wanted).filter((f) => !unrendered.has(f));
    const fits = preferred(confirmed(fitting, templateLines, wanted, reproduces), templateLines, raw, reproduces);
    // The next fitting line; the same one again (a one-line `range` body); else from the top (a longer `range` body).
    const next = fits.find((f) => f > cursor) ?? fits.find((f) => f === cursor) ?? fits[0];
    taken.push(next);
    if (next !== undefined) cursor = next;
    if (i > line && next !== undefined) break;
  }
  const at = line - doc.start;
  const own = taken[at];
  if (own !== undefined) return own;
  const before =
    taken
      .slice(0, at)
      .filter((t): t is number => t !== undefined)
      .pop() ?? span.start - 1;
  const after = taken.slice(at + 1).find((t): t is number => t !== undefined && t > before) ?? span.end;
  const actionsOnly = [];
  for (let t = before + 1; t < after; t++) if (!unrendered.has(t) && isActionsOnly(templateLines[t] ?? '')) actionsOnly.push(t);
  return actionsOnly.length === 1 ? actionsOnly[0] : undefined;
}

/**
 * The template lines of a document that fit a rendered line, best first in document order: the same text, else the
 * lines whose text around their actions matches it, keeping only those with the most text of their own.
 */
function fittingLines(templateLines: readonly string[], span: Span, wanted: string): number[] {
  const same: number[] = [];
  const shaped: { readonly i: number; readonly literal: number }[] = [];
  for (let i = span.start; i < span.end; i++) {
    const l = (templateLines[i] ?? '').trim();
    if (l === wanted) same.push(i);
    else if (l.includes('{{') && fitsPattern(l, wanted)) shaped.push({ i, literal: l.replace(/\{\{[\s\S]*?\}\}/g, '').length });
  }
  if (same.length) return same;
  const most = Math.max(0, ...shaped.map((s) => s.literal));
  return shaped.filter((s) => s.literal === most).map((s) => s.i);
}

/**
 * Fitting lines that are more than a list dash and actions (`- {{ . }}` could render any item, in a block that rendered
 * or not), and such lines only where their values render the line.
 */
function confirmed(fits: number[], templateLines: readonly string[], wanted: string, reproduces?: (templateLine: number, renderedLine: string) => boolean): number[] {
  if (!reproduces) return fits;
  return fits.filter((f) => {
    const literal = (templateLines[f] ?? '')
      .replace(/\{\{[\s\S]*?\}\}/g, '')
      .replace(/^\s*-\s*/, '')
      .trim();
    return literal !== '' || reproduces(f, wanted);
  });
}

/**
 * Among fitting lines, those at the rendered line's indentation (lines of a branch that did not render often sit
 * elsewhere), then those whose values render what the line reads (of `if`/`else` branches writing one key, the one
 * taken): each narrowing applies only when some line passes it.
 */
function preferred(fits: number[], templateLines: readonly string[], rendered: string, reproduces?: (templateLine: number, renderedLine: string) => boolean): number[] {
  if (fits.length < 2) return fits;
  const indent = rendered.length - rendered.trimStart().length;
  const level = fits.filter((f) => {
    const l = templateLines[f] ?? '';
    return l.length - l.trimStart().length === indent;
  });
  const byLevel = level.length ? level : fits;
  const byValues = reproduces ? byLevel.filter((f) => reproduces(f, rendered.trim())) : [];
  return byValues.length ? byValues : byLevel;
}

/**
 * Whether a template line with actions renders a (trimmed) rendered line: its text around the actions matches, an
 * action that rendered nothing at the end included (`- address: {{ .Values.host }}` for `- address:`).
 */
function fitsPattern(templateLine: string, wanted: string): boolean {
  const pattern = actionPattern(templateLine);
  return pattern !== undefined && (pattern.test(wanted) || pattern.test(`${wanted} `));
}

/** Control actions, which render no text of their own. */
const CONTROL = /^\{\{-?\s*(?:if|else|end|range|with|define|block|template|fail|\/\*)\b/;

/** A line of actions alone that renders text (`toYaml`, `include`, a value), not a control line (`if`, `end`, …). */
function isActionsOnly(line: string): boolean {
  const l = line.trim();
  return l.includes('{{') && l.replace(/\{\{[\s\S]*?\}\}/g, '').trim() === '' && !CONTROL.test(l);
}

function uniqueIn(lines: readonly string[], span: Span, test: (line: string, index: number) => boolean): number | undefined {
  const found: number[] = [];
  for (let i = span.start; i < span.end; i++) if (test((lines[i] ?? '').trim(), i)) found.push(i);
  return found.length === 1 ? found[0] : undefined;
}

function firstKindLine(lines: readonly string[], span: Span): number | undefined {
  for (let i = span.start; i < span.end; i++) if (/^kind:/.test((lines[i] ?? '').trim())) return i;
  return undefined;
}

/**
 * A template line as a pattern of what it renders to: its text kept, each `{{ … }}` action standing for any text;
 * undefined for a line of actions alone (`{{- include … | nindent 4 }}`), which could have rendered anything.
 */
function actionPattern(templateLine: string): RegExp | undefined {
  const parts = templateLine.split(/\{\{[\s\S]*?\}\}/);
  if (parts.join('').trim() === '') return undefined;
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')}$`);
}
