/**
 * The snippets of snippets/yaml.json and a small expander for VS Code's snippet syntax, shared by the unit tests of
 * the snippets (test/unit/snippets.test.ts) and the test that renders their Helm chart variants
 * (test/cli/chartSnippets.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';

export const SNIPPETS_PATH = path.join(PROJECT_ROOT, 'snippets', 'yaml.json');

// ---------------------------------------------------------------------------
// A small parser/expander for VS Code's snippet syntax
// (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_snippet-syntax).
// ---------------------------------------------------------------------------

export type SnippetNode =
  | { readonly kind: 'text'; readonly value: string }
  | {
      readonly kind: 'tabstop';
      readonly index: number;
      /** `${1:...}` children; null for `$1` / `${1}`. */
      readonly children: readonly SnippetNode[] | null;
      /** `${1|a,b|}` options; null otherwise. */
      readonly choices: readonly string[] | null;
    }
  | { readonly kind: 'variable'; readonly name: string; readonly children: readonly SnippetNode[] | null };

export class SnippetSyntaxError extends Error {}

class SnippetParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    if (this.pos !== this.src.length) this.fail('unexpected input');
    return nodes;
  }

  private fail(message: string): never {
    throw new SnippetSyntaxError(`${message} at offset ${this.pos} in ${JSON.stringify(this.src)}`);
  }

  /** Text and placeholders up to the end, or up to an unescaped `}` when nested. */
  private sequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src.charAt(this.pos);
      if (ch === '\\') {
        const next = this.src.charAt(this.pos + 1);
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += ch;
          this.pos += 1;
        }
      } else if (ch === '}' && nested) {
        break;
      } else if (ch === '$') {
        const node = this.dollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += ch;
          this.pos += 1;
        }
      } else {
        text += ch;
        this.pos += 1;
      }
    }
    flush();
    return nodes;
  }

  private take(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  /** At a `$`: a tabstop, placeholder, choice or variable, or null for a literal `$`. */
  private dollar(): SnippetNode | null {
    const start = this.pos;
    this.pos += 1;
    const simpleIndex = this.take(/[0-9]+/y);
    if (simpleIndex !== null) return { kind: 'tabstop', index: Number(simpleIndex), children: null, choices: null };
    const simpleName = this.take(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    if (simpleName !== null) return { kind: 'variable', name: simpleName, children: null };
    if (this.src.charAt(this.pos) !== '{') {
      this.pos = start;
      return null;
    }
    this.pos += 1;
    const index = this.take(/[0-9]+/y);
    const name = index === null ? this.take(/[_a-zA-Z][_a-zA-Z0-9]*/y) : null;
    if (index === null && name === null) this.fail('expected a tabstop number or variable name after ${');
    const ch = this.src.charAt(this.pos);
    let children: SnippetNode[] | null = null;
    let choices: string[] | null = null;
    if (ch === '}') {
      this.pos += 1;
    } else if (ch === ':') {
      this.pos += 1;
      children = this.sequence(true);
      if (this.src.charAt(this.pos) !== '}') this.fail('unterminated placeholder');
      this.pos += 1;
    } else if (ch === '|' && index !== null) {
      this.pos += 1;
      choices = this.choiceOptions();
    } else if (ch === '/') {
      this.fail('transforms are not supported by this expander');
    } else {
      this.fail('malformed placeholder');
    }
    return index !== null ? { kind: 'tabstop', index: Number(index), children, choices } : { kind: 'variable', name: name ?? '', children };
  }

  /** After `${1|`: options separated by `,` up to `|}`; `\,` `\|` `\\` `\$` `\}` are escapes. */
  private choiceOptions(): string[] {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const ch = this.src.charAt(this.pos);
      const next = this.src.charAt(this.pos + 1);
      if (ch === '\\' && ',|\\$}'.includes(next) && next !== '') {
        current += next;
        this.pos += 2;
      } else if (ch === ',') {
        options.push(current);
        current = '';
        this.pos += 1;
      } else if (ch === '|' && next === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += ch;
        this.pos += 1;
      }
    }
    return this.fail('unterminated choice');
  }
}

export function parseSnippet(body: string): SnippetNode[] {
  return new SnippetParser(body).parse();
}

function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind !== 'text' && node.children) walk(node.children, visit);
  }
}

/**
 * Default text of a snippet, as VS Code inserts it: a placeholder's first
 * occurrence (in document order) that has a default or choices defines the value
 * of every occurrence of that number (mirrors); a choice defaults to its first
 * option; `$0` and tabstops without a default insert nothing. `overrides`
 * simulates typing a value into a tabstop (it replaces every mirror).
 */
