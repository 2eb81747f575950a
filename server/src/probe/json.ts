/** Narrowing helpers for JSON that came from kubectl: nothing is trusted to have the expected shape. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, ...path: readonly string[]): JsonObject | undefined {
  let current: unknown = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return isObject(current) ? current : undefined;
}

export function stringAt(value: unknown, ...path: readonly string[]): string | undefined {
  const parent = objectAt(value, ...path.slice(0, -1));
  const leaf = parent?.[path[path.length - 1] ?? ''];
  return typeof leaf === 'string' ? leaf : undefined;
}

export function numberAt(value: unknown, ...path: readonly string[]): number | undefined {
  const parent = objectAt(value, ...path.slice(0, -1));
  const leaf = parent?.[path[path.length - 1] ?? ''];
  return typeof leaf === 'number' ? leaf : undefined;
}

export function arrayAt(value: unknown, ...path: readonly string[]): readonly unknown[] {
  const parent = objectAt(value, ...path.slice(0, -1));
  const leaf = parent?.[path[path.length - 1] ?? ''];
  return Array.isArray(leaf) ? leaf : [];
}

export function stringMapAt(value: unknown, ...path: readonly string[]): Readonly<Record<string, string>> {
  const map = objectAt(value, ...path) ?? {};
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `JSON.parse` that answers undefined instead of throwing: kubectl may print warnings or nothing at all. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
