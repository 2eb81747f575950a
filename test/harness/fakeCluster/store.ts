/**
 * The objects the fake API server holds, keyed as the API addresses them, and the pod fixtures behind its Pods (exec
 * needs a pod's containers and network, which the Pod object does not carry).
 */
import { randomUUID } from 'node:crypto';
import { CREATED, defaultService, namespaceObject, podObject } from './objects';
import { groupOf, RESOURCES, type ResourceType } from './resourceTypes';
import type { ClusterFixture, KubeObject, PodFixture } from './types';

/** The served type of an object, by its apiVersion's group and its kind; throws for a type the cluster does not serve. */
export function typeOfObject(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
  const [group] = groupOf(obj.apiVersion);
  const rt = RESOURCES.find((r) => r.group === group && r.kind === obj.kind);
  if (!rt) throw new Error(`fake cluster does not serve ${obj.apiVersion} ${obj.kind}`);
  return rt;
}

/** The served type a kind (`Service`) or plural (`services`) names, in any case. */
export function typeOfKind(kind: string): ResourceType {
  const rt = RESOURCES.find((r) => r.kind.toLowerCase() === kind.toLowerCase() || r.plural === kind.toLowerCase());
  if (!rt) throw new Error(`fake cluster does not serve kind ${kind}`);
  return rt;
}

function key(rt: ResourceType, namespace: string | undefined, name: string): string {
  return `${rt.group}|${rt.plural}|${rt.namespaced ? (namespace ?? '') : ''}|${name}`;
}

export class ObjectStore {
  /** The cluster's resourceVersion: every change bumps it; objects and lists carry it. */
  private revisionCounter = 1000;
  private readonly objects = new Map<string, KubeObject>();
  private readonly podFixtures = new Map<string, PodFixture>();

  constructor(fixture: Pick<ClusterFixture, 'namespaces' | 'pods' | 'objects'>) {
    for (const ns of fixture.namespaces) this.upsert(namespaceObject(ns));
    for (const pod of fixture.pods) this.addPod(pod);
    for (const obj of fixture.objects ?? []) this.upsert(obj);
  }

  get revision(): number {
    return this.revisionCounter;
  }

  /** Stores a copy, completed as a real server would (namespace, uid, timestamps, Service defaults). */
  upsert(input: KubeObject): void {
    const obj = structuredClone(input);
    const rt = typeOfObject(obj);
    if (rt.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    const k = key(rt, obj.metadata.namespace, obj.metadata.name);
    const previous = this.objects.get(k);
    obj.metadata.uid ??= previous?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= previous?.metadata.creationTimestamp ?? CREATED;
    obj.metadata.resourceVersion = String(++this.revisionCounter);
    if (rt.group !== '') obj.metadata.generation ??= 1;
    defaultService(obj);
    this.objects.set(k, obj);
  }

  addPod(pod: PodFixture): void {
    this.podFixtures.set(`${pod.namespace}/${pod.name}`, pod);
    this.upsert(podObject(pod));
  }

  remove(kind: string, name: string, namespace?: string): boolean {
    const rt = typeOfKind(kind);
    const removed = this.objects.delete(key(rt, namespace ?? 'default', name));
    if (removed) this.revisionCounter++;
    if (rt.kind === 'Pod') this.podFixtures.delete(`${namespace ?? 'default'}/${name}`);
    return removed;
  }

  /** A copy of an object, for tests (`default` namespace unless given). */
  get(kind: string, name: string, namespace?: string): KubeObject | undefined {
    const obj = this.find(typeOfKind(kind), namespace ?? 'default', name);
    return obj ? structuredClone(obj) : undefined;
  }

  /** The stored object itself, for the server (which copies before changing anything). */
  find(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(key(rt, namespace, name));
  }

  all(): KubeObject[] {
    return [...this.objects.values()];
  }

  podFixture(namespace: string, name: string): PodFixture | undefined {
    return this.podFixtures.get(`${namespace}/${name}`);
  }
}
