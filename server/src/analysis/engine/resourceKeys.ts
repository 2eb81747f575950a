import { expandHost } from '../model/hosts';
import { namespaceOf, type Resource } from '../model/resources';
import type { WorkspaceRule } from '../rules/rule';
import { hostKey, type Relation } from '../workspace/relation';
import { storedUnder } from '../workspace/workspaceIndex';

/**
 * The keys a resource is found under (`storedUnder`) and those it reads through the relations the workspace rules
 * declare: `partition.ts` splits the workspace along them. Two resources that share no key, directly or through a
 * chain of resources, never read each other.
 */
export interface ResourceKeys {
  /** Exact keys (`relation.ts`), as ids (`KeyRegistry.id`): those it is stored under and those it reads. */
  readonly exact: readonly number[];
  /** The ids among `exact` that it is stored under (`storedUnder`): what a read of the key finds. */
  readonly stored: readonly number[];
  /** Hosts it reads, which a wildcard host elsewhere may match. */
  readonly hosts: readonly string[];
  /** Its wildcard hosts, as the suffix a matching host ends with (`.example.com`; '' matches every host). */
  readonly wildcardSuffixes: readonly string[];
  readonly namespace: string;
  /** A DestinationRule with a wildcard host: its quick fix (guard rules) reads the names of other DRs. */
  readonly wildcardRule: boolean;
  readonly isDestinationRule: boolean;
}

/** The relations a set of workspace rules reads through, each once. */
export function relationsOf(rules: readonly WorkspaceRule[]): Relation[] {
  return [...new Set(rules.flatMap((r) => r.reads))];
}

/**
 * Key strings as small numbers, so partitioning indexes arrays instead of hashing strings, and each resource's keys,
 * cached (a resource belongs to one parse, reused while its document text is unchanged). One per analysis: keys of
 * documents long gone stay registered until `renew` drops every id handed out.
 */
export class KeyRegistry {
  private ids = new Map<string, number>();
  private cache = new WeakMap<Resource, { readonly domain: string; readonly keys: ResourceKeys }>();

  constructor(private readonly relations: readonly Relation[]) {}

  /** One more than the largest key id handed out. */
  get count(): number {
    return this.ids.size;
  }

  /**
   * Starts the ids afresh when most registered keys belong to no live resource (`live`: keys in use now); then every
   * `keysOf` must be asked again. Returns whether it did.
   */
  renew(live: number): boolean {
    if (this.ids.size < 100_000 || this.ids.size < 4 * live) return false;
    this.ids = new Map();
    this.cache = new WeakMap();
    return true;
  }

  keysOf(resource: Resource, clusterDomain: string): ResourceKeys {
    const cached = this.cache.get(resource);
    if (cached?.domain === clusterDomain) return cached.keys;
    const keys = this.computeKeys(resource, clusterDomain);
    this.cache.set(resource, { domain: clusterDomain, keys });
    return keys;
  }

  private id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  private computeKeys(resource: Resource, clusterDomain: string): ResourceKeys {
    const exact: number[] = [];
    const hosts: string[] = [];
    const wildcardSuffixes: string[] = [];
    let storing = true;
    const stored: number[] = [];
    const sink = {
      key: (key: string) => {
        const id = this.id(key);
        exact.push(id);
        if (storing) stored.push(id);
      },
      host: (host: string) => {
        exact.push(this.id(hostKey(host)));
        hosts.push(host);
      },
      wildcard: (suffix: string) => wildcardSuffixes.push(suffix),
    };
    storedUnder(resource, clusterDomain, sink);
    storing = false;
    for (const relation of this.relations) relation.asks(resource, clusterDomain, sink);
    const isDestinationRule = resource.kindName === 'DestinationRule';
    const wildcardRule = isDestinationRule && resource.host !== undefined && expandHost(resource.host.value, namespaceOf(resource), clusterDomain).startsWith('*');
    return { exact, stored, hosts, wildcardSuffixes, namespace: namespaceOf(resource), wildcardRule, isDestinationRule };
  }
}

/** Every `.suffix` a host ends with (`a.b.c` → `.b.c`, `.c`): where a `*.suffix` wildcard would match it. */
export function dotSuffixes(host: string): string[] {
  const out: string[] = [];
  for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) out.push(host.slice(i));
  return out;
}
