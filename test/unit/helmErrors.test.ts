import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helmProblem, lineRange, type HelmProblem } from '../../server/src/analysis/render/helmErrors';

/*
 * Every stderr below is what helm v4.1.4 (the pinned helm of test/harness/kubectl.ts) wrote for
 * `helm template rel <chart> --namespace ns` on a small broken chart named `demo`, byte for byte except where a comment
 * says a temp path was shortened. Each test names the chart's defect.
 */

/** stderr as helm writes it: every line ends with a line feed. */
const stderr = (...lines: string[]): string => lines.map((line) => `${line}\n`).join('');

/** The empty range at a 0-based position, which is what `helmProblem` returns. */
const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

const located = (file: string, line: number, character: number, message: string): HelmProblem => ({ file, range: at(line, character), message, missingDependencies: false });

const unlocated = (message: string): HelmProblem => ({ range: at(0, 0), message, missingDependencies: false });

const DEBUG_HINT = 'Use --debug flag to render out invalid YAML';

describe('helmProblem: template execution errors', () => {
  it('puts an include of an undefined template at its line and column (templates/egress.yaml line 6: `    {{- include "demo.labels" . | nindent 4 }}`)', () => {
    const text = stderr(
      'Error: demo/templates/egress.yaml:6:8',
      '  executing "demo/templates/egress.yaml" at <include "demo.labels" .>:',
      '    error calling include:',
      'template: no template "demo.labels" associated with template "gotpl"',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/egress.yaml', 5, 7, 'no template "demo.labels" associated with template "gotpl" (at <include "demo.labels" .>)'));
  });

  it('reads past helm v4 log lines before the error (a symbolic link in templates/)', () => {
    // The paths in the log line were /tmp/helmcases/c11/…; shortened.
    const text = stderr(
      'level=INFO msg="found symbolic link in path. Contents of linked file included and used" path=/charts/demo/templates/link.txt resolved=/charts/demo/values.yaml',
      'Error: demo/templates/egress.yaml:6:8',
      '  executing "demo/templates/egress.yaml" at <include "demo.labels" .>:',
      '    error calling include:',
      'template: no template "demo.labels" associated with template "gotpl"',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/egress.yaml', 5, 7, 'no template "demo.labels" associated with template "gotpl" (at <include "demo.labels" .>)'));
  });

  it('blames the helper that fails, not the template that includes it, and says where it was included from', () => {
    // templates/_helpers.tpl line 2 is `{{ .Values.a.b }}` inside define "demo.name"; templates/x.yaml line 4 includes it.
    const text = stderr(
      'Error: demo/templates/x.yaml:4:11',
      '  executing "demo/templates/x.yaml" at <include "demo.name" .>:',
      '    error calling include:',
      'demo/templates/_helpers.tpl:2:10',
      '  executing "demo.name" at <.Values.a.b>:',
      '    nil pointer evaluating interface {}.b',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/_helpers.tpl', 1, 9, 'nil pointer evaluating interface {}.b (at <.Values.a.b>, included from templates/x.yaml line 4)'));
  });

  it('reads the single-line form helm still uses for errors inside tpl, and skips the tpl string (gotpl) as a file', () => {
    const text = stderr(
      'Error: template: demo/templates/x.yaml:4:11: executing "demo/templates/x.yaml" at <tpl .Values.tplx .>: error calling tpl: error during tpl function execution for "{{ .Values.nope.x }}": template: gotpl:1:10: executing "gotpl" at <.Values.nope.x>: nil pointer evaluating interface {}.x',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 3, 10, 'nil pointer evaluating interface {}.x (at <.Values.nope.x>)'));
  });

  it('puts a wrong argument type at the function', () => {
    const text = stderr('Error: demo/templates/x.yaml:4:23', '  executing "demo/templates/x.yaml" at <upper>:', '    wrong type for value; expected string; got float64', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 3, 22, 'wrong type for value; expected string; got float64 (at <upper>)'));
  });
});

describe('helmProblem: required and fail', () => {
  it('keeps the message of a failing required at its line and column', () => {
    // templates/x.yaml line 6: `  host: {{ required "partner.host is required" .Values.partner.host }}`, with `partner: {}` in values.yaml.
    const text = stderr('Error: execution error at (demo/templates/x.yaml:6:11): partner.host is required', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 5, 10, 'partner.host is required'));
  });

  it('reports a nil map under required as a nil pointer, not the required message', () => {
    // The same template without `partner:` in values.yaml: .Values.partner.host fails before required runs.
    const text = stderr(
      'Error: demo/templates/x.yaml:6:54',
      '  executing "demo/templates/x.yaml" at <.Values.partner.host>:',
      '    nil pointer evaluating interface {}.host',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 5, 53, 'nil pointer evaluating interface {}.host (at <.Values.partner.host>)'));
  });

  it('keeps the message of fail, past a deprecation warning', () => {
    const text = stderr('level=WARN msg="this chart is deprecated"', 'Error: execution error at (demo/templates/x.yaml:1:6): boom', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 0, 5, 'boom'));
  });

  it('puts fail at its own line', () => {
    // templates/x.yaml line 4: `{{- fail "set partner in values" }}`.
    const text = stderr('Error: execution error at (demo/templates/x.yaml:4:4): set partner in values', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 3, 3, 'set partner in values'));
  });
});

