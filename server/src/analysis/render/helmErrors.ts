/**
 * Reading why `helm template` failed (pure; running helm is `cli/helmRunner.ts`). Helm's stderr names the chart file
 * and line that broke the render; this turns it into one located problem, so the editor can show one diagnostic there
 * instead of nothing. The shapes handled are the ones helm v4 writes (and v3's single-line form of template errors):
 *
 * - `Error: demo/templates/x.yaml:6:8\n  executing "demo/templates/x.yaml" at <include "demo.labels" .>:\n …` (template execution, nested for includes)
 * - `Error: execution error at (demo/templates/x.yaml:6:11): partner.host is required` (`required`, `fail`)
 * - `Error: parse error at (demo/templates/x.yaml:7): unexpected {{end}}` (template syntax)
 * - `Error: YAML parse error on demo/templates/x.yaml: … yaml: line 6: …` (the rendered output is not YAML)
 * - `Error: [error unpacking subchart sub in demo: ]cannot load values.yaml: … yaml: line 3: …` (chart files that are not YAML)
 * - `Error: an error occurred while checking for chart dependencies. …` (dependencies not in `charts/`)
 */
import type { Position, Range } from '../text';
import { lineBreakAfter } from '../text';

export interface HelmProblem {
  /**
   * The chart file helm blames, as a path inside the chart (`templates/egress.yaml`, `values.yaml`, `Chart.yaml`,
   * `charts/sub/templates/x.yaml`); undefined when helm names no file. Helm names subcharts by their chart `name:`,
   * so `charts/<name>/…` matches the folder only when the subchart's folder is named like the chart.
   */
  readonly file?: string;
  /**
   * 0-based. Only a position, since helm gives no extent and this module has no file text: start and end are the same
   * position (character 0 when helm gives only a line, line 0 character 0 when it gives no line of the file). Widen it
   * with `lineRange` once the blamed file's text is at hand.
   */
  readonly range: Range;
  /** Helm's reason in one readable sentence, without the `Error: ` prefix and without repeating the file path noise. */
  readonly message: string;
  /** True when helm says the chart's dependencies are missing (`helm dependency build` needed; nothing is fetched). */
  readonly missingDependencies: boolean;
}

/** What to say when stderr says nothing (helm killed, or writing nothing before exiting non-zero). */
const NO_REASON = 'helm template failed';

/**
 * Where helm blames, as a problem, from helm's stderr. `chartName` is the `name:` of the chart's Chart.yaml: helm
 * prefixes template paths with it (`demo/templates/egress.yaml`), and that prefix is dropped so `file` is inside the
 * chart folder. Never throws: what it cannot read becomes a problem without a file, with helm's own words.
 */
export function helmProblem(stderr: string, chartName: string): HelmProblem {
  const error = errorText(stderr);
  if (error === undefined) return unlocated(NO_REASON);
  for (const read of READERS) {
    const problem = read(error, chartName);
    if (problem) return problem;
  }
  return unlocated(error);
}

/**
 * The range of line `line` of `text` from `character` (or, without one, from the line's first non-blank character) to
 * the line's end: what an editor underlines for a `HelmProblem`, which has only a position. The line is clamped to the
 * text's lines and the character to the line, so a stale position still lands on the file.
 */
export function lineRange(text: string, line: number, character?: number): Range {
  const lines = lineTexts(text);
  const lineNumber = Math.max(0, Math.min(Math.trunc(line), lines.length - 1));
  const content = lines[lineNumber] ?? '';
  const firstNonBlank = content.search(/\S/);
  const wanted = character ?? (firstNonBlank === -1 ? 0 : firstNonBlank);
  const start = Math.max(0, Math.min(Math.trunc(wanted), content.length));
  return { start: { line: lineNumber, character: start }, end: { line: lineNumber, character: content.length } };
}

/** The lines of a text without their breaks, broken where the editor breaks them (`\r\n`, `\r` or `\n`). */
function lineTexts(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let brk = lineBreakAfter(text, from); brk; brk = lineBreakAfter(text, from)) {
    lines.push(text.slice(from, brk.end));
    from = brk.next;
  }
  lines.push(text.slice(from));
  return lines;
}

// ---- Finding the error in stderr ----

/**
 * Lines that are not the error: helm v4's structured log lines (`level=WARN msg="this chart is deprecated"`,
 * `level=INFO msg="found symbolic link in path…"`), v3's `WARNING:` lines and Go `log` lines (`walk.go:74: found
 * symbolic link…`), and the closing hint about `--debug`.
 */
const NOT_THE_ERROR = /^(?:level=\w+\s|WARNING:|[\w-]+\.go:\d+:|Use --debug flag)/;

/**
 * The error helm reports, flattened to one line, without `Error: `: from the `Error:` line to the blank line or the
 * `--debug` hint after it, since helm v4 spreads a template error over several indented lines (joined, they read like
 * v3's single line). Without an `Error:` line, the first line that is not a warning, or else the first line.
 */
