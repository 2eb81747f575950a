/** Text and markdown tables for the benchmark, and the generated sections of docs/performance.md. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Breakdown, ProfileSummary, TimeRow } from './profile';
import { formatMs } from './stats';

export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replaceAll('|', '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function timeTable(rows: readonly TimeRow[], withPackage: boolean, markdown: boolean): string {
  const header = withPackage ? ['ms', '% of busy', 'function (original source:line)', 'package'] : ['ms', '% of busy', 'function (original source:line)'];
  const cells = rows.map((r) => {
    const base = [r.ms.toFixed(0), `${r.pct.toFixed(1)} %`, markdown ? `\`${r.label}\`` : r.label];
    return withPackage ? [...base, r.pkg] : base;
  });
  return markdown ? markdownTable(header, cells) : textTable(header, cells);
}

function breakdownText(b: Breakdown, markdown: boolean, title: (s: string) => string, options: { packages: boolean; top: number }): string[] {
  const out: string[] = [];
  if (options.packages) {
    const packages = b.byPackage.filter((r) => r.pct >= 0.5).map((r) => [r.label, r.ms.toFixed(0), `${r.pct.toFixed(1)} %`]);
    out.push(title('Self time by package (≥ 0.5 %)'), markdown ? markdownTable(['package', 'ms', '% of busy'], packages) : textTable(['package', 'ms', '% of busy'], packages));
  }
  out.push(
    title('Top functions by self time'),
    timeTable(b.selfTop.slice(0, options.top), true, markdown),
    title('Our functions by inclusive time (self + synchronous callees)'),
    timeTable(b.inclusiveOurs.slice(0, options.top), false, markdown),
    title('Library functions by inclusive time'),
    timeTable(b.inclusiveLibraries.slice(0, options.top), true, markdown),
  );
  return out;
}

/** The profile summary: the whole recording, then each phase the benchmark's pauses separate. */
export function profileText(p: ProfileSummary, phaseNames: readonly string[], markdown: boolean, root: string, options: { phases: boolean } = { phases: true }): string {
  const h =
    (level: number) =>
    (s: string): string =>
      markdown ? `\n${'#'.repeat(level)} ${s}\n` : `\n${s}\n${'-'.repeat(s.length)}`;
  const lines: string[] = [
    `${markdown ? '`' : ''}${path.relative(root, p.file)}${markdown ? '`' : ''}: ${formatMs(p.totalMs)} recorded, ${formatMs(p.idleMs)} idle, ${formatMs(p.busyMs)} busy.`,
  ];
  const sub = (s: string): string => (markdown ? `\n**${s}**\n` : `\n${s}:`);
  if (!options.phases) {
    lines.push(...breakdownText(p, markdown, sub, { packages: true, top: 12 }));
    return lines.join('\n');
  }
  lines.push('', `Phases (busy stretches between pauses of the driver): ${p.phases.map((ph, i) => `${phaseNames[i] ?? `phase ${i + 1}`} ${formatMs(ph.busyMs)} busy`).join('; ')}.`);
  lines.push(h(4)('Whole profile'), ...breakdownText(p, markdown, sub, { packages: true, top: 15 }));
  p.phases.forEach((phase, i) => {
    const name = phaseNames[i] ?? `phase ${i + 1}`;
    if (phase.busyMs < 50 || !/open|edit/.test(name)) return;
    lines.push(h(4)(`Phase: ${name} (${formatMs(phase.busyMs)} busy)`), ...breakdownText(phase, markdown, sub, { packages: true, top: 20 }));
  });
  return lines.join('\n');
}

export const RESULTS_BEGIN = '<!-- bench:results:begin -->';
export const RESULTS_END = '<!-- bench:results:end -->';
export const PROFILE_BEGIN = '<!-- bench:profile:begin -->';
export const PROFILE_END = '<!-- bench:profile:end -->';

const SKELETON = `# Performance

Measured with \`npm run bench\` (\`npm run build && node --import tsx bench/run.ts\`); \`node --import tsx bench/run.ts --help\`
lists the flags. The sections between \`bench:\` markers are rewritten by each run; the rest is written by hand.

${RESULTS_BEGIN}
${RESULTS_END}

## Where the time goes

## CPU profiles

${PROFILE_BEGIN}
${PROFILE_END}
`;

function replaceBetween(text: string, begin: string, end: string, body: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) return `${text.trimEnd()}\n\n${begin}\n${body}\n${end}\n`;
  return `${text.slice(0, start + begin.length)}\n${body}\n${text.slice(stop)}`;
}

/** Rewrites the generated sections of `file` (created from a skeleton if absent), keeping the hand-written text. */
export function writeMarkdown(file: string, results: string | undefined, profile: string | undefined): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : SKELETON;
  if (results !== undefined) text = replaceBetween(text, RESULTS_BEGIN, RESULTS_END, results);
  if (profile !== undefined) text = replaceBetween(text, PROFILE_BEGIN, PROFILE_END, profile);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
