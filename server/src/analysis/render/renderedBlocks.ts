/**
 * Which lines of a template cannot have rendered, as far as the values tell (pure): the lines inside an `if`, `with`
 * or `range` whose condition reads a value set to false, empty or zero (`{{- if .Values.networkGateway }}`),
 * and the `else` of one whose value is set. Conditions the values do not settle (functions, comparisons, variables)
 * leave their lines as possible; so does everything outside such blocks.
 */

/** What a condition reads: true or false when the values settle it, undefined otherwise. */
export type Truth = (condition: string) => boolean | undefined;

const ACTION = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const OPENS = /^(if|with|range)\s+([\s\S]*)$/;

interface Block {
  /** Whether the current branch renders: false when the values say it does not, undefined when unknown. */
  renders: boolean | undefined;
  /** Whether a branch of this block already rendered for sure (later `else` branches then do not). */
  taken: boolean;
}

/** The 0-based lines of `template` that the values show cannot have rendered. */
export function unrenderedLines(template: string, truth: Truth): Set<number> {
  const out = new Set<number>();
  const stack: Block[] = [];
  const lines = template.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (stack.some((b) => b.renders === false)) out.add(i);
    ACTION.lastIndex = 0;
    for (let m = ACTION.exec(line); m; m = ACTION.exec(line)) handle((m[1] ?? '').trim(), stack, truth);
  });
  return out;
}

function handle(action: string, stack: Block[], truth: Truth): void {
  if (action === 'end') {
    stack.pop();
    return;
  }
  const top = stack[stack.length - 1];
  if (action === 'else' || action.startsWith('else ')) {
    if (!top) return;
    if (top.renders === true) top.taken = true;
    const condition = action.replace(/^else\s*(?:if\s+)?/, '');
    if (top.taken) top.renders = false;
    else if (condition === '') top.renders = top.renders === undefined ? undefined : !top.renders;
    else top.renders = top.renders === undefined ? undefined : truth(condition);
    return;
  }
  const opens = OPENS.exec(action);
  if (opens) {
    // `range $i, $v := .Values.x` and `with $x := …` read the value after `:=`.
    const condition = (opens[2] ?? '').replace(/^\$[\w]*(?:\s*,\s*\$[\w]*)?\s*:=\s*/, '');
    const renders = truth(condition);
    stack.push({ renders, taken: renders === true });
  } else if (/^(define|block)\s/.test(action)) {
    // A definition renders where it is included, not here: its lines are unknown.
    stack.push({ renders: undefined, taken: false });
  }
}

/**
 * A `Truth` over a values lookup: `.Values.a.b`, `$.Values.a.b` and `not` of one; `lookup` gives the value's source text
 * (undefined when the files do not set it: then the truth is unknown).
 */
export function valuesTruth(lookup: (path: string) => string | undefined): Truth {
  const of = (condition: string): boolean | undefined => {
    const c = condition
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim();
    const negated = /^not\s+(.+)$/.exec(c);
    if (negated) {
      const inner = of(negated[1] ?? '');
      return inner === undefined ? undefined : !inner;
    }
    const path = /^\$?\.Values\.([\w.-]+)$/.exec(c)?.[1];
    if (!path) return undefined;
    const text = lookup(path);
    // Unset in the files may still be set where they are merged (`--set`, a chart's own defaults trick): unknown.
    if (text === undefined) return undefined;
    return !/^(?:false|null|~|""|''|0|\[\s*\]|\{\s*\}|)$/.test(text.trim());
  };
  return of;
}
