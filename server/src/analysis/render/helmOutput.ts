/**
 * Reading `helm template` output back onto the chart's files (pure; running helm is `cli/helmRunner.ts`). Helm
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
 * (a key written literally, `mode: ISTIO_MUTUAL`); else the template's line of the same key (`host:` when the value
 * came from `{{ .Values.host }}`); else the line of the rendered document's `kind:`; else the first line.
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
    const key = /^(-\s+)?([A-Za-z0-9_.-]+):/.exec(wanted)?.[2];
    const byKey = key ? unique((l) => new RegExp(`^(-\\s+)?${key.replace(/[.]/g, '\\.')}:`).test(l)) : undefined;
    if (byKey !== undefined) return byKey;
  }
  const kind = unique((l) => /^kind:/.test(l));
  return kind ?? 0;
}
