/** Port numbers and names as the API server checks them (docs/istio-behaviour.md#kubernetes-name-formats). */

export function isPortNumber(port: number): boolean {
  return port >= 1 && port <= 65535;
}

/** The message for a port number outside 1–65535. */
export function portOutOfRange(label: string, port: number): string {
  return `${label} ${port} is out of range: ports are 1 to 65535.`;
}

/** The positions whose value an earlier position already holds (a port name used twice); empty values never repeat. */
export function repeatedAt(values: readonly (string | undefined)[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  values.forEach((value, i) => {
    if (!value) return;
    if (seen.has(value)) repeated.add(i);
    seen.add(value);
  });
  return repeated;
}
