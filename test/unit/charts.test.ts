/**
 * A rendered chart in the analysis (`Analysis.setChart`), without helm: the output stands in for its templates in
 * every lookup, lands in the release namespace, and its findings come back on the template and values lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/analysis/engine/analysis';
import type { RenderedChart } from '../../server/src/analysis/render/chartFindings';
import { templateLine } from '../../server/src/analysis/render/helmOutput';

const CHART = 'file:///repo/charts/payments/';
const TEMPLATE_URI = `${CHART}templates/destinationrule.yaml`;
const VALUES_URI = `${CHART}values.yaml`;
const TEMPLATE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {{ .Release.Name }}-wikipedia
spec:
  host: {{ .Values.host }}
  trafficPolicy:
    tls:
      mode: {{ .Values.tlsMode }}
`;
const VALUES = 'host: my-wikipedia.egress.svc.cluster.local\ntlsMode: ISTIO_MUTUAL\n';
/** What `helm template payments … --namespace egress` writes for TEMPLATE with VALUES. */
const RENDERED = `# Source: payments/templates/destinationrule.yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments-wikipedia
spec:
  host: my-wikipedia.egress.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
`;
/** A selector-less Service without a namespace, with its Endpoints outside the cluster, in plain manifests. */
const PLAIN_URI = 'file:///repo/manifests/wikipedia.yaml';
const PLAIN = `apiVersion: v1
kind: Service
metadata:
  name: my-wikipedia
  namespace: egress
spec:
  ports:
  - name: tls
    port: 443
---
apiVersion: v1
kind: Endpoints
metadata:
  name: my-wikipedia
  namespace: egress
subsets:
- addresses:
  - ip: 91.198.174.192
  ports:
  - name: tls
    port: 443
`;

function rendered(overrides: Partial<RenderedChart> = {}): RenderedChart {
  return {
    status: 'rendered',
    chart: CHART,
    rendered: new Map([['templates/destinationrule.yaml', RENDERED]]),
    templates: new Map([['templates/destinationrule.yaml', TEMPLATE]]),
    namespace: 'egress',
    values: [{ uri: VALUES_URI, text: VALUES }],
    ...overrides,
  };
}

const lines = (analysis: Analysis, uri: string): string[] => analysis.findings(uri).map((f) => `${f.range.start.line} ${f.code}`);

