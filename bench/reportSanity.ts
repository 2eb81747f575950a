/** The sanity table: what each server reported per input, so a fast but wrong run shows. */
import type { ServerRun } from './serverRuns';
import { OURS, YLS } from './servers';
import { formatBytes, formatMiB, median } from './stats';

export const SANITY_HEADER = [
  'input',
  'opened file',
  'diagnostics at open: first → complete [publishes] (ours / yls)',
  'peak RSS right after open, median (ours / yls)',
  'completion items, median (ours / yls)',
  'hovers answered (ours / yls)',
  'edits show up in our diagnostics',
];

/** One row per input (a scenario's label and the size of the file it opens). */
export function sanityRows(results: readonly ServerRun[], inputs: readonly { label: string; bytes: number }[]): string[][] {
  return inputs.map(({ label, bytes }) => {
    const of = (server: string): ServerRun[] => results.filter((r) => r.server === server && r.scenario === label);
    const diag = (server: string): string => {
      const distinct = (pick: (r: ServerRun) => number | undefined): string => [...new Set(of(server).flatMap((r) => (pick(r) === undefined ? [] : [pick(r)])))].join('/') || '?';
      if (!of(server).some((r) => r.openDiagnostics !== undefined)) return '—';
      const first = distinct((r) => r.openDiagnostics);
      const complete = distinct((r) => r.completeDiagnostics);
      return first === complete ? first : `${first} → ${complete} [${distinct((r) => r.openPublishes)}]`;
    };
    const items = (server: string): string => {
      const all = of(server).flatMap((r) => r.completionItems);
      return all.length ? `${median(all)} (min ${Math.min(...all)})` : '—';
    };
    const hovers = (server: string): string => {
      const runs = of(server).filter((r) => r.hoverMs.length);
      return runs.length ? `${runs.reduce((n, r) => n + r.hoverAnswered, 0)}/${runs.reduce((n, r) => n + r.hoverMs.length, 0)}` : '—';
    };
    const rssAfterOpen = (server: string): string => {
      const values = of(server).flatMap((r) => (r.rssAfterOpenKiB === undefined ? [] : [r.rssAfterOpenKiB]));
      return values.length ? formatMiB(median(values)) : '—';
    };
    const consistent = of(OURS)
      .map((r) => r.editsConsistent)
      .filter((c): c is boolean => c !== undefined);
    return [
      label,
      formatBytes(bytes),
      `${diag(OURS)} / ${diag(YLS)}`,
      `${rssAfterOpen(OURS)} / ${rssAfterOpen(YLS)}`,
      `${items(OURS)} / ${items(YLS)}`,
      `${hovers(OURS)} / ${hovers(YLS)}`,
      consistent.length ? (consistent.every(Boolean) ? 'yes' : 'NO') : '—',
    ];
  });
}