describe('helmProblem: template parse errors', () => {
  it('puts {{ end }} without an if at its line (no column from helm)', () => {
    const text = stderr('Error: parse error at (demo/templates/x.yaml:7): unexpected {{end}}', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 6, 0, 'template parse error: unexpected {{end}}'));
  });

  it('puts an unclosed action where helm gives up: the next line, read as more of the action', () => {
    // templates/x.yaml line 6: `  a: {{ .Values.x ` and line 7: `  b: c`; helm blames line 7.
    const text = stderr('Error: parse error at (demo/templates/x.yaml:7): function "b" not defined', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/x.yaml', 6, 0, 'template parse error: function "b" not defined'));
  });

  it('reads a parse error in _helpers.tpl', () => {
    const text = stderr('Error: parse error at (demo/templates/_helpers.tpl:2): missing value for if', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('templates/_helpers.tpl', 1, 0, 'template parse error: missing value for if'));
  });
});

describe('helmProblem: rendered output that is not YAML', () => {
  it('puts it at the start of the template, since helm counts lines of the rendered output', () => {
    const text = stderr('Error: YAML parse error on demo/templates/x.yaml: error converting YAML to JSON: yaml: line 6: did not find expected key', '', DEBUG_HINT);
    assert.deepEqual(
      helmProblem(text, 'demo'),
      located('templates/x.yaml', 0, 0, 'the template does not render valid YAML: did not find expected key (line 6 of the rendered output, not of the template)'),
    );
  });

  it('does the same for a tab in the output', () => {
    const text = stderr('Error: YAML parse error on demo/templates/x.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token', '', DEBUG_HINT);
    assert.deepEqual(
      helmProblem(text, 'demo'),
      located('templates/x.yaml', 0, 0, 'the template does not render valid YAML: found character that cannot start any token (line 4 of the rendered output, not of the template)'),
    );
  });
});

describe('helmProblem: chart files that are not valid', () => {
  it("puts invalid values.yaml at the line helm names, which is the file's own", () => {
    // values.yaml: `a: 1`, `b:`, `  c: 2`, ` d: 3`; go-yaml names line 3, the line before the bad indentation.
    const text = stderr('Error: cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 3: did not find expected key');
    assert.deepEqual(helmProblem(text, 'demo'), located('values.yaml', 2, 0, 'not valid YAML: did not find expected key'));
  });

  it('puts invalid Chart.yaml at its line', () => {
    const text = stderr('Error: cannot load Chart.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context');
    assert.deepEqual(helmProblem(text, 'demo'), located('Chart.yaml', 3, 0, 'not valid YAML: mapping values are not allowed in this context'));
  });

  it('puts a missing Chart.yaml field on Chart.yaml', () => {
    assert.deepEqual(helmProblem(stderr('Error: validation: chart.metadata.version is required'), 'demo'), located('Chart.yaml', 0, 0, 'chart.metadata.version is required'));
  });

  it('leaves a schema violation without a file (the values may come from --values) and joins its list into one line', () => {
    const text = stderr(
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
      'demo:',
      "- at '': missing property 'partner'",
      "- at '/x': got number, want string",
      '',
    );
    assert.deepEqual(
      helmProblem(text, 'demo'),
      unlocated("values don't meet the specifications of the schema(s) in the following chart(s): demo: at '': missing property 'partner'; at '/x': got number, want string"),
    );
  });

  it('leaves a kubeVersion mismatch without a file', () => {
    const text = stderr('Error: chart requires kubeVersion: >=99.0.0 which is incompatible with Kubernetes v1.35.0', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), unlocated('chart requires kubeVersion: >=99.0.0 which is incompatible with Kubernetes v1.35.0'));
  });
});

