/** Status bodies as a real API server sends them, and the HTTP helpers the REST routes and exec upgrades share. */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { qualified, type ResourceType } from './resourceTypes';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function notFound(rt: ResourceType, name: string): Status {
  return status(404, 'NotFound', `${qualified(rt)} "${name}" not found`, { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural });
}

export const UNAUTHORIZED = status(401, 'Unauthorized', 'Unauthorized');
export const PATH_NOT_FOUND = status(404, 'NotFound', 'the server could not find the requested resource', {});

export function json(res: http.ServerResponse, code: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Audit-Id': randomUUID(), ...extraHeaders });
  res.end(text);
}

/** Whether the request presents the cluster's bearer token. */
export function isAuthorized(req: http.IncomingMessage, token: string): boolean {
  return req.headers.authorization === `Bearer ${token}`;
}

/** An HTTP answer written straight to an upgrade's socket (no ServerResponse exists for an `upgrade` event). */
export function sendRaw(socket: Duplex, code: number, body: Status): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
