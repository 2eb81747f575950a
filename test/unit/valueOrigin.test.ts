import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valueOrigins, valuePathsIn, type ValueOrigin, type ValuesFile } from '../../server/src/analysis/render/valueOrigin';
import { range } from '../../server/src/analysis/text';

const CHART_VALUES: ValuesFile = {
  uri: 'file:///chart/values.yaml',
  text: [
    'partner:',
    '  host: api.partner.example   # the default',
    '  port: 443',
    '  tls:',
    '    mode: SIMPLE',
    '  hosts:',
    '    - a.example',
    '    - b.example',
    '  # a comment after the list',
    '  empty: {}',
    'mode: plain',
    '',
  ].join('\n'),
};

const PROD_VALUES: ValuesFile = { uri: 'file:///work/prod.yaml', text: 'partner:\n  host: "api.prod.example"\n' };

const values = (name: string, text: string): ValuesFile => ({ uri: `file:///work/${name}`, text });
const fileName = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

describe('valuePathsIn', () => {
  const cases: [string, string[]][] = [
    ['  host: {{ .Values.partner.host }}', ['partner.host']],
    ['  host: {{ .Values.partner.host | quote }}', ['partner.host']],
    ['  host: {{- .Values.partner.host | lower | quote -}}', ['partner.host']],
    ['  host: {{ default "egress.example" .Values.partner.host }}', ['partner.host']],
    ['  host: {{ $.Values.partner.host }}', ['partner.host']],
    ['  host: {{ index .Values "partner" "host" }}', ['partner.host']],
    ['  mode: {{ index .Values.partner "tls" "mode" | quote }}', ['partner.tls.mode']],
    ['  mode: {{ (index .Values `partner` "tls") | toYaml }}', ['partner.tls']],
    ['  host: {{ index .Values "partner" $key }}', ['partner']],
    ['  host: {{ index .Values "partner.host" }}', []],
    ['  - {{ .Values.a }}:{{ .Values.b }} {{ .Values.a }}', ['a', 'b']],
    ['  {{ if and .Values.x.enabled .Values.y }}{{ .Values.x.enabled }}{{ end }}', ['x.enabled', 'y']],
    ['# .Values.before {{ .Values.inside }} .Values.after', ['inside']],
    ['  host: {{ default "}} .Values.inString" .Values.real }}', ['real']],
    ['  {{/* .Values.commented */}}{{ .Values.real }}', ['real']],
    ['  {{- /* .Values.commented */ -}}', []],
    ['  {{- if and .Values.first', ['first']],
    ['  {{- with .Values.partner }}{{ .host }}{{ end }}', ['partner']],
    ['  {{ $p := .Values.partner }}{{ $p.host }}{{ $x.Values.other }}', ['partner']],
    ['  {{ toYaml .Values | nindent 2 }}', []],
    ['  {{ .ValuesOther.a }} {{ .Release.Name }}', []],
    ['  host: .Values.partner.host', []],
  ];
  for (const [line, expected] of cases) {
    it(`${line.trim()} → ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(valuePathsIn(line), expected);
    });
  }
});

describe('valueOrigins', () => {
  it('finds a value set in the chart values.yaml, its range running from the key to the value (comment left out)', () => {
    assert.deepEqual(valueOrigins(['partner.host'], [CHART_VALUES]), [
      { path: 'partner.host', uri: CHART_VALUES.uri, range: range(1, 2, 1, 27), value: 'api.partner.example' },
    ] satisfies ValueOrigin[]);
  });

  it('lets a later values file win over an earlier one and over the chart values.yaml, path by path', () => {
    assert.deepEqual(valueOrigins(['partner.host', 'partner.port'], [CHART_VALUES, PROD_VALUES]), [
      { path: 'partner.host', uri: PROD_VALUES.uri, range: range(1, 2, 1, 26), value: '"api.prod.example"' },
      { path: 'partner.port', uri: CHART_VALUES.uri, range: range(2, 2, 2, 11), value: '443' },
    ]);
    const [reversed] = valueOrigins(['partner.host'], [PROD_VALUES, CHART_VALUES]);
    assert.equal(reversed?.uri, CHART_VALUES.uri);
  });

  it('walks nested maps, and shows a map or a list without its contents', () => {
    assert.deepEqual(valueOrigins(['partner.tls.mode', 'partner.tls', 'partner.hosts'], [CHART_VALUES]), [
      { path: 'partner.tls.mode', uri: CHART_VALUES.uri, range: range(4, 4, 4, 16), value: 'SIMPLE' },
      { path: 'partner.tls', uri: CHART_VALUES.uri, range: range(3, 2, 4, 16), value: '{…}' },
      // The list ends with its last item, not at the comment line after it.
      { path: 'partner.hosts', uri: CHART_VALUES.uri, range: range(5, 2, 7, 15), value: '[…]' },
    ]);
  });

  it('reports a scalar prefix of a path read deeper than the file goes, under the prefix', () => {
    assert.deepEqual(valueOrigins(['mode.tls.extra', 'partner.port.number'], [CHART_VALUES]), [
      { path: 'mode', uri: CHART_VALUES.uri, range: range(10, 0, 10, 11), value: 'plain' },
      { path: 'partner.port', uri: CHART_VALUES.uri, range: range(2, 2, 2, 11), value: '443' },
    ]);
  });

  it('leaves out paths set nowhere, under a map without the key or under a list', () => {
    assert.deepEqual(valueOrigins(['nothing.here', 'partner.missing', 'partner.empty.host', 'partner.hosts.first'], [CHART_VALUES, PROD_VALUES]), []);
  });

  it('lets a later scalar replace an earlier map, and a later map replace an earlier scalar, as helm merges', () => {
    const disabled = values('off.yaml', 'partner: disabled\n');
    assert.deepEqual(valueOrigins(['partner.host'], [CHART_VALUES, disabled]), [{ path: 'partner', uri: disabled.uri, range: range(0, 0, 0, 17), value: 'disabled' }]);
    const [restored] = valueOrigins(['partner.host'], [disabled, PROD_VALUES]);
    assert.equal(restored?.uri, PROD_VALUES.uri);
    assert.equal(restored?.path, 'partner.host');
  });

  it('takes nothing from a values file that does not parse, whose root is not a map, or that is empty', () => {
    const broken = values('broken.yaml', 'partner:\n  host: [unclosed\n');
    const list = values('list.yaml', '- partner\n- host\n');
    const empty = values('empty.yaml', '');
    const [origin] = valueOrigins(['partner.host'], [CHART_VALUES, broken, list, empty]);
    assert.equal(origin?.uri, CHART_VALUES.uri);
    assert.deepEqual(valueOrigins(['partner.host', 'partner'], [broken, list, empty]), []);
  });

  it('reads only the first document, as helm does', () => {
    const twoDocs = values('two.yaml', 'partner:\n  host: first.example\n---\npartner:\n  host: [unclosed\n');
    assert.deepEqual(valueOrigins(['partner.host'], [twoDocs]), [{ path: 'partner.host', uri: twoDocs.uri, range: range(1, 2, 1, 21), value: 'first.example' }]);
  });

  it('does not take a key with a dot in it for a path', () => {
    assert.deepEqual(valueOrigins(['partner.host'], [values('dotted.yaml', '"partner.host": x\n')]), []);
  });

  it('follows aliases and merge keys to the value, and takes the last of duplicate keys', () => {
    const file = values(
      'anchors.yaml',
      ['defaults: &defaults', '  host: shared.example', 'partner:', '  <<: *defaults', '  port: 8443', 'name: &n anchored', 'alias: *n', 'dup: 1', 'dup: 2', ''].join('\n'),
    );
    assert.deepEqual(valueOrigins(['partner.host', 'partner.port', 'alias', 'dup'], [file]), [
      { path: 'partner.host', uri: file.uri, range: range(1, 2, 1, 22), value: 'shared.example' },
      { path: 'partner.port', uri: file.uri, range: range(4, 2, 4, 12), value: '8443' },
      { path: 'alias', uri: file.uri, range: range(6, 0, 6, 9), value: 'anchored' },
      { path: 'dup', uri: file.uri, range: range(8, 0, 8, 6), value: '2' },
    ]);
  });

  it('shows a block scalar on one line, an empty value as null, and shortens a long value to 60 characters', () => {
    const long = 'x'.repeat(100);
    const file = values('shapes.yaml', `note: |\r\n  line one\r\n  line two\r\nhost:\r\nlong: ${long}\r\n`);
    assert.deepEqual(valueOrigins(['note', 'host', 'long'], [file]), [
      { path: 'note', uri: file.uri, range: range(0, 0, 2, 10), value: '| line one line two' },
      { path: 'host', uri: file.uri, range: range(3, 0, 3, 5), value: 'null' },
      { path: 'long', uri: file.uri, range: range(4, 0, 4, 106), value: `${'x'.repeat(59)}…` },
    ]);
  });

  it('places the finding of a template line on the values that line reads', () => {
    const paths = valuePathsIn('  host: {{ .Values.partner.host | default .Values.fallback | quote }}');
    assert.deepEqual(paths, ['partner.host', 'fallback']);
    assert.deepEqual(
      valueOrigins(paths, [CHART_VALUES, PROD_VALUES]).map((o) => `${o.path}@${fileName(o.uri)}`),
      ['partner.host@prod.yaml'],
    );
  });
});