describe('helmProblem: missing dependencies', () => {
  it('says so, on Chart.yaml, with the missing names', () => {
    const text = stderr(
      'Error: an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: sub',
    );
    assert.deepEqual(helmProblem(text, 'demo'), {
      file: 'Chart.yaml',
      range: at(0, 0),
      message: "the chart's dependencies are not in its charts/ folder: sub; run `helm dependency build` to fetch them",
      missingDependencies: true,
    });
  });

  it('lists several', () => {
    const text = stderr(
      'Error: an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: sub, other',
    );
    const problem = helmProblem(text, 'demo');
    assert.equal(problem.missingDependencies, true);
    assert.equal(problem.message, "the chart's dependencies are not in its charts/ folder: sub, other; run `helm dependency build` to fetch them");
  });

  it('is false for other errors', () => {
    assert.equal(helmProblem(stderr('Error: validation: chart.metadata.version is required'), 'demo').missingDependencies, false);
  });
});

describe('helmProblem: subcharts', () => {
  it('keeps charts/<sub>/ in the path of a subchart template', () => {
    const text = stderr(
      'Error: demo/charts/sub/templates/x.yaml:6:8',
      '  executing "demo/charts/sub/templates/x.yaml" at <include "sub.labels" .>:',
      '    error calling include:',
      'template: no template "sub.labels" associated with template "gotpl"',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(text, 'demo'), located('charts/sub/templates/x.yaml', 5, 7, 'no template "sub.labels" associated with template "gotpl" (at <include "sub.labels" .>)'));
  });

  it('reads parse errors and rendered-YAML errors of a subchart', () => {
    const parse = stderr('Error: parse error at (demo/charts/sub/templates/x.yaml:3): unexpected {{end}}', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(parse, 'demo'), located('charts/sub/templates/x.yaml', 2, 0, 'template parse error: unexpected {{end}}'));
    const yaml = stderr(
      'Error: YAML parse error on demo/charts/sub/templates/x.yaml: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context',
      '',
      DEBUG_HINT,
    );
    assert.deepEqual(helmProblem(yaml, 'demo').file, 'charts/sub/templates/x.yaml');
  });

  it('names subcharts by chart name: a subchart `deep` inside `sub` (folder charts/subdir) is charts/sub/charts/deep', () => {
    const text = stderr('Error: execution error at (demo/charts/sub/charts/deep/templates/x.yaml:1:6): deep fail', '', DEBUG_HINT);
    assert.deepEqual(helmProblem(text, 'demo'), located('charts/sub/charts/deep/templates/x.yaml', 0, 5, 'deep fail'));
  });

  it("follows 'error unpacking subchart' to the subchart's values.yaml, Chart.yaml and metadata", () => {
    const values = stderr(
      'Error: error unpacking subchart sub in demo: error unpacking subchart deep in sub: cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: did not find expected key',
    );
    assert.deepEqual(helmProblem(values, 'demo'), located('charts/sub/charts/deep/values.yaml', 1, 0, 'not valid YAML: did not find expected key'));
    const chart = stderr('Error: error unpacking subchart sub in demo: cannot load Chart.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context');
    assert.deepEqual(helmProblem(chart, 'demo'), located('charts/sub/Chart.yaml', 3, 0, 'not valid YAML: mapping values are not allowed in this context'));
    const metadata = stderr('Error: error unpacking subchart sub in demo: validation: chart.metadata.version is required');
    assert.deepEqual(helmProblem(metadata, 'demo'), located('charts/sub/Chart.yaml', 0, 0, 'chart.metadata.version is required'));
  });
});

