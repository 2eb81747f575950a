/**
 * The one seeded random source of the tests, the fuzzer and the benchmark inputs, so a generated input or a failure
 * is named by its seed and replays the same everywhere.
 */

/** mulberry32: a small, fast 32-bit generator, identical on every platform. Fine for test data; not for cryptography. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Seeded draws over mulberry32. */
export class Random {
  /** A float in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return max <= 0 ? 0 : Math.floor(this.next() * max);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, value] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[1];
  }

  /** An independent generator seeded from this one (so one stream's consumption does not shift another's). */
  fork(): Random {
    return new Random(this.int(0x100000000));
  }
}

/** A fresh seed for a run that prints it (so the run can be replayed). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

/** The draws a manifest generator needs; both Random and Rng give them. */
export type Draws = Pick<Random, 'next' | 'between' | 'chance' | 'pick'>;

/**
 * Random's draws with an inclusive `int(min, max)`, the form older unit tests are written in. `int(a, b)` is
 * `between(a, b)`, which draws exactly what the former copy of this class did, so their seeds replay unchanged.
 */
export class Rng implements Draws {
  private readonly random: Random;
  readonly next: () => number;

  constructor(seed: number) {
    this.random = new Random(seed);
    this.next = this.random.next;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return this.random.between(min, max);
  }

  between(min: number, max: number): number {
    return this.random.between(min, max);
  }

  chance(p: number): boolean {
    return this.random.chance(p);
  }

  pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }
}
