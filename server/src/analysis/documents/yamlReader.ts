import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Located } from '../model/resources';
import type { LineIndex, Range } from '../text';

/** Typed, range-keeping reads from a parsed YAML document; anything of the wrong shape reads as absent. */
export class YamlReader {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineIndex,
  ) {}

  rangeOf(node: Node | null | undefined): Range | undefined {
    const r = node?.range;
    return r ? this.lines.rangeOf(r[0], r[1]) : undefined;
  }

  /** Follows one alias; the anchored node is never itself an alias, so this cannot loop. */
  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return node.resolve(this.doc) ?? undefined;
    return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
  }

  root(): YAMLMap | undefined {
    const node = this.resolve(this.doc.contents);
    return isMap(node) ? node : undefined;
  }

  private pair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    for (const item of map.items) {
      const k = item.key;
      if (isScalar(k) ? k.value === key : k === key) return item;
    }
    return undefined;
  }

  node(map: YAMLMap | undefined, key: string): Node | undefined {
    return this.resolve(this.pair(map, key)?.value);
  }

  map(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
    const node = this.node(map, key);
    return isMap(node) ? node : undefined;
  }

  /** Items of a sequence value, aliases followed. */
  seq(map: YAMLMap | undefined, key: string): Node[] {
    const node = this.node(map, key);
    if (!isSeq(node)) return [];
    const out: Node[] = [];
    for (const item of node.items) {
      const resolved = this.resolve(item);
      if (resolved) out.push(resolved);
    }
    return out;
  }

  /** Whether `key` is set to something other than null, an empty string or an empty collection; its key's range if so. */
  setKey(map: YAMLMap | undefined, key: string): Range | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && (node.value === null || node.value === '')) return undefined;
    if ((isSeq(node) || isMap(node)) && node.items.length === 0) return undefined;
    return this.keyRange(map, key);
  }

  asMap(node: Node | undefined): YAMLMap | undefined {
    return isMap(node) ? node : undefined;
  }

  keyRange(map: YAMLMap | undefined, key: string): Range | undefined {
    const k = this.pair(map, key)?.key;
    return isScalar(k) ? this.rangeOf(k) : undefined;
  }

  private located<T>(map: YAMLMap | undefined, key: string, accept: (value: unknown) => value is T): Located<T> | undefined {
    const pair = this.pair(map, key);
    if (!pair) return undefined;
    const written = pair.value;
    const node = this.resolve(written);
    if (!isScalar(node) || !accept(node.value)) return undefined;
    const range = this.rangeOf(isAlias(written) ? written : node);
    if (!range) return undefined;
    const keyRange = isScalar(pair.key) ? this.rangeOf(pair.key) : undefined;
    return keyRange ? { value: node.value, range, keyRange } : { value: node.value, range };
  }

  str(map: YAMLMap | undefined, key: string): Located<string> | undefined {
    return this.located(map, key, isString);
  }

  int(map: YAMLMap | undefined, key: string): Located<number> | undefined {
    return this.located(map, key, isInteger);
  }

  intOrString(map: YAMLMap | undefined, key: string): Located<number | string> | undefined {
    return this.located(map, key, isIntOrString);
  }

  bool(map: YAMLMap | undefined, key: string): Located<boolean> | undefined {
    return this.located(map, key, isBoolean);
  }

  /** A sequence of strings (hosts, exportTo); non-strings are skipped. */
  strings(map: YAMLMap | undefined, key: string): Located<string>[] {
    const out: Located<string>[] = [];
    for (const item of this.seq(map, key)) {
      const range = this.rangeOf(item);
      if (isScalar(item) && typeof item.value === 'string' && range) out.push({ value: item.value, range });
    }
    return out;
  }

  /** A map of string labels (selector, workloadSelector.matchLabels). */
  labels(map: YAMLMap | undefined, key: string): Located<Record<string, string>> | undefined {
    const node = this.node(map, key);
    const range = this.rangeOf(node);
    const keyRange = this.keyRange(map, key);
    if (!isMap(node) || !range) return undefined;
    const value: Record<string, string> = {};
    for (const item of node.items) {
      const k = item.key;
      const v = this.resolve(item.value);
      if (isScalar(k) && isScalar(v)) value[String(k.value)] = String(v.value);
    }
    return keyRange ? { value, range, keyRange } : { value, range };
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isIntOrString(value: unknown): value is number | string {
  return isString(value) || isInteger(value);
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}