export function expand(body: string, overrides: ReadonlyMap<number, string> = new Map()): string {
  const nodes = parseSnippet(body);
  const definitions = new Map<number, Extract<SnippetNode, { kind: 'tabstop' }>>();
  walk(nodes, (node) => {
    if (node.kind !== 'tabstop' || node.index === 0 || definitions.has(node.index)) return;
    if (node.choices || (node.children && node.children.length > 0)) definitions.set(node.index, node);
  });
  const render = (list: readonly SnippetNode[], active: ReadonlySet<number>): string =>
    list
      .map((node): string => {
        switch (node.kind) {
          case 'text':
            return node.value;
          case 'variable':
            return node.children ? render(node.children, active) : '';
          case 'tabstop': {
            if (node.index === 0) return node.children ? render(node.children, active) : '';
            const typed = overrides.get(node.index);
            if (typed !== undefined) return typed;
            if (active.has(node.index)) throw new SnippetSyntaxError(`placeholder $${node.index} contains itself`);
            const def = definitions.get(node.index);
            if (!def) return '';
            if (def.choices) return def.choices[0] ?? '';
            return render(def.children ?? [], new Set([...active, node.index]));
          }
        }
      })
      .join('');
  return render(nodes, new Set());
}

export type Tabstop = Extract<SnippetNode, { kind: 'tabstop' }>;

export function tabstops(body: string): Tabstop[] {
  const out: Tabstop[] = [];
  walk(parseSnippet(body), (node) => {
    if (node.kind === 'tabstop') out.push(node);
  });
  return out;
}

// ---------------------------------------------------------------------------
// Reading the snippet file.
// ---------------------------------------------------------------------------

export interface Snippet {
  readonly title: string;
  readonly prefix: string;
  readonly description: string;
  readonly body: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadSnippets(): Snippet[] {
  const raw: unknown = JSON.parse(readFileSync(SNIPPETS_PATH, 'utf8'));
  assert.ok(isRecord(raw), 'snippets/yaml.json must hold an object');
  return Object.entries(raw).map(([title, value]): Snippet => {
    assert.ok(isRecord(value), `${title}: not an object`);
    const { prefix, description, body } = value;
    assert.equal(typeof prefix, 'string', `${title}: prefix must be a string`);
    assert.equal(typeof description, 'string', `${title}: description must be a string`);
    assert.ok(Array.isArray(body) && body.every((line) => typeof line === 'string'), `${title}: body must be string[]`);
    return { title, prefix: String(prefix), description: String(description), body: body.join('\n') };
  });
}

/** The default expansion plus one expansion per option of every choice. */
export function allExpansions(s: Snippet): Array<{ label: string; text: string }> {
  const out = [{ label: 'defaults', text: expand(s.body) }];
  for (const stop of tabstops(s.body)) {
    for (const option of stop.choices ?? []) {
      out.push({ label: `$${stop.index}=${option}`, text: expand(s.body, new Map([[stop.index, option]])) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Helm chart variants (prefix egress-chart-): template text, not YAML until helm renders it.
// ---------------------------------------------------------------------------

export const CHART_PREFIX = 'egress-chart-';

/** A snippet meant for a chart's templates/ folder: `{{ .Release.Name }}`, `{{ .Values.… }}` and the like. */
export function isChartVariant(s: Snippet): boolean {
  return s.prefix.startsWith(CHART_PREFIX);
}

/** The prefix of the plain snippet a chart variant is made from: `egress-chart-serviceentry` → `egress-serviceentry`. */
export function plainCounterpart(s: Snippet): string {
  return `egress-${s.prefix.slice(CHART_PREFIX.length)}`;
}

/** Where a chart variant's description starts the values.yaml lines it reads. */
export const VALUES_MARKER = 'values.yaml:\n';

/**
 * The values.yaml lines a chart variant's description shows (everything after its last `values.yaml:` line break),
 * for the values key's default; undefined when the description shows none.
 */
export function chartValuesText(s: Snippet): string | undefined {
  const at = s.description.lastIndexOf(VALUES_MARKER);
  return at === -1 ? undefined : `${s.description.slice(at + VALUES_MARKER.length).trimEnd()}\n`;
}

/** The `.Values` paths a template text reads (`partner.host`), in order, without repeats. */
export function valuePathsRead(template: string): string[] {
  return [...new Set([...template.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => (m[1] ?? '').slice(1)))];
}
