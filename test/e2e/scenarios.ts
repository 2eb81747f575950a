/**
 * The scenarios, each as a person would do it in the editor and each asserting on what is on the screen.
 * Files they need besides the copies of examples/ are written into the workspace by `workspaceFiles`.
 */
import assert from 'node:assert/strict';
import type { SeedCluster } from '../harness/seedCluster';
import { PLAIN_POD, SIDECAR_POD } from '../harness/seedCluster';
import { eventually, type ProblemRow, type SuggestRow, type Workbench } from './workbench';
import { sleep } from './processes';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/paths';

function contributedSnippets(): { prefix: string; body: string }[] {
  const snippets: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'snippets', 'yaml.json'), 'utf8'));
  if (typeof snippets !== 'object' || snippets === null) return [];
  return Object.values(snippets).flatMap((s: unknown) => {
    if (typeof s !== 'object' || s === null || !('prefix' in s) || typeof s.prefix !== 'string' || !('body' in s)) return [];
    const body: unknown = s.body;
    const lines = typeof body === 'string' ? [body] : Array.isArray(body) ? body.filter((l): l is string => typeof l === 'string') : [];
    return [{ prefix: s.prefix, body: lines.join('\n') }];
  });
}

/** The prefixes of every snippet the extension contributes. */
function snippetPrefixes(): string[] {
  return contributedSnippets().map((s) => s.prefix);
}

/**
 * The text the snippet `prefix` of snippets/yaml.json inserts when every placeholder keeps its default: `${1:x}` and
 * its mirrors `$1` become `x`, a choice `${1|a,b|}` its first option, `$0` nothing.
 */
function snippetExpansion(prefix: string): string {
  const snippet = contributedSnippets().find((s) => s.prefix === prefix);
  if (!snippet) throw new Error(`no snippet ${prefix} in snippets/yaml.json`);
  const defaults = new Map<string, string>();
  const first = snippet.body.replace(/\$\{(\d+)(?::([^}]*)|\|([^|]*)\|)?\}/g, (_all, n: string, value: string | undefined, choices: string | undefined) => {
    const text = value ?? choices?.split(',')[0] ?? defaults.get(n) ?? '';
    if (!defaults.has(n)) defaults.set(n, text);
    return text;
  });
  return first.replace(/\$(\d+)/g, (_all, n: string) => defaults.get(n) ?? '');
}

export const KUBE_CONTEXT = 'kind-egress';
export const PROBE_TITLE = 'Istio Egress: Probe egress service';
const SOURCE = 'istio-egress';