describe('a rendered chart in the analysis', () => {
  it('checks the output in place of the template, on the line and with the value that produced each finding', () => {
    const analysis = new Analysis();
    analysis.setFile(TEMPLATE_URI, TEMPLATE);
    analysis.setFile(PLAIN_URI, PLAIN);
    assert.deepEqual(lines(analysis, TEMPLATE_URI), ['3 EGR005'], 'unrendered: the note only');

    analysis.setChart(CHART, rendered());
    assert.deepEqual(lines(analysis, TEMPLATE_URI), ['8 EGR402']);
    const [finding] = analysis.findings(TEMPLATE_URI);
    assert.deepEqual(finding?.range, { start: { line: 8, character: 6 }, end: { line: 8, character: 33 } });
    assert.match(String(finding?.message), /rendered by helm from this line; from values: tlsMode = ISTIO_MUTUAL in values\.yaml/);
    assert.deepEqual(finding?.fixes, [], 'a fix would edit the output, not the template');
    assert.deepEqual(
      finding?.related.map((r) => `${r.uri} ${r.range.start.line}`),
      [`${VALUES_URI} 1`, `${PLAIN_URI} 3`],
    );
    assert.deepEqual(lines(analysis, VALUES_URI), ['1 EGR402'], 'and on the value itself');
    assert.deepEqual([...analysis.uris()].sort(), [TEMPLATE_URI, PLAIN_URI], 'the output is no file of its own');

    analysis.setChart(CHART, undefined);
    assert.deepEqual(lines(analysis, TEMPLATE_URI), ['3 EGR005'], 'forgotten: the template as written again');
    assert.deepEqual(lines(analysis, VALUES_URI), []);
  });

  it('puts resources that name no namespace in the release namespace', () => {
    const analysis = new Analysis();
    analysis.setFile(PLAIN_URI, PLAIN);
    const shortHost = RENDERED.replace('host: my-wikipedia.egress.svc.cluster.local', 'host: my-wikipedia');
    const template = TEMPLATE.replace('{{ .Values.host }}', 'my-wikipedia');
    analysis.setChart(CHART, rendered({ rendered: new Map([['templates/destinationrule.yaml', shortHost]]), templates: new Map([['templates/destinationrule.yaml', template]]) }));
    assert.deepEqual(lines(analysis, TEMPLATE_URI), ['8 EGR402'], 'the short host resolves in egress, where the Service is');
    analysis.setChart(
      CHART,
      rendered({ namespace: 'default', rendered: new Map([['templates/destinationrule.yaml', shortHost]]), templates: new Map([['templates/destinationrule.yaml', template]]) }),
    );
    assert.ok(!lines(analysis, TEMPLATE_URI).includes('8 EGR402'), 'released into default, the short host names no Service of egress');
  });

  it('drops a template that rendered nothing from the lookups, and names helm’s blame where it put it', () => {
    const analysis = new Analysis();
    analysis.setFile(TEMPLATE_URI, TEMPLATE);
    analysis.setChart(CHART, rendered({ rendered: new Map() }));
    assert.deepEqual(lines(analysis, TEMPLATE_URI), [], 'switched off by the values: nothing to note or check');

    analysis.setChart(CHART, {
      status: 'failed',
      chart: CHART,
      problems: [{ uri: TEMPLATE_URI, range: { start: { line: 5, character: 8 }, end: { line: 5, character: 26 } }, message: 'helm template fails here: boom', severity: 'error' }],
    });
    assert.deepEqual(
      analysis.findings(TEMPLATE_URI).map((f) => `${f.range.start.line}:${f.range.start.character} ${f.code} ${f.severity}`),
      ['3:8 EGR005 info', '5:8 EGR008 error'],
    );
  });

  it('leads from a plain file to the template line that renders the definition', () => {
    const analysis = new Analysis();
    const service = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.name }}
  namespace: egress
spec:
  type: ExternalName
  externalName: en.wikipedia.org
`;
    const serviceUri = `${CHART}templates/service.yaml`;
    analysis.setFile(serviceUri, service);
    analysis.setChart(
      CHART,
      rendered({
        rendered: new Map([['templates/service.yaml', `# Source: payments/templates/service.yaml\n${service.replace('{{ .Values.name }}', 'my-wikipedia')}`]]),
        templates: new Map([['templates/service.yaml', service]]),
        values: [{ uri: VALUES_URI, text: 'name: my-wikipedia\n' }],
      }),
    );
    const rule = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\n  namespace: egress\nspec:\n  host: my-wikipedia\n';
    analysis.setFile(PLAIN_URI, rule);
    const targets = analysis.definitions(PLAIN_URI, { line: 6, character: 10 });
    assert.deepEqual(
      targets.map((t) => `${t.uri} ${t.range.start.line}`),
      [`${serviceUri} 3`],
    );
  });
});

