import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unrenderedLines, valuesTruth } from '../../server/src/analysis/render/renderedBlocks';

const VALUES: Record<string, string> = { 'gateway.enabled': ' false', ips: ' []', ports: '\n- 80\n- 443', 'tls.mode': ' SIMPLE', empty: ' ""' };
const truth = valuesTruth((path) => VALUES[path]);
const lines = (template: string): number[] => [...unrenderedLines(template, truth)].sort((a, b) => a - b);

describe('unrenderedLines: the template lines the values switch off', () => {
  it('leaves out an if whose value is false, and takes its else', () => {
    assert.deepEqual(lines('a: 1\n{{- if .Values.gateway.enabled }}\nb: 2\n{{- else }}\nc: 3\n{{- end }}\nd: 4\n'), [2, 3]);
  });

  it('leaves out a range over an empty list and a with of an empty string, not one over a list with items', () => {
    assert.deepEqual(
      lines('{{- range .Values.ips }}\n- {{ . }}\n{{- end }}\n{{- with .Values.empty }}\nx: {{ . }}\n{{- end }}\n{{- range $p := .Values.ports }}\n- {{ $p }}\n{{- end }}\n'),
      [1, 2, 4, 5],
    );
  });

  it('follows not, nesting and else if; leaves what the files do not settle (unset values, functions) as possible', () => {
    assert.deepEqual(lines('{{- if not .Values.tls.mode }}\na\n{{- else if .Values.gateway.enabled }}\nb\n{{- else }}\nc\n{{- end }}\n'), [1, 2, 3, 4]);
    assert.deepEqual(lines('{{- if .Values.unset }}\na\n{{- end }}\n{{- if eq .Values.tls.mode "SIMPLE" }}\nb\n{{- end }}\n'), []);
  });
});