function errorText(stderr: string): string | undefined {
  const lines = stderr.split(/\r\n|\r|\n/).map((l) => l.trim());
  const errorLine = lines.findIndex((l) => /^Error:/.test(l));
  if (errorLine === -1) return lines.find((l) => l !== '' && !NOT_THE_ERROR.test(l)) ?? lines.find((l) => l !== '');
  const block: string[] = [];
  for (const line of lines.slice(errorLine)) {
    if (line === '' || (block.length > 0 && NOT_THE_ERROR.test(line))) break;
    block.push(line);
  }
  const text = joinLines(block).replace(/^Error:\s*/, '');
  return text === '' ? undefined : text;
}

/** One line from several: list items (`- at '': missing property 'partner'`, in schema errors) become `; `-separated. */
function joinLines(lines: readonly string[]): string {
  return lines.reduce((joined, line) => {
    if (joined === '') return line;
    const item = line.startsWith('- ') ? line.slice(2) : undefined;
    if (item === undefined) return `${joined} ${line}`;
    return joined.endsWith(':') ? `${joined} ${item}` : `${joined}; ${item}`;
  }, '');
}

// ---- Reading each kind of error ----

type Reader = (error: string, chartName: string) => HelmProblem | undefined;

/** The kinds of error, most specific first; the first that recognizes the error locates it. */
const READERS: readonly Reader[] = [missingDependencies, templateExecution, executionError, parseError, renderedNotYaml, chartFileNotYaml, invalidChartMetadata];

/** `an error occurred while checking for chart dependencies. You may need to run … found in Chart.yaml, but missing in charts/ directory: sub, other` */
function missingDependencies(error: string): HelmProblem | undefined {
  const missing = /missing in charts\/ directory: (.+)$/.exec(error);
  if (!missing && !/helm dep(?:endency)? (?:build|update)/.test(error)) return undefined;
  const names = missing ? `: ${missing[1]}` : '';
  return {
    file: 'Chart.yaml',
    range: at(0, 0),
    message: `the chart's dependencies are not in its charts/ folder${names}; run \`helm dependency build\` to fetch them`,
    missingDependencies: true,
  };
}

/** One `path:line:col executing "name" at <action>:` step of a template error; includes and `tpl` nest them. */
interface ExecutionFrame {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly action: string;
}

/**
 * A frame, v4 (`demo/templates/x.yaml:6:8 executing …`, once flattened) or v3 (`template: demo/templates/x.yaml:6:8:
 * executing …`). A frame starts the error or follows `: ` (`error calling include: demo/templates/_helpers.tpl:2:10 …`).
 */
const FRAME = /(?:^|: )(?:template: )?([^:]+?):(\d+):(\d+):? executing "(?:[^"\\]|\\.)*" at <(.*?)>: /g;

/**
 * A failure while executing a template: blamed on the innermost frame in a chart file (where the failing action is,
 * a helper in `_helpers.tpl` rather than the template including it); the message keeps the innermost action and,
 * when that is not the outermost frame, where it was included from.
 */
function templateExecution(error: string, chartName: string): HelmProblem | undefined {
  const frames: ExecutionFrame[] = [];
  let reasonStart = 0;
  for (const match of error.matchAll(FRAME)) {
    frames.push({ path: match[1], line: Number(match[2]), column: Number(match[3]), action: match[4] });
    reasonStart = match.index + match[0].length;
  }
  const inChart = frames.flatMap((frame) => {
    const file = chartFile(frame.path, chartName);
    return file === undefined ? [] : [{ frame, file }];
  });
  const blamed = inChart.at(-1);
  const innermost = frames.at(-1);
  if (!blamed || !innermost) return undefined;
  const outermost = inChart[0];
  const includedFrom = outermost && outermost.frame !== blamed.frame ? `, included from ${outermost.file} line ${outermost.frame.line}` : '';
  return {
    file: blamed.file,
    range: at(blamed.frame.line - 1, blamed.frame.column - 1),
    message: `${innermostReason(error.slice(reasonStart))} (at <${innermost.action}>${includedFrom})`,
    missingDependencies: false,
  };
}

/** What failed, without the wrappers Go's template package puts around it (`error calling include: template: …`). */
function innermostReason(text: string): string {
  let reason = text.trim();
  for (let previous = ''; previous !== reason;) {
    previous = reason;
    reason = reason.replace(/^(?:error calling \w+:|template:)\s*/, '');
  }
  return reason === '' ? text.trim() : reason;
}

/** `execution error at (demo/templates/x.yaml:6:11): partner.host is required`: a `required` or `fail` message, kept as the chart wrote it. */
function executionError(error: string, chartName: string): HelmProblem | undefined {
  const match = /^execution error at \((.+?):(\d+):(\d+)\): (.*)$/.exec(error);
  if (!match) return undefined;
  return located(chartFile(match[1], chartName), Number(match[2]) - 1, Number(match[3]) - 1, match[4]);
}

