/**
 * A strict parser for the part of TOML an editor's config snippet uses: `[table]` and `[[array.of.tables]]` headers
 * with bare or quoted dotted keys, `key = value` lines, and values that are basic or literal strings, integers,
 * booleans or one-line arrays of those. Anything else is an error (so a snippet outside this subset fails its test
 * loudly rather than passing unchecked); so are duplicate keys and a key redefined as another kind of value.
 */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

const BARE_KEY = /^[A-Za-z0-9_-]+/;

class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}
  fail(what: string): never {
    throw new Error(`TOML line ${this.line}: ${what} at column ${this.pos + 1}: ${this.text}`);
  }
  skipSpace(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }
  eat(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }
  expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected ${JSON.stringify(token)}`);
  }
  /** Nothing but spaces and an optional comment to the end of the line. */
  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length && this.text[this.pos] !== '#') this.fail('unexpected text');
  }
  key(): string[] {
    const parts: string[] = [];
    do {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        const bare = BARE_KEY.exec(this.text.slice(this.pos));
        if (!bare) this.fail('expected a key');
        parts.push(bare[0]);
        this.pos += bare[0].length;
      }
    } while (this.eat('.'));
    return parts;
  }
  string(): string {
    const quote = this.text[this.pos];
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail('unterminated string');
      if (c === quote) return out;
      if (c === '\\' && quote === '"') {
        const e = this.text[this.pos++];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === 'u' || e === 'U') {
          const hex = this.text.slice(this.pos, this.pos + (e === 'u' ? 4 : 8));
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== (e === 'u' ? 4 : 8)) this.fail('bad unicode escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += hex.length;
        } else this.fail('bad escape');
      } else out += c;
    }
  }
  value(): TomlValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") {
      if (this.text.startsWith(c.repeat(3), this.pos)) this.fail('multi-line strings are not supported here');
      return this.string();
    }
    if (c === '[') {
      this.pos++;
      const items: TomlValue[] = [];
      while (!this.eat(']')) {
        items.push(this.value());
        if (!this.eat(',')) {
          this.expect(']');
          break;
        }
      }
      return items;
    }
    const word = /^(true|false|[+-]?(0|[1-9](_?[0-9])*))(?=[\s,\]#]|$)/.exec(this.text.slice(this.pos));
    if (!word) this.fail('unsupported value');
    this.pos += word[0].length;
    return word[0] === 'true' ? true : word[0] === 'false' ? false : Number(word[0].replace(/_/g, ''));
  }
}

const isTable = (v: TomlValue | undefined): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseToml(source: string): TomlTable {
  const root: TomlTable = {};
  const explicit = new Set<TomlTable>();
  let current = root;
  source.split(/\r?\n/).forEach((text, i) => {
    const cur = new Cursor(text, i + 1);
    cur.skipSpace();
    if (cur.pos === text.length || text[cur.pos] === '#') return;
    if (cur.eat('[[')) {
      const keys = cur.key();
      cur.expect(']]');
      cur.end();
      const parent = descend(root, keys.slice(0, -1), cur);
      const last = keys[keys.length - 1] ?? cur.fail('empty key');
      const list = parent[last] ?? (parent[last] = []);
      if (!Array.isArray(list) || !list.every(isTable)) return cur.fail(`${keys.join('.')} is not an array of tables`);
      current = {};
      list.push(current);
    } else if (cur.eat('[')) {
      const keys = cur.key();
      cur.expect(']');
      cur.end();
      if (Array.isArray(descend(root, keys.slice(0, -1), cur)[keys[keys.length - 1] ?? ''])) cur.fail(`[${keys.join('.')}] is an array of tables`);
      current = descend(root, keys, cur);
      if (explicit.has(current)) cur.fail(`table [${keys.join('.')}] defined twice`);
      explicit.add(current);
    } else {
      const keys = cur.key();
      cur.expect('=');
      const value = cur.value();
      cur.end();
      const parent = descend(current, keys.slice(0, -1), cur);
      const last = keys[keys.length - 1] ?? cur.fail('empty key');
      if (last in parent) cur.fail(`duplicate key ${keys.join('.')}`);
      parent[last] = value;
    }
  });
  return root;
}

/** The table at `keys` under `from` (the last element of an array of tables), created if missing. */
function descend(from: TomlTable, keys: string[], cur: Cursor): TomlTable {
  let table = from;
  for (const key of keys) {
    let next = table[key];
    if (next === undefined) next = table[key] = {};
    if (Array.isArray(next)) next = next[next.length - 1];
    if (!isTable(next)) cur.fail(`${key} is not a table`);
    table = next;
  }
  return table;
}
