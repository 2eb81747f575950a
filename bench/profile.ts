/**
 * Reads a V8 `.cpuprofile` (as written by `node --cpu-prof`) and says where the time went: self time by function,
 * self time by package, and inclusive time of the server's own functions. The server is an esbuild bundle, so
 * function positions are mapped back to their original files through the bundle's source map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface TimeRow {
  readonly label: string;
  readonly pkg: string;
  readonly ms: number;
  /** Share of the busy (non-idle) time, in percent. */
  readonly pct: number;
}

/** Where the busy time of a stretch of the profile went. */
export interface Breakdown {
  readonly busyMs: number;
  readonly selfTop: readonly TimeRow[];
  readonly byPackage: readonly TimeRow[];
  /** Inclusive (self + callees) time of functions in server/src: the server's phases. */
  readonly inclusiveOurs: readonly TimeRow[];
  /** Inclusive time of the heaviest library functions. */
  readonly inclusiveLibraries: readonly TimeRow[];
}

/** A stretch of busy time between two idle gaps. */
export interface Phase extends Breakdown {
  /** Start and end, in ms from the profile's start. */
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ProfileSummary extends Breakdown {
  readonly file: string;
  readonly totalMs: number;
  readonly idleMs: number;
  /** Busy stretches separated by at least `gapMs` of idle time, in order. */
  readonly phases: readonly Phase[];
}

const OURS = 'istio-egress (server/src)';
const META = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

function isProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.nodes) && Array.isArray(v.samples) && Array.isArray(v.timeDeltas) && typeof v.startTime === 'number' && typeof v.endTime === 'number';
}

/** Maps bundle positions to original sources, one source map per script url, loaded once. */
class Locator {
  private readonly maps = new Map<string, SourceMap | null>();

  private mapFor(url: string): SourceMap | null {
    let map = this.maps.get(url);
    if (map !== undefined) return map;
    map = null;
    if (url.startsWith('file://')) {
      const mapFile = `${fileURLToPath(url)}.map`;
      if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
    }
    this.maps.set(url, map);
    return map;
  }

  /** `{ source, line }` (1-based line) of a function's start, in the original file when a source map says. */
  locate(frame: CallFrame): { source: string; line: number } {
    const map = this.mapFor(frame.url);
    if (map) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
      if ('originalSource' in entry) return { source: entry.originalSource.replace(/^(?:\.\.\/)+/, ''), line: entry.originalLine + 1 };
    }
    return { source: frame.url, line: frame.lineNumber + 1 };
  }
}

function packageOf(frame: CallFrame, source: string): string {
  if (META.has(frame.functionName) && frame.url === '') return frame.functionName;
  // Nested installs read as a chain (`yaml-language-server › yaml`): the copy of a library another one brings.
  const chain = source
    .split('node_modules/')
    .slice(1)
    .map((part) => {
      const segments = part.split('/');
      return segments[0]?.startsWith('@') ? `${segments[0]}/${segments[1] ?? ''}` : (segments[0] ?? part);
    });
  if (chain.length) return chain.join(' › ');
  const webpack = /^webpack:\/\/([^/]+)\//.exec(source);
  if (webpack?.[1]) return webpack[1];
  if (source.startsWith('server/src/')) return OURS;
  if (source.startsWith('node:')) return 'node (internal)';
  if (source === '') return '(V8 / native)';
  if (source.startsWith('file://')) return '(esbuild bundle helpers)';
  return source;
}

interface Key {
  readonly label: string;
  readonly pkg: string;
}

interface Sample {
  readonly id: number;
  /** Start, in µs from the profile's start. */
  readonly at: number;
  readonly us: number;
  readonly idle: boolean;
}

/**
 * Summarises a profile as a whole and per phase, a phase being a stretch of busy time between idle gaps of at least
 * `gapMs` (the benchmark pauses between steps, so open and edit come out as separate phases).
 */
