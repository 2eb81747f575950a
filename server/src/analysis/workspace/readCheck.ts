import type { Resource } from '../model/resources';
import { hostKey, type Ask, type Relation } from './relation';

/** What the read check needs of a workspace rule. */
export interface CheckedRule {
  readonly code: string;
  readonly reads: readonly Relation[];
}

interface Asked {
  readonly keys: ReadonlySet<string>;
  readonly hosts: ReadonlySet<string>;
}

/**
 * Holds a running workspace rule to what it declares: every read goes through a relation the rule lists in `reads`,
 * and reads only keys that the relation's `asks` lists for the reading resource. Those keys are what the partition
 * joins by, so a read outside them is a finding the incremental analysis would keep stale; the check makes that an
 * error at once, naming the rule, the relation and the key. The reference analysis and the tests build their index
 * with it.
 */
export class ReadCheck {
  private rule: CheckedRule | undefined;
  private readonly asked = new WeakMap<Resource, Map<Relation, Asked>>();

  constructor(private readonly clusterDomain: string) {}

  begin(rule: CheckedRule): void {
    this.rule = rule;
  }

  end(): void {
    this.rule = undefined;
  }

  /** An exact read of `key`. */
  read(ask: Ask | undefined, key: string, what: string): void {
    const asked = this.asksOf(ask, what);
    if (asked && !asked.keys.has(key)) this.fail(ask, `reads ${what} (key '${key}')`);
  }

  /** A read of a host, which wildcard hosts may also answer. */
  readHost(ask: Ask | undefined, host: string, what: string): void {
    const asked = this.asksOf(ask, what);
    if (asked && (!asked.hosts.has(host) || !asked.keys.has(hostKey(host)))) this.fail(ask, `reads ${what} (host '${host}')`);
  }

  private asksOf(ask: Ask | undefined, what: string): Asked | undefined {
    const rule = this.rule;
    if (!rule) return undefined;
    if (!ask) throw new Error(`${rule.code} reads ${what} without naming the relation it reads through`);
    if (!rule.reads.includes(ask.via)) throw new Error(`${rule.code} reads through '${ask.via.name}', which its 'reads' does not list`);
    const resource = ask.from.resource;
    let byRelation = this.asked.get(resource);
    if (!byRelation) {
      byRelation = new Map();
      this.asked.set(resource, byRelation);
    }
    let asked = byRelation.get(ask.via);
    if (!asked) {
      const keys = new Set<string>();
      const hosts = new Set<string>();
      ask.via.asks(resource, this.clusterDomain, {
        key: (k) => keys.add(k),
        host: (h) => {
          hosts.add(h);
          keys.add(hostKey(h));
        },
        wildcard: () => undefined,
      });
      asked = { keys, hosts };
      byRelation.set(ask.via, asked);
    }
    return asked;
  }

  private fail(ask: Ask | undefined, what: string): never {
    const from = ask?.from.resource;
    const name = from ? `${from.kind.value} '${from.name?.value ?? ''}'` : 'a resource';
    throw new Error(`${this.rule?.code ?? '?'}: ${name} ${what} through '${ask?.via.name ?? '?'}', whose asks() does not list it: the incremental analysis would not see that read`);
  }
}
