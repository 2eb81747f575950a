/** The pods' network maps: `host:port` → a loopback `127.x.y.z:port` where a test server listens. */
import { isIP } from 'node:net';
import type { Routes } from './types';

function isLoopbackTarget(target: string): boolean {
  const m = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/.exec(target);
  return m !== null && isIP(m[1]) === 4 && Number(m[2]) > 0 && Number(m[2]) < 65536;
}

export function checkRoutes(name: string, routes: Routes): void {
  for (const [key, target] of Object.entries(routes)) {
    if (!/^.+:\d+$/.test(key)) throw new Error(`network ${name}: route key ${key} is not host:port`);
    if (!isLoopbackTarget(target)) throw new Error(`network ${name}: route ${key} → ${target} is not a 127.0.0.0/8 address:port`);
  }
}