describe('templateLine', () => {
  const template = 'spec:\n  hosts:\n  - {{ .Values.host }}\n  - {{ .Values.other }}.example\n  {{- include "labels" . | nindent 2 }}\n  host: {{ .Values.host | quote }}\n';
  const output = '# Source: c/templates/x.yaml\nspec:\n  hosts:\n  - api.partner.example\n  - b.example\n  host: "api.partner.example"\n';

  it('finds the line whose text around its actions matches the rendered line', () => {
    assert.equal(templateLine(output, template, 4), 3, '`- {{ .Values.other }}.example` fits better than `- {{ .Values.host }}`');
    assert.equal(templateLine(output, template, 5), 5, '`host: {{ … | quote }}`');
  });

  it('lines up equal candidates in order: the first list line for the first rendered item', () => {
    const twoLists = 'spec:\n  hosts:\n  - {{ .Values.a }}\n  - {{ .Values.b }}\n  {{- include "x" . }}\n';
    assert.equal(templateLine('spec:\n  hosts:\n  - a.example\n  - b.example\n', twoLists, 2), 2);
    assert.equal(templateLine('spec:\n  hosts:\n  - a.example\n  - b.example\n', twoLists, 3), 3);
  });

  it('finds the line in the template document that rendered the document, when the text repeats across documents', () => {
    const rule = (name: string): string =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: {{ .Release.Name }}-${name}\nspec:\n  host: ${name}.partner.example\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      insecureSkipVerify: {{ .Values.${name}.skipVerify }}\n`;
    const twoRules = `${rule('billing')}---\n${rule('shipping')}`;
    const out = (name: string, verify: string): string =>
      `---\n# Source: c/templates/drs.yaml\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: rel-${name}\nspec:\n  host: ${name}.partner.example\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      insecureSkipVerify: ${verify}\n`;
    const output = `${out('billing', 'false')}${out('shipping', 'true')}`;
    const shippingVerify = output.split('\n').lastIndexOf('      insecureSkipVerify: true');
    assert.equal(templateLine(output, twoRules, shippingVerify), 20, 'the second document’s insecureSkipVerify line');
  });

  it('puts a line that a line of actions alone produced (toYaml) on that line, not on a namesake key elsewhere', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  selector:\n    app: api\n  ports:\n    {{- toYaml .Values.ports | nindent 4 }}\n';
    const output =
      '# Source: c/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: rel-api\nspec:\n  selector:\n    app: api\n  ports:\n    - name: http\n      port: 80\n    - name: Admin_Port\n      port: 9000\n';
    assert.equal(templateLine(output, service, 11), 8);
  });

  it('narrows a whole list a line of actions alone copies (toYaml) to the item the finding is about, in values.yaml', () => {
    const analysis = new Analysis();
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  selector:\n    app: api\n  ports:\n    {{- toYaml .Values.ports | nindent 4 }}\n';
    const output =
      '# Source: payments/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: rel-api\nspec:\n  selector:\n    app: api\n  ports:\n    - name: http\n      port: 80\n    - name: Admin_Port\n      port: 9000\n';
    const uri = `${CHART}templates/service.yaml`;
    analysis.setFile(uri, service);
    analysis.setChart(
      CHART,
      rendered({
        rendered: new Map([['templates/service.yaml', output]]),
        templates: new Map([['templates/service.yaml', service]]),
        values: [{ uri: VALUES_URI, text: 'ports:\n- name: http\n  port: 80\n- name: Admin_Port\n  port: 9000\n' }],
      }),
    );
    assert.ok(lines(analysis, uri).includes('8 EGR104'), lines(analysis, uri).join(', '));
    assert.ok(lines(analysis, VALUES_URI).includes('3 EGR104'), lines(analysis, VALUES_URI).join(', '));
  });

  it('reports nothing a superseded template says as written, also in its documents without actions', () => {
    const analysis = new Analysis();
    // The second document has no action, but an if around it (on the lines of its neighbours) kept helm from rendering it.
    const template = `${TEMPLATE}---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: legacy\nspec:\n  host: legacy.partner.example\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      insecureSkipVerify: true\n`;
    analysis.setFile(TEMPLATE_URI, template);
    assert.ok(lines(analysis, TEMPLATE_URI).includes('19 EGR404'), 'as written, the plain document is checked');
    analysis.setChart(CHART, rendered({ templates: new Map([['templates/destinationrule.yaml', template]]) }));
    assert.deepEqual(lines(analysis, TEMPLATE_URI), ['5 EGR304'], 'rendered: only what the output holds (its host is unknown here)');
  });

  it('of if/else branches writing one key, picks the one whose value renders the line, and names only that value', () => {
    const analysis = new Analysis();
    const template =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: partner\nspec:\n  host: partner.example\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n{{- if .Values.strict }}\n      insecureSkipVerify: {{ .Values.prod.skipVerify }}\n{{- else }}\n      insecureSkipVerify: {{ .Values.lab.skipVerify }}\n{{- end }}\n      sni: partner.example\n';
    const output =
      '# Source: payments/templates/destinationrule.yaml\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: partner\nspec:\n  host: partner.example\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n      insecureSkipVerify: true\n      sni: partner.example\n';
    analysis.setFile(TEMPLATE_URI, template);
    analysis.setChart(
      CHART,
      rendered({
        rendered: new Map([['templates/destinationrule.yaml', output]]),
        templates: new Map([['templates/destinationrule.yaml', template]]),
        values: [{ uri: VALUES_URI, text: 'strict: false\nlab:\n  skipVerify: true\nprod:\n  skipVerify: false\n' }],
      }),
    );
    assert.ok(lines(analysis, TEMPLATE_URI).includes('12 EGR404'), lines(analysis, TEMPLATE_URI).join(', '));
    const warning = analysis.findings(TEMPLATE_URI).find((f) => f.code === 'EGR404');
    assert.match(String(warning?.message), /lab\.skipVerify = true/);
    assert.doesNotMatch(String(warning?.message), /prod\.skipVerify/);
    assert.deepEqual(lines(analysis, VALUES_URI), ['2 EGR404'], 'the copy on lab.skipVerify, not on prod.skipVerify = false');
  });

  it('reports nothing from the files a rendered chart never applies as they are (files/, tests/, ci/)', () => {
    const analysis = new Analysis();
    const data = `${CHART}files/bootstrap.yaml`;
    analysis.setFile(data, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  type: ExternalName\n  externalName: https://{{ .Values.host }}\n');
    assert.deepEqual(lines(analysis, data), ['3 EGR005']);
    analysis.setChart(CHART, rendered({ auxiliary: ['files/bootstrap.yaml'] }));
    assert.deepEqual(lines(analysis, data), []);
  });
});
