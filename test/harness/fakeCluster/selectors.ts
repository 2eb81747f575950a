/** Label and field selectors, as `kubectl get -l … --field-selector …` sends them. */
import type { KubeObject } from './types';

export type Requirement = (labels: Record<string, string>) => boolean;

/** Parses a label selector (`app=curl`, `a!=b`, `a in (x,y)`, `!a`, `a`). Throws on syntax errors. */
export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  return parts.map((raw): Requirement => {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const key = m[1];
      const values = new Set(m[3].split(',').map((v) => v.trim()));
      return m[2] === 'in' ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]);
    }
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(p))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = /^!([\w./-]+)$/.exec(p))) {
      const key = m[1];
      return (l) => !(key in l);
    }
    if ((m = /^([\w./-]+)$/.exec(p))) {
      const key = m[1];
      return (l) => key in l;
    }
    throw new Error(`unable to parse requirement: ${p}`);
  });
}

export function parseFieldSelector(selector: string): ((obj: KubeObject) => boolean)[] {
  return selector
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const m = /^\s*([\w.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(p);
      if (!m) throw new Error(`invalid selector: '${selector}'; can't understand '${p}'`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      const get = (obj: KubeObject): string | undefined => {
        if (field === 'metadata.name') return obj.metadata.name;
        if (field === 'metadata.namespace') return obj.metadata.namespace;
        if (field === 'status.phase') return ((obj.status ?? {}) as { phase?: string }).phase;
        if (field === 'spec.type') return ((obj.spec ?? {}) as { type?: string }).type;
        throw new Error(`field label not supported: ${field}`);
      };
      return (obj: KubeObject) => (op === '!=' ? get(obj) !== value : get(obj) === value);
    });
}
