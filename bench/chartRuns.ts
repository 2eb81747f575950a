/**
 * Saving a chart file → its findings: our server on a folder with a chart of 50 templates, rendered with the pinned
 * helm of the test harness (never the machine's; HOME in a temp folder). Each save flips one value between a mistake
 * (ISTIO_MUTUAL toward an external host) and a fix, writes values.yaml and tells the server as an editor does
 * (`didSave` and a watched-file change); the clock stops at the template's publication with the new verdict. `helm
 * template` alone on the same chart, in the same run, says how much of that is helm's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ensureHelm } from '../test/harness/kubectl';
import { LspTestClient } from '../test/support/lspClient';
import { toolEnv } from '../test/support/toolEnv';
import type { Options } from './options';
import { OUT } from './paths';
import { track } from './processes';
import type { Build } from './servers';
import { formatMs, median, percentile } from './stats';

export const CHART_TEMPLATES = 50;
/** The target for a chart of 50 templates. */
export const CHART_SAVE_TARGET_MS = 1000;

export interface ChartRuns {
  readonly templates: number;
  readonly helmAlone: readonly number[];
  readonly openToFindings: readonly number[];
  readonly saveToFindings: readonly number[];
}

const EDITED = Math.floor(CHART_TEMPLATES / 2);

function values(mistake: boolean): string {
  const lines: string[] = [];
  for (let i = 0; i < CHART_TEMPLATES; i++) lines.push(`partner${i}:`, `  host: api${i}.partner.example`, `  tlsMode: ${mistake && i === EDITED ? 'ISTIO_MUTUAL' : 'DISABLE'}`);
  return `${lines.join('\n')}\n`;
}

function template(i: number): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: {{ .Release.Name }}-partner${i}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  hosts:
  - {{ .Values.partner${i}.host }}
  location: MESH_EXTERNAL
  ports:
  {{- range $port := list 443 8443 }}
  - number: {{ $port }}
    name: tls-{{ $port }}
    protocol: TLS
  {{- end }}
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {{ .Release.Name }}-partner${i}
spec:
  host: {{ .Values.partner${i}.host | quote }}
  trafficPolicy:
    tls:
      mode: {{ .Values.partner${i}.tlsMode }}
`;
}

/** The chart, in a folder of its own under bench/out. */
function writeChart(): { folder: string; chart: string } {
  const folder = path.join(OUT, `chart-${CHART_TEMPLATES}`);
  rmSync(folder, { recursive: true, force: true });
  const chart = path.join(folder, 'chart');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 0.1.0\n');
  writeFileSync(path.join(chart, 'values.yaml'), values(false));
  writeFileSync(path.join(chart, 'templates', '_helpers.tpl'), '{{- define "bench.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\n{{- end }}\n');
  for (let i = 0; i < CHART_TEMPLATES; i++) writeFileSync(path.join(chart, 'templates', `partner-${i}.yaml`), template(i));
  return { folder, chart };
}

export async function measureChartSave(build: Build, options: Options, log: (line: string) => void): Promise<ChartRuns> {
  const helm = await ensureHelm();
  const home = mkdtempSync(path.join(tmpdir(), 'istio-egress-bench-helm-'));
  const env = toolEnv(home);
  const { folder, chart } = writeChart();
  log(`input: ${path.relative(process.cwd(), chart)} — a chart of ${CHART_TEMPLATES} templates (each a ServiceEntry and a DestinationRule, an include, a range)`);
  const helmAlone: number[] = [];
  const openToFindings: number[] = [];
  const saveToFindings: number[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const started = performance.now();
      const rendered = spawnSync(helm, ['template', 'bench', chart, '--namespace', 'default'], { env, encoding: 'utf8' });
      if (rendered.status !== 0) throw new Error(`helm template failed: ${rendered.stderr}`);
      helmAlone.push(performance.now() - started);

      const client = new LspTestClient({ args: [build.server, '--stdio'], env, name: 'ours' });
      track(client.child);
      const settings = { helmPath: helm };
      client.settings = settings;
      try {
        const templateUri = pathToFileURL(path.join(chart, 'templates', `partner-${EDITED}.yaml`)).toString();
        const valuesUri = pathToFileURL(path.join(chart, 'values.yaml')).toString();
        writeFileSync(path.join(chart, 'values.yaml'), values(false));
        await client.initialize([pathToFileURL(folder).toString()], { settings });
        await client.open(templateUri, template(EDITED));
        await client.waitForDiagnostics(templateUri, (p) => !p.diagnostics.some((d) => d.code === 'EGR005'), options.timeoutMs);
        openToFindings.push(performance.now() - client.initializedAt);
        await client.open(valuesUri, values(false));
        for (let save = 1; save <= options.edits; save++) {
          const mistake = save % 2 === 1;
          const text = values(mistake);
          writeFileSync(path.join(chart, 'values.yaml'), text);
          await client.replaceAll(valuesUri, text);
          const since = client.lastSeq;
          const t0 = performance.now();
          await client.save(valuesUri);
          await client.watchedFilesChanged([{ uri: valuesUri, type: 2 }]);
          await client.waitForPublication(templateUri, {
            after: since,
            timeoutMs: options.timeoutMs,
            accept: (p) => p.diagnostics.some((d) => d.code === 'EGR402') === mistake,
          });
          saveToFindings.push(performance.now() - t0);
        }
      } finally {
        await client.stop();
      }
      log(
        `chart run ${run}/${options.runs}: helm template alone ${formatMs(helmAlone[helmAlone.length - 1] ?? Number.NaN)}, open → rendered findings ${formatMs(openToFindings[openToFindings.length - 1] ?? Number.NaN)}, save → findings median ${formatMs(median(saveToFindings.slice(-options.edits)))}`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { templates: CHART_TEMPLATES, helmAlone, openToFindings, saveToFindings };
}

/** The section of docs/performance.md for the chart runs. */
export function chartSection(runs: ChartRuns): string[] {
  const save = median(runs.saveToFindings);
  const p95 = percentile(runs.saveToFindings, 95);
  return [
    '### Saving a chart file',
    '',
    `A chart of ${runs.templates} templates (\`bench/chartRuns.ts\`) in the workspace folder, rendered by the pinned helm; each save of \`values.yaml\` flips one DestinationRule between ISTIO_MUTUAL toward its external host (EGR402) and DISABLE. Timed from \`didSave\` to the template's publication with the new verdict; the server waits 150 ms after a save before it renders (a "save all" is one rendering), which is part of the figure.`,
    '',
    '| chart | helm template alone | open → rendered findings | save → findings (median · p95) | target |',
    '|---|---|---|---|---|',
    `| ${runs.templates} templates | ${formatMs(median(runs.helmAlone))} | ${formatMs(median(runs.openToFindings))} | ${formatMs(save)} · ${formatMs(p95)} | ≤ ${formatMs(CHART_SAVE_TARGET_MS)} ${p95 <= CHART_SAVE_TARGET_MS ? '✓' : '✗'} |`,
  ];
}