export function summariseProfile(file: string, options: { top?: number; gapMs?: number } = {}): ProfileSummary {
  const top = options.top ?? 15;
  const gapUs = (options.gapMs ?? 250) * 1000;
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isProfile(raw)) throw new Error(`${file} is not a V8 CPU profile`);
  const locator = new Locator();
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of raw.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keys = new Map<number, Key>();
  const keyOf = (id: number): Key => {
    let key = keys.get(id);
    if (!key) {
      const frame = byId.get(id)?.callFrame ?? { functionName: '(unknown)', url: '', lineNumber: 0, columnNumber: 0 };
      const { source, line } = locator.locate(frame);
      const name = frame.functionName || '(anonymous)';
      const label = META.has(frame.functionName) && frame.url === '' ? name : source ? `${name} (${source}:${line})` : name;
      key = { label, pkg: packageOf(frame, source) };
      keys.set(id, key);
    }
    return key;
  };
  // Every label on a node's stack, each once (recursion must not count twice).
  const stacks = new Map<number, Key[]>();
  const stackOf = (id: number): Key[] => {
    let stack = stacks.get(id);
    if (!stack) {
      const seen = new Map<string, Key>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const key = keyOf(at);
        if (!seen.has(key.label)) seen.set(key.label, key);
      }
      stack = [...seen.values()];
      stacks.set(id, stack);
    }
    return stack;
  };

  const breakdown = (samples: readonly Sample[]): Breakdown => {
    const self = new Map<string, { key: Key; us: number }>();
    const inclusive = new Map<string, { key: Key; us: number }>();
    const add = (map: Map<string, { key: Key; us: number }>, key: Key, us: number): void => {
      const row = map.get(key.label);
      if (row) row.us += us;
      else map.set(key.label, { key, us });
    };
    let busy = 0;
    for (const sample of samples) {
      if (sample.idle) continue;
      busy += sample.us;
      add(self, keyOf(sample.id), sample.us);
      for (const k of stackOf(sample.id)) add(inclusive, k, sample.us);
    }
    const busyUs = Math.max(1, busy);
    const row = ({ key, us }: { key: Key; us: number }): TimeRow => ({ label: key.label, pkg: key.pkg, ms: us / 1000, pct: (100 * us) / busyUs });
    const packages = new Map<string, number>();
    for (const { key, us } of self.values()) packages.set(key.pkg, (packages.get(key.pkg) ?? 0) + us);
    const inclusiveSorted = [...inclusive.values()].filter(({ key }) => !META.has(key.label)).sort((a, b) => b.us - a.us);
    return {
      busyMs: busy / 1000,
      selfTop: [...self.values()]
        .sort((a, b) => b.us - a.us)
        .slice(0, top)
        .map(row),
      byPackage: [...packages.entries()].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => row({ key: { label: pkg, pkg }, us })),
      inclusiveOurs: inclusiveSorted
        .filter(({ key }) => key.pkg === OURS)
        .slice(0, top)
        .map(row),
      inclusiveLibraries: inclusiveSorted
        .filter(({ key }) => key.pkg !== OURS && !key.pkg.startsWith('(') && !key.pkg.startsWith('node'))
        .slice(0, top)
        .map(row),
    };
  };

  // Sample i lasts until sample i + 1 (the last one until the profile's end).
  let time = 0;
  const stamps = raw.timeDeltas.map((d) => (time += d));
  const samples: Sample[] = [];
  for (let i = 0; i < raw.samples.length; i++) {
    const id = raw.samples[i];
    const at = stamps[i];
    if (id === undefined || at === undefined) continue;
    samples.push({ id, at, us: Math.max(0, (stamps[i + 1] ?? raw.endTime - raw.startTime) - at), idle: keyOf(id).label === '(idle)' });
  }

  // Phases: cut wherever consecutive idle samples add up to gapMs or more.
  const phases: Phase[] = [];
  let current: Sample[] = [];
  let idleRun = 0;
  const flush = (): void => {
    const busy = current.filter((x) => !x.idle);
    const first = busy[0];
    const last = busy[busy.length - 1];
    if (first && last) phases.push({ fromMs: first.at / 1000, toMs: (last.at + last.us) / 1000, ...breakdown(busy) });
    current = [];
  };
  for (const sample of samples) {
    if (sample.idle) {
      idleRun += sample.us;
      if (idleRun >= gapUs && current.some((x) => !x.idle)) flush();
    } else {
      idleRun = 0;
    }
    current.push(sample);
  }
  flush();

  const totalUs = raw.endTime - raw.startTime;
  const idleUs = samples.filter((x) => x.idle).reduce((n, x) => n + x.us, 0);
  return { file, totalMs: totalUs / 1000, idleMs: idleUs / 1000, phases, ...breakdown(samples) };
}