/** Extra files of the trusted workspace (next to the copies of examples/). */
export const WORKSPACE_FILES: Readonly<Record<string, string>> = {
  // tls.mode completion: toward the selector-less my-wikipedia (port named tls, examples/3) DISABLE fits; toward a
  // selector-less Service whose workload speaks HTTP to an external 443, SIMPLE (TLS origination) fits.
  '5-tls-mode.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: wikipedia-tls
spec:
  host: my-wikipedia
  trafficPolicy:
    tls:
      mode: 
---
kind: Service
apiVersion: v1
metadata:
  name: payments-http
spec:
  ports:
  - name: http
    port: 80
    targetPort: 443
---
kind: Endpoints
apiVersion: v1
metadata:
  name: payments-http
subsets:
- addresses:
  - ip: 203.0.113.30
  ports:
  - name: http
    port: 443
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments-http
spec:
  host: payments-http
  trafficPolicy:
    tls:
      mode: 
`,
  // DR host completion: the workspace's Services.
  '6-dr-host.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: pick-a-host
spec:
  host: 
`,
  // Snippets: starts with a mistake (EGR101), replaced by the egress-selectorless snippet.
  '7-snippet.yaml': `kind: Service
apiVersion: v1
metadata:
  name: placeholder
spec:
  type: ExternalName
  externalName: https://replace.me.example.com
`,
  // A chart the server renders with the pinned helm: ISTIO_MUTUAL comes from values.yaml, toward an external host.
  '8-chart/Chart.yaml': 'apiVersion: v2\nname: partner-egress\nversion: 0.1.0\n',
  '8-chart/values.yaml': 'partner:\n  host: api.partner.example\n  tlsMode: ISTIO_MUTUAL\n',
  '8-chart/templates/partner-entry.yaml': `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: {{ .Release.Name }}-partner
spec:
  hosts:
  - {{ .Values.partner.host }}
  location: MESH_EXTERNAL
  ports:
  - number: 443
    name: tls
    protocol: TLS
  resolution: DNS
`,
  '8-chart/templates/partner-rule.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {{ .Release.Name }}-partner
spec:
  host: {{ .Values.partner.host | quote }}
  trafficPolicy:
    tls:
      mode: {{ .Values.partner.tlsMode }}
`,
};

/** Files of the untrusted workspace (copies of examples/). */
export const UNTRUSTED_EXAMPLES = ['1-externalname-seed.yaml', '4-common-mistakes.yaml'] as const;

export interface ScenarioContext {
  readonly main: Workbench;
  /** Loads the untrusted workspace in a page of its own (once) and returns it. */
  untrusted(): Promise<Workbench>;
  readonly seed: SeedCluster;
  /** The harness's kubectl and the kubeconfig of the fake cluster, as the settings name them. */
  readonly kubectl: string;
  readonly kubeconfig: string;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly timeoutMs: number;
  /** Which page the screenshot shows. */
  readonly page: 'main' | 'untrusted';
  run(ctx: ScenarioContext): Promise<void>;
}

const ours = (rows: readonly ProblemRow[]): ProblemRow[] => rows.filter((r) => r.source === SOURCE);
const codes = (rows: readonly ProblemRow[]): string[] =>
  ours(rows)
    .map((r) => r.code)
    .sort();
const labels = (rows: readonly SuggestRow[]): string[] => rows.map((r) => r.label);

/** Waits until the Problems panel, filtered to `file`, shows exactly `expected` codes from our server, and stays so. */
async function expectCodes(wb: Workbench, file: string, expected: readonly string[], timeoutMs = 20_000): Promise<ProblemRow[]> {
  const filter = `**/${file}`;
  const want = [...expected].sort().join(',');
  const rows = await eventually(
    `Problems panel codes for ${file} (want [${want}])`,
    () => wb.problems(filter),
    (r) => codes(r).join(',') === want,
    timeoutMs,
  );
  await sleep(1000);
  const again = await wb.problems(filter);
  assert.equal(codes(again).join(','), want, `Problems for ${file} changed after settling: ${JSON.stringify(again)}`);
  return rows;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: '1-diagnostics',
    title: 'Problems panel: EGR401 on the seed file, none of ours on the clean file',
    timeoutMs: 75_000,
    page: 'main',
    async run({ main: wb }) {
      await wb.openFile('1-externalname-seed.yaml');
      const rows = await expectCodes(wb, '1-externalname-seed.yaml', ['EGR401'], 45_000);
      const egr401 = ours(rows)[0];
      assert.ok(egr401);
      assert.equal(egr401.severity, 'warning');
      assert.equal(egr401.position, '[Ln 21, Col 9]', 'on the DestinationRule host');
      assert.match(egr401.message, /ExternalName Service 'my-httpbin'.*has no effect/);

      await wb.openFile('2-externalname-current.yaml');
      await wb.goTo(3, 1);
      // The breadcrumbs show our server's symbol for this document: it has analysed this file.
      await wb.page
        .locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: /Service my-httpbin\.egress-demo/ })
        .first()
        .waitFor({ timeout: 20_000 });
      const clean = await expectCodes(wb, '2-externalname-current.yaml', []);
      assert.deepEqual(ours(clean), []);
      // And the seed file's warning is still listed (same server, same moment).
      assert.deepEqual(codes(await wb.problems('**/1-externalname-seed.yaml')), ['EGR401']);
      await wb.clearProblemsFilter();
    },
  },
  {
    id: '2-completion',
    title: 'Completion: tls.mode lists the four modes, the fitting one first; a DR host lists the workspace Services',
    timeoutMs: 60_000,
    page: 'main',
    async run({ main: wb }) {
      const MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];
      const modesOf = (rows: SuggestRow[]): SuggestRow[] => rows.filter((r) => MODES.includes(r.label));
      await wb.openFile('5-tls-mode.yaml');

      await wb.goTo(9, 13);
      const wiki = modesOf(await wb.suggest((rows) => modesOf(rows).length === 4 && /Enum Member/.test(modesOf(rows)[0]?.ariaLabel ?? '')));
      assert.deepEqual(labels(wiki), ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'], 'toward my-wikipedia (port tls): DISABLE first, in our order');
      assert.equal(wiki[0]?.focused, true, 'DISABLE is preselected');
      await wb.page.keyboard.press('Escape');

      await wb.goTo(40, 13);
      const payments = modesOf(await wb.suggest((rows) => modesOf(rows).length === 4 && /Enum Member/.test(modesOf(rows)[0]?.ariaLabel ?? '')));
      assert.deepEqual(labels(payments), ['SIMPLE', 'DISABLE', 'MUTUAL', 'ISTIO_MUTUAL'], 'HTTP toward an external 443: SIMPLE first');
      assert.equal(payments[0]?.focused, true, 'SIMPLE is preselected');
      await wb.page.keyboard.press('Escape');

      await wb.openFile('6-dr-host.yaml');
      await wb.goTo(6, 9);
      const hosts = await wb.suggest((rows) => rows.some((r) => r.label === 'my-wikipedia') && rows.some((r) => r.label === 'payments-http'));
      const detailOf = (label: string): string => hosts.find((r) => r.label === label)?.detail ?? `(${label} not listed: ${JSON.stringify(labels(hosts))})`;
      assert.match(detailOf('my-wikipedia'), /Service default\/my-wikipedia/, 'same namespace: short name');
      assert.match(detailOf('payments-http'), /Service default\/payments-http/);
      assert.match(detailOf('legacy-db.shop.svc.cluster.local'), /Service shop\/legacy-db/, 'other namespace: FQDN');
      assert.match(detailOf('httpbin.org'), /target of ExternalName default\/my-httpbin/, 'an ExternalName Service offers its target');
      assert.ok(!labels(hosts).includes('my-httpbin.default.svc.cluster.local'), 'not the alias itself (no effect on Istio 1.21+)');
    },
  },
  {
    id: '3-hover',
    title: 'Hover over externalName: the CNAME workloads get and the Host caveat',
    timeoutMs: 45_000,
    page: 'main',
    async run({ main: wb }) {
      await wb.openFile('1-externalname-seed.yaml');
      await wb.goTo(10, 1);
      const line = wb.activeEditor().locator('.view-line', { hasText: /externalName:\s*httpbin\.org/ });
      const value = line.locator('span > span', { hasText: /^httpbin\.org$/ }).first();
      const text = await wb.hover(value, /CNAME/);
      assert.match(text, /my-httpbin\.default\.svc\.cluster\.local get a DNS CNAME to httpbin\.org/);
      assert.match(text, /Host: my-httpbin\.default\.svc\.cluster\.local/);
    },
  },
  {
    id: '4-snippets',
    title: 'Snippets: egress- lists every snippet of snippets/yaml.json, egress-selectorless inserts a manifest without errors',
    timeoutMs: 100_000,
    page: 'main',
    async run({ main: wb }) {
      await wb.openFile('7-snippet.yaml');
      await expectCodes(wb, '7-snippet.yaml', ['EGR101']);
      await wb.activeEditor().locator('.view-lines').click();
      await wb.page.keyboard.press('Control+A');
      await wb.page.keyboard.press('Delete');
      // The suggest widget shows about a dozen rows at once and there are more snippets than that: each is typed whole.
      const SNIPPETS = snippetPrefixes();
      assert.ok(SNIPPETS.length >= 18, SNIPPETS.join(', '));
      for (const prefix of SNIPPETS) {
        await wb.page.keyboard.press('Control+A');
        await wb.page.keyboard.press('Delete');
        await wb.page.keyboard.type(prefix);
        const rows = await wb.suggest((r) => labels(r).includes(prefix));
        assert.ok(
          rows.find((r) => r.label === prefix && /Snippet/.test(r.ariaLabel)),
          `${prefix} listed as a snippet`,
        );
      }
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('Control+A');
      await wb.page.keyboard.press('Delete');
      await wb.page.keyboard.type('egress-');
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.type('selectorless');
      await wb.suggest((r) => r[0]?.label === 'egress-selectorless' && r[0].focused);
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('Escape'); // leave the snippet's placeholders
      // The editor renders the insertion over several frames (and the CodeLens above line 2 arrives later and pushes
      // the lines down): wait until it shows exactly the whole expansion, then check that it stays so.
      const expected = snippetExpansion('egress-selectorless');
      assert.match(expected, /^apiVersion: v1\nkind: Service\nmetadata:\n {2}name: my-external-db\n[\s\S]*kind: Endpoints\nmetadata:\n {2}name: my-external-db\n/);
      const text = await eventually(
        'the inserted snippet, whole',
        () => wb.editorText(),
        (t) => t === expected,
        45_000,
      );
      assert.doesNotMatch(text, /egress-selectorless|replace\.me/);
      await sleep(1000);
      assert.equal(await wb.editorText(), expected, 'the inserted manifest stays as inserted');

      const filter = '**/7-snippet.yaml';
      const after = await eventually(
        'no error for the snippet',
        () => wb.problems(filter),
        (r) => r.every((p) => p.severity !== 'error'),
      );
      await sleep(1500);
      const settled = await wb.problems(filter);
      assert.deepEqual(
        settled.filter((p) => p.severity === 'error'),
        [],
        'no error diagnostics for the inserted manifest',
      );
      assert.ok(!codes(after).includes('EGR101'));
    },
  },
  {
    id: '5-quickfix',
    title: 'Light bulb: ISTIO_MUTUAL → DISABLE, and EGR402 goes away',
    timeoutMs: 60_000,
    page: 'main',
    async run({ main: wb }) {
      await wb.openFile('4-common-mistakes.yaml');
      await expectCodes(wb, '4-common-mistakes.yaml', ['EGR101', 'EGR110', 'EGR402']);
      await wb.goTo(43, 13);
      await eventually(
        'line 43 before the quick fix',
        () => wb.editorLines(),
        (lines) => lines.get(43) === '      mode: ISTIO_MUTUAL',
        10_000,
      );
      const bulb = wb.activeEditor().locator('.lightBulbWidget');
      await bulb.waitFor({ timeout: 15_000 });
      await bulb.click();
      const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Use tls.mode DISABLE' });
      await fix.waitFor({ timeout: 10_000 });
      await fix.click();
      await eventually(
        'line 43 after the quick fix',
        () => wb.editorLines(),
        (lines) => lines.get(43) === '      mode: DISABLE',
        10_000,
      );
      await expectCodes(wb, '4-common-mistakes.yaml', ['EGR101', 'EGR110']);
    },
  },
  {
    id: '6-probe',
    title: 'Probe egress service from the palette on my-httpbin: confirmation, output channel, summary view',
    timeoutMs: 90_000,
    page: 'main',
    async run({ main: wb, seed, kubectl, kubeconfig }) {
      await wb.openFile('1-externalname-seed.yaml');
      await wb.goTo(7, 9);
      seed.cluster.clearExecLog();
      await wb.runCommand(PROBE_TITLE);

      const dialog = wb.dialog();
      await dialog.waitFor({ timeout: 20_000 });
      const question = await dialog.locator('.dialog-message-detail, .dialog-message-text').allInnerTexts();
      assert.match(question.join('\n'), new RegExp(`Probe Service my-httpbin in kube context "${KUBE_CONTEXT}"\\?`));
      await dialog.locator('.monaco-button', { hasText: /^Probe$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

      const toasts = await eventually(
        'the probe result notification',
        () => wb.notifications(),
        (t) => t.some((n) => /Egress probe of my-httpbin/.test(n)),
        60_000,
        500,
      );
      assert.ok(
        toasts.some((n) => n.includes('Egress probe of my-httpbin: every probe passed.')),
        JSON.stringify(toasts),
      );

      // The summary view: a webview tab with one row per source pod.
      await wb.tab('Egress probe: default/my-httpbin').waitFor({ timeout: 20_000 });
      const table = wb.webview().locator('table');
      await table.waitFor({ timeout: 20_000 });
      const tableRows = await eventually(
        'summary rows',
        () => wb.webview().locator('tbody tr').allInnerTexts(),
        (r) => r.length >= 2,
        10_000,
      );
      const row = (pod: string): string => tableRows.find((r) => r.includes(pod)) ?? `(no row for ${pod}: ${JSON.stringify(tableRows)})`;
      assert.match(row(`${SIDECAR_POD.namespace}/${SIDECAR_POD.name}`), /yes[\s\S]*http:\/\/my-httpbin\.default\.svc\.cluster\.local\/headers[\s\S]*200[\s\S]*PASS:/);
      assert.match(row(`${PLAIN_POD.namespace}/${PLAIN_POD.name}`), /no[\s\S]*200[\s\S]*PASS:/);
      assert.match(await wb.webview().locator('h2').innerText(), /default\/my-httpbin/);

      // The output channel, shown by the command, with the transcript.
      await wb.toggleMaximizedPanel();
      // The Output panel wraps long lines, and where it wraps depends on the length of the paths (the kubectl under the
      // checkout, the kubeconfig under the temp folder): compare the command lines with every whitespace removed, so
      // a wrap anywhere (between words or after a '/' inside a path) does not matter.
      const compact = (text: string): string => text.replace(/\s+/g, '');
      const configured = compact(`$ ${kubectl} --kubeconfig=${kubeconfig} --context=${KUBE_CONTEXT}`);
      const output = await eventually(
        'output channel transcript',
        () => wb.output(),
        (o) => /Result: PASS/.test(o.text) && compact(o.text).includes(configured),
        30_000,
      );
      assert.match(output.channel, /Istio Egress Probe/);
      assert.match(output.text, new RegExp(`From ${SIDECAR_POD.namespace}/${SIDECAR_POD.name} \\(with sidecar`));
      assert.match(output.text, new RegExp(`From ${PLAIN_POD.namespace}/${PLAIN_POD.name} \\(without sidecar`));
      assert.equal(output.text.match(/^\s*\[PASS\]/gm)?.length, 2, output.text);
      assert.match(output.text, /Result: PASS \(exit 0\)/);
      // The commands ran with the kubectl and kubeconfig of the settings (Remote settings in this window).
      assert.ok(compact(output.text).includes(configured), `the transcript shows the configured kubectl: ${output.text}`);
      // The panel stays maximized, scrolled to the verdicts: that is what the screenshot (and the README) shows.
      await wb.page.locator('.part.panel .output-view .view-lines').first().click();
      await wb.page.keyboard.press('Control+End');

      // It really went through kubectl exec into the fake cluster's pods.
      const curls = seed.cluster.execLog.filter((e) => e.command[0] === 'curl').map((e) => `${e.namespace}/${e.pod}`);
      assert.deepEqual(curls.sort(), [`${SIDECAR_POD.namespace}/${SIDECAR_POD.name}`, `${PLAIN_POD.namespace}/${PLAIN_POD.name}`].sort());
    },
  },
  {
    id: '7-untrusted',
    title: 'Untrusted workspace: diagnostics still appear; the probe is not in the palette and its CodeLens says why',
    timeoutMs: 75_000,
    page: 'untrusted',
    async run(ctx) {
      const wb = await ctx.untrusted();
      await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 20_000 });
      await wb.openFile('4-common-mistakes.yaml');
      await expectCodes(wb, '4-common-mistakes.yaml', ['EGR101', 'EGR110', 'EGR402'], 45_000);
      await wb.clearProblemsFilter();

      // The palette offers no Istio Egress command (at most VS Code's fuzzy "similar commands" of its own).
      const rows = await wb.paletteRows(PROBE_TITLE);
      assert.ok(rows.length > 0, 'the palette answered');
      assert.deepEqual(
        rows.filter((r) => /Istio Egress|Probe egress/i.test(r)),
        [],
        `the probe command is not offered in Restricted Mode: ${JSON.stringify(rows)}`,
      );
      await wb.dismiss();

      await wb.openFile('1-externalname-seed.yaml');
      const lens = wb.activeEditor().locator('.codelens-decoration a', { hasText: 'Probe egress service' }).first();
      await lens.waitFor({ timeout: 20_000 });
      await lens.click();
      const toasts = await eventually(
        'the untrusted explanation',
        () => wb.notifications(),
        (t) => t.some((n) => /untrusted/.test(n)),
        15_000,
      );
      assert.ok(
        toasts.some((n) => n.includes('Istio Egress: probing runs kubectl against your cluster, so it is off in untrusted workspaces. Trust the workspace to use it.')),
        JSON.stringify(toasts),
      );
      assert.equal(await wb.dialog().count(), 0, 'no probe confirmation');
    },
  },
  {
    id: '8-chart',
    title: 'A Helm chart rendered by helm: the finding a value causes sits on the template line that reads it',
    timeoutMs: 75_000,
    page: 'main',
    async run({ main: wb }) {
      await wb.openFile('partner-rule.yaml');
      const rows = await expectCodes(wb, 'partner-rule.yaml', ['EGR402'], 60_000);
      const egr402 = ours(rows)[0];
      assert.ok(egr402);
      assert.equal(egr402.severity, 'error');
      assert.equal(egr402.position, '[Ln 9, Col 7]', 'on `mode: {{ .Values.partner.tlsMode }}`');
      assert.match(egr402.message, /rendered by helm from this line; from values: partner\.tlsMode = ISTIO_MUTUAL in values\.yaml/);
      await wb.clearProblemsFilter();
    },
  },
];
