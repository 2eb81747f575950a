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
 * The line of the template that produced line `line` of its rendered text: the one template line that reads the same
 * (a key written literally, `mode: ISTIO_MUTUAL`); else the one line whose text around its actions matches (`- {{
 * .Values.host }}` for `- api.partner.example`); else the template's line of the same key (`host:` when the value came
 * from `{{ .Values.host }}`); else the line of the rendered document's `kind:`; else the first line.
 */
export function templateLine(rendered: string, template: string, line: number): number {
  const renderedLines = rendered.split(/\r?\n/);
  const templateLines = template.split(/\r?\n/);
  const wanted = (renderedLines[line] ?? '').trim();
  const unique = (test: (l: string) => boolean): number | undefined => {
    const found = templateLines.flatMap((l, i) => (test(l.trim()) ? [i] : []));
    return found.length === 1 ? found[0] : undefined;
  };
  if (wanted !== '') {
    const same = unique((l) => l === wanted);
    if (same !== undefined) return same;
    const shaped = mostLiteral(templateLines, wanted);
    if (shaped !== undefined) return shaped;
    const key = /^(-\s+)?([A-Za-z0-9_.-]+):/.exec(wanted)?.[2];
    const byKey = key ? unique((l) => new RegExp(`^(-\\s+)?${key.replace(/[.]/g, '\\.')}:`).test(l)) : undefined;
    if (byKey !== undefined) return byKey;
  }
  const kind = unique((l) => /^kind:/.test(l));
  return kind ?? 0;
}

/**
 * The template line with actions whose text around them matches `wanted`; among several, the one with the most text
 * of its own (`- {{ .Values.a }}.example` over `- {{ .Values.b }}` for `- b.example`); undefined when that is a tie.
 */
function mostLiteral(templateLines: readonly string[], wanted: string): number | undefined {
  const fits = templateLines.flatMap((line, i) => {
    const trimmed = line.trim();
    const pattern = trimmed.includes('{{') ? actionPattern(trimmed) : undefined;
    return pattern?.test(wanted) ? [{ i, literal: trimmed.replace(/\{\{[\s\S]*?\}\}/g, '').length }] : [];
  });
  fits.sort((a, b) => b.literal - a.literal);
  const [best, next] = fits;
  return best && (!next || next.literal < best.literal) ? best.i : undefined;
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
