/**
 * IP address parsing and the address classes the API server and egress rules care about
 * (docs/istio-behaviour.md#endpoints-addresses-the-api-server-refuses).
 */

export type IpClass = 'unspecified' | 'loopback' | 'link-local' | 'link-local-multicast' | 'multicast' | 'private' | 'shared' | 'documentation' | 'public';

export interface ParsedIp {
  readonly version: 4 | 6;
  /** 4 or 16 bytes. */
  readonly bytes: readonly number[];
}

export function parseIp(text: string): ParsedIp | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { version: 6, bytes: v6 } : undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    // Leading zeros are refused, as Go's net.ParseIP (and so the API server) refuses them.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':') || /[^0-9a-fA-F:.]/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function inV4(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

export function classifyIp(ip: ParsedIp): IpClass {
  const b = ip.bytes;
  if (ip.version === 6) {
    const mappedV4 = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    if (mappedV4) return classifyIp({ version: 4, bytes: b.slice(12) });
    if (b.every((x) => x === 0)) return 'unspecified';
    if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'loopback';
    if (inV4(b, [0xfe, 0x80], 10)) return 'link-local';
    if (inV4(b, [0xff, 0x02], 16)) return 'link-local-multicast';
    if (inV4(b, [0xff], 8)) return 'multicast';
    if (inV4(b, [0xfc], 7)) return 'private';
    if (inV4(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return 'documentation';
    return 'public';
  }
  if (inV4(b, [0, 0, 0, 0], 32)) return 'unspecified';
  if (inV4(b, [127], 8)) return 'loopback';
  if (inV4(b, [169, 254], 16)) return 'link-local';
  if (inV4(b, [224, 0, 0], 24)) return 'link-local-multicast';
  if (inV4(b, [224], 4)) return 'multicast';
  if (inV4(b, [10], 8) || inV4(b, [172, 16], 12) || inV4(b, [192, 168], 16)) return 'private';
  if (inV4(b, [100, 64], 10)) return 'shared';
  if (inV4(b, [192, 0, 2], 24) || inV4(b, [198, 51, 100], 24) || inV4(b, [203, 0, 113], 24)) return 'documentation';
  return 'public';
}