describe('helmProblem: chart name', () => {
  const text = stderr('Error: execution error at (demo/templates/x.yaml:6:11): partner.host is required', '', DEBUG_HINT);

  it('still finds templates/ when chartName is stale (Chart.yaml being edited)', () => {
    assert.equal(helmProblem(text, 'renamed').file, 'templates/x.yaml');
  });

  it('does not take a path outside templates/ or charts/ of another chart as a chart file', () => {
    // Not helm output: the shape of a real execution error with a path that is neither this chart's nor inside templates/ or charts/.
    const other = stderr('Error: execution error at (other/values.yaml:6:11): boom');
    assert.deepEqual(helmProblem(other, 'demo'), unlocated('boom'));
  });
});

describe('helmProblem: no location', () => {
  it('says helm template failed when stderr is empty or blank', () => {
    assert.deepEqual(helmProblem('', 'demo'), unlocated('helm template failed'));
    assert.deepEqual(helmProblem('\n  \n', 'demo'), unlocated('helm template failed'));
  });

  it("keeps helm's own line when it names no chart file", () => {
    assert.deepEqual(helmProblem(stderr('Error: unknown flag: --bogus'), 'demo'), unlocated('unknown flag: --bogus'));
    assert.deepEqual(helmProblem(stderr('Error: path "./nonexistent" not found'), 'demo'), unlocated('path "./nonexistent" not found'));
    const usage = stderr('Error: "helm template" requires at least 1 argument', '', 'Usage:  helm template [NAME] [CHART] [flags]');
    assert.deepEqual(helmProblem(usage, 'demo'), unlocated('"helm template" requires at least 1 argument'));
  });

  it('does not take a --values file outside the chart for a chart file', () => {
    const text = stderr('Error: failed to parse ./extra-values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected node content');
    assert.deepEqual(
      helmProblem(text, 'demo'),
      unlocated('failed to parse ./extra-values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected node content'),
    );
  });

  it('uses the first line that is not a warning when there is no Error: line', () => {
    // Not helm output (helm always writes Error:): what stderr may hold when helm is killed or replaced by a wrapper.
    assert.deepEqual(helmProblem('level=WARN msg="this chart is deprecated"\nsignal: killed\nmore\n', 'demo'), unlocated('signal: killed'));
    assert.deepEqual(helmProblem('level=WARN msg="this chart is deprecated"\n', 'demo'), unlocated('level=WARN msg="this chart is deprecated"'));
  });
});

describe('lineRange', () => {
  const text = 'apiVersion: v1\r\nkind: ConfigMap\n  labels:\n    {{- include "demo.labels" . | nindent 4 }}\n\n';

  it('runs from the first non-blank character to the end of the line', () => {
    assert.deepEqual(lineRange(text, 2), { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
    assert.deepEqual(lineRange(text, 0), { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
  });

  it('runs from a given character (a column from helm) to the end of the line', () => {
    assert.deepEqual(lineRange(text, 3, 7), { start: { line: 3, character: 7 }, end: { line: 3, character: 46 } });
  });

  it('clamps the line to the file and the character to the line', () => {
    assert.deepEqual(lineRange(text, 99), { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } });
    assert.deepEqual(lineRange(text, -3), { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
    assert.deepEqual(lineRange(text, 1, 99), { start: { line: 1, character: 15 }, end: { line: 1, character: 15 } });
    assert.deepEqual(lineRange('', 4, 2), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('widens a helmProblem position to the blamed line', () => {
    const problem = helmProblem(stderr('Error: parse error at (demo/templates/x.yaml:3): unexpected {{end}}'), 'demo');
    assert.deepEqual(lineRange(text, problem.range.start.line), { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } });
  });
});
