import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_CONFIG } from '../../server/src/analysis/config/projectConfig';
import { Analysis } from '../../server/src/analysis/engine/analysis';
import { range } from '../../server/src/analysis/text';
import { WIKIPEDIA_SEED, wikipediaDestinationRule, WIKIPEDIA_ENDPOINTS, WIKIPEDIA_SERVICE } from '../support/seedManifests';

const URI = 'file:///repo/egress/wikipedia.yaml';
/** The seed's selector-less Service with ISTIO_MUTUAL toward its hand-written Endpoints: EGR402, an error. */
const MUTUAL = [WIKIPEDIA_SERVICE, WIKIPEDIA_ENDPOINTS, wikipediaDestinationRule({ tlsMode: 'ISTIO_MUTUAL' })].join('---\n');

function analysisOf(text: string): Analysis {
  const analysis = new Analysis();
  analysis.setFile(URI, text);
  return analysis;
}

const codes = (analysis: Analysis, request?: Parameters<Analysis['findings']>[1]): string[] => analysis.findings(URI, request).map((f) => `${f.code} ${f.severity}`);

describe('Analysis, the one entry the server, the CLI and the tests use', () => {
  it("applies the file's project settings to its findings: disabled rules, severities, ignored paths", () => {
    const analysis = analysisOf(MUTUAL);
    assert.deepEqual(codes(analysis), ['EGR402 error']);
    assert.deepEqual(codes(analysis, { config: { config: { ...EMPTY_CONFIG, severity: { EGR402: 'warning' } } } }), ['EGR402 warning']);
    assert.deepEqual(codes(analysis, { config: { config: { ...EMPTY_CONFIG, disable: ['EGR402'] } } }), []);
    assert.deepEqual(codes(analysis, { disabled: ['egr402'] }), [], 'the CLI names codes in any case');
    assert.deepEqual(codes(analysis, { config: { config: { ...EMPTY_CONFIG, ignore: ['egress/**'] }, path: 'egress/wikipedia.yaml' } }), []);
    assert.deepEqual(codes(analysis, { config: { config: { ...EMPTY_CONFIG, ignore: ['other/**'] }, path: 'egress/wikipedia.yaml' } }), ['EGR402 error']);
  });

  it("offers the rule's fix first, then one suppression comment per code and line", () => {
    const analysis = analysisOf(MUTUAL);
    const findings = analysis.findings(URI);
    const fixes = analysis.quickFixes([...findings, ...findings], MUTUAL);
    const titles = fixes.map((f) => f.fix.title);
    assert.ok(titles[0]?.includes('DISABLE'), titles.join(' | '));
    const suppressions = titles.filter((t) => t.includes('EGR402') && /suppress|disable|ignore/i.test(t));
    assert.ok(suppressions.length >= 1, titles.join(' | '));
    assert.equal(new Set(suppressions).size, suppressions.length, 'each suppression once, though the finding came twice');
  });

  it('refactors a Service under the range, reading the workspace only when there is one', () => {
    const analysis = analysisOf(WIKIPEDIA_SEED);
    let lookups = 0;
    const onService = analysis.refactorings(URI, range(1, 0, 1, 0), () => lookups++);
    assert.equal(onService.length, 1);
    assert.match(onService[0]?.title ?? '', /ServiceEntry/);
    assert.ok(onService[0]?.edits.every((e) => e.uri === URI));
    assert.equal(lookups, 1);
    const endpointsLine = WIKIPEDIA_SERVICE.split('\n').length + 1;
    assert.deepEqual(
      analysis.refactorings(URI, range(endpointsLine, 0, endpointsLine, 0), () => lookups++),
      [],
    );
    assert.equal(lookups, 1, 'no Service under the range: the workspace is not read');
  });

  it('renames a deprecated consecutiveErrors with the quick fix, keeping what Istio does with it', () => {
    const text =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r.example.com\n  trafficPolicy:\n    outlierDetection:\n      consecutiveErrors: 5\n';
    const analysis = analysisOf(text);
    const findings = analysis.findings(URI).filter((f) => f.code === 'EGR415');
    assert.equal(findings.length, 1);
    const [fix] = analysis.quickFixes(findings, text);
    assert.equal(fix?.fix.title, 'Rename to consecutiveGatewayErrors (same behaviour)');
    assert.deepEqual(
      fix?.fix.edits.map((e) => [e.range.start.line, e.newText]),
      [[8, 'consecutiveGatewayErrors']],
    );
  });

  it("completes a route's destination port with the ports its Service exposes", () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector: {app: reviews}\n  ports:\n  - name: http\n    port: 9080\n  - name: grpc\n    port: 9090\n',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        port:\n          number: \n',
    ].join('---\n');
    const analysis = analysisOf(text);
    const line = text.split('\n').findIndex((l) => l.trim() === 'number:');
    const found = analysis.completionsAt(URI, { line, character: '          number: '.length });
    assert.deepEqual(
      found?.suggestions.map((s) => s.label),
      ['9080', '9090'],
    );
  });

  it('answers completion and hover at a position with what the workspace knows', () => {
    const analysis = analysisOf(MUTUAL);
    const modeLine = MUTUAL.split('\n').findIndex((l) => l.includes('mode: ISTIO_MUTUAL'));
    const at = { line: modeLine, character: MUTUAL.split('\n')[modeLine]?.indexOf('ISTIO') ?? 0 };
    const completions = analysis.completionsAt(URI, at);
    assert.ok(completions?.suggestions.some((s) => s.label === 'DISABLE'));
    const hostLine = MUTUAL.split('\n').findIndex((l) => l.includes('host: my-wikipedia'));
    const hover = analysis.hoverAt(URI, { line: hostLine, character: 10 });
    assert.ok(hover?.facts?.markdown.includes('my-wikipedia'), hover?.facts?.markdown);
    assert.equal(analysis.completionsAt('file:///not-open.yaml', at), undefined);
  });
});