/** `parse error at (demo/templates/x.yaml:7): unexpected {{end}}`: a template syntax error; helm gives the line only. */
function parseError(error: string, chartName: string): HelmProblem | undefined {
  const match = /^parse error at \((.+?):(\d+)\): (.*)$/.exec(error);
  if (!match) return undefined;
  return located(chartFile(match[1], chartName), Number(match[2]) - 1, 0, `template parse error: ${match[3]}`);
}

/**
 * `YAML parse error on demo/templates/x.yaml: error converting YAML to JSON: yaml: line 6: did not find expected key`.
 * The line counts lines of what the template rendered, not of the template, so the problem stays at the file's start
 * and the message says which line of the rendered output it is.
 */
function renderedNotYaml(error: string, chartName: string): HelmProblem | undefined {
  const match = /^YAML parse error on (.+?): (.*)$/.exec(error);
  if (!match) return undefined;
  const { line, reason } = yamlReason(match[2]);
  const where = line === undefined ? '' : ` (line ${line} of the rendered output, not of the template)`;
  return located(chartFile(match[1], chartName), 0, 0, `the template does not render valid YAML: ${reason}${where}`);
}

/**
 * `[error unpacking subchart sub in demo: ]cannot load values.yaml: … yaml: line 3: did not find expected key`: the
 * chart's (or a subchart's) values.yaml or Chart.yaml is not YAML. The line is the file's own, except in a values.yaml
 * of several `---` documents, where helm counts from the start of the broken document (helm v4.1.4).
 */
function chartFileNotYaml(error: string): HelmProblem | undefined {
  const { folder, rest } = subchartFolder(error);
  const match = /^cannot load (values\.yaml|Chart\.yaml): (.*)$/.exec(rest);
  if (!match) return undefined;
  const { line, reason } = yamlReason(match[2]);
  return located(`${folder}${match[1]}`, line === undefined ? 0 : line - 1, 0, `not valid YAML: ${reason}`);
}

/** `[error unpacking subchart sub in demo: ]validation: chart.metadata.version is required`: a Chart.yaml field is missing or wrong. */
function invalidChartMetadata(error: string): HelmProblem | undefined {
  const { folder, rest } = subchartFolder(error);
  const match = /^validation: (chart\.metadata\..*)$/.exec(rest);
  if (!match) return undefined;
  return located(`${folder}Chart.yaml`, 0, 0, match[1]);
}

/**
 * The subchart folder (`charts/sub/charts/deep/`) that `error unpacking subchart sub in demo: error unpacking
 * subchart deep in sub: …` points into, and the error inside it; an empty folder for the chart itself.
 */
function subchartFolder(error: string): { folder: string; rest: string } {
  let folder = '';
  let rest = error;
  for (let match = /^error unpacking subchart (\S+) in \S+: /.exec(rest); match; match = /^error unpacking subchart (\S+) in \S+: /.exec(rest)) {
    folder += `charts/${match[1]}/`;
    rest = rest.slice(match[0].length);
  }
  return { folder, rest };
}

/** The 1-based line and the reason of a YAML error (`[cannot unmarshal yaml document: ][error converting YAML to JSON: ]yaml: line 6: reason`). */
function yamlReason(text: string): { line?: number; reason: string } {
  const bare = text.replace(/^(?:cannot unmarshal yaml document: )?(?:error converting YAML to JSON: )?/, '');
  const match = /^yaml: line (\d+): (.*)$/.exec(bare);
  if (match) return { line: Number(match[1]), reason: match[2] };
  return { reason: bare.replace(/^yaml: /, '') };
}

/**
 * A path inside the chart from a path as helm writes it (`demo/templates/x.yaml` → `templates/x.yaml`), or undefined
 * for names that are no chart file (`gotpl`, the name of a `tpl` string). The first segment is the chart's name; when
 * it is not `chartName` (a Chart.yaml being edited), a path into `templates/` or `charts/` is still taken as the chart's.
 */
function chartFile(path: string, chartName: string): string | undefined {
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  const inside = path.slice(slash + 1);
  return path.slice(0, slash) === chartName || /^(?:templates|charts)\//.test(inside) ? inside : undefined;
}

/** A problem at a position of `file`; a position without a chart file to put it in means nothing, so it falls back to 0:0. */
function located(file: string | undefined, line: number, character: number, message: string): HelmProblem {
  if (file === undefined) return unlocated(message);
  return { file, range: at(Math.max(0, line), Math.max(0, character)), message, missingDependencies: false };
}

function unlocated(message: string): HelmProblem {
  return { range: at(0, 0), message, missingDependencies: false };
}

/** An empty range at one position: helm names a point, not an extent. */
function at(line: number, character: number): Range {
  const position: Position = { line, character };
  return { start: position, end: position };
}
