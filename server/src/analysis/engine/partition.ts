import type { PlacedResource } from '../workspace/placed';
import { dotSuffixes, type ResourceKeys } from './resourceKeys';

/** Resources split into components no workspace rule looks across. */
export interface Partition {
  /** Each component's members, in workspace order; components ordered by their first member. */
  readonly components: readonly (readonly PlacedResource[])[];
  /** The component of each input resource, by its position in the input. */
  readonly componentOf: Int32Array;
}

/**
 * Splits the workspace's indexed resources (in workspace order, `keys[i]` being the keys of resource i, ids below
 * `keyCount`) into components
 * closed under every lookup the workspace rules make: resources are joined when they share a key that a resource is
 * stored under (`resourceKeys.ts`),
 * when a wildcard host of one matches a host of the other, and, for a component holding a wildcard DestinationRule,
 * with every DestinationRule of its namespaces (the guard-rule quick fix picks a name no rule of the namespace uses).
 * Running the rules on each component's own index therefore finds exactly what one run over the whole workspace finds
 * (test/unit/incremental.test.ts checks it).
 */
export function partition(resources: readonly PlacedResource[], keys: readonly ResourceKeys[], keyCount: number): Partition {
  const sets = new DisjointSets(resources.length);
  joinByKeys(keys, keyCount, sets);
  joinByWildcards(keys, sets);
  joinGuardRuleNames(keys, sets);
  return group(resources, sets);
}

/**
 * Joins the resources that share a key some resource is stored under. A key only read (a namespace's
 * PeerAuthentications where there are none) finds nothing, whoever reads it: its readers stay apart.
 */
function joinByKeys(keys: readonly ResourceKeys[], keyCount: number, sets: DisjointSets): void {
  const held = new Uint8Array(keyCount);
  for (const k of keys) for (const id of k.stored) held[id] = 1;
  /** The first resource holding or reading each key id, or -1. */
  const owner = new Int32Array(keyCount).fill(-1);
  keys.forEach((k, i) => {
    for (const id of k.exact) {
      if (!held[id]) continue;
      const first = owner[id];
      if (first === -1) owner[id] = i;
      else sets.union(i, first);
    }
  });
}

function joinByWildcards(keys: readonly ResourceKeys[], sets: DisjointSets): void {
  /** `*.suffix` wildcards, by suffix: matched through each host's dot-suffixes, without a scan. */
  const bySuffix = new Map<string, number>();
  /** `*` and `*suffix` (no dot): rare, matched by scanning every host. */
  const irregular: { readonly at: number; readonly suffix: string }[] = [];
  keys.forEach((k, i) => {
    for (const suffix of k.wildcardSuffixes) {
      if (!suffix.startsWith('.')) irregular.push({ at: i, suffix });
      else {
        const first = bySuffix.get(suffix);
        if (first === undefined) bySuffix.set(suffix, i);
        else sets.union(i, first);
      }
    }
  });
  if (bySuffix.size) {
    keys.forEach((k, i) => {
      for (const host of k.hosts) {
        for (const suffix of dotSuffixes(host)) {
          const wildcard = bySuffix.get(suffix);
          if (wildcard !== undefined) sets.union(i, wildcard);
        }
      }
    });
  }
  for (const { at, suffix } of irregular) {
    keys.forEach((k, i) => {
      if (k.hosts.some((h) => h.endsWith(suffix))) sets.union(at, i);
    });
  }
}

/**
 * guardRulesFix (EGR402 through a wildcard rule) reads the names of every DestinationRule in the namespace of each
 * destination it guards, and those destinations are members of the wildcard rule's component.
 */
function joinGuardRuleNames(keys: readonly ResourceKeys[], sets: DisjointSets): void {
  if (!keys.some((k) => k.wildcardRule)) return;
  const rulesByNamespace = new Map<string, number[]>();
  keys.forEach((k, i) => {
    if (!k.isDestinationRule) return;
    const list = rulesByNamespace.get(k.namespace);
    if (list) list.push(i);
    else rulesByNamespace.set(k.namespace, [i]);
  });
  const joined = new Set<string>();
  // Joining grows components, which may bring new namespaces in: repeat until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    const withWildcard = new Set<number>();
    keys.forEach((k, i) => {
      if (k.wildcardRule) withWildcard.add(sets.find(i));
    });
    keys.forEach((k, i) => {
      if (joined.has(k.namespace) || !withWildcard.has(sets.find(i))) return;
      joined.add(k.namespace);
      for (const rule of rulesByNamespace.get(k.namespace) ?? []) sets.union(i, rule);
      changed = true;
    });
  }
}

function group(resources: readonly PlacedResource[], sets: DisjointSets): Partition {
  const components: PlacedResource[][] = [];
  const componentOf = new Int32Array(resources.length);
  const slotOfRoot = new Int32Array(resources.length).fill(-1);
  resources.forEach((resource, i) => {
    const root = sets.find(i);
    let slot = slotOfRoot[root];
    if (slot === -1) {
      slot = components.length;
      slotOfRoot[root] = slot;
      components.push([]);
    }
    components[slot]?.push(resource);
    componentOf[i] = slot;
  });
  return { components, componentOf };
}

/** Union–find over 0…n-1 (path halving, union by size). */
class DisjointSets {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.size = new Int32Array(n).fill(1);
  }

  find(i: number): number {
    const parent = this.parent;
    let x = i;
    while (parent[x] !== x) {
      const grand = parent[parent[x]];
      parent[x] = grand;
      x = grand;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}
