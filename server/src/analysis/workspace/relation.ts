import type { Resource } from '../model/resources';
import type { PlacedResource } from './placed';

/**
 * Keys name what the index finds resources by (`workspaceIndex.ts` stores every resource under its keys) and what a
 * resource reads through a relation. Two resources that share a key, or where a wildcard host of one matches a host
 * the other reads, may read each other: `partition.ts` keeps them in one component.
 */
export interface KeySink {
  /** An exact key: `serviceId`, `anyNamespace`, `hostKey` or `objectKey` below. */
  key(key: string): void;
  /** A host read or stored (lower case): its `hostKey`, and also matched against wildcard hosts elsewhere. */
  host(host: string): void;
  /** A wildcard host stored, as the suffix a matching host ends with ('' for `*`). */
  wildcard(suffix: string): void;
}

/** A Service's identity, under which its versions, its Endpoints and its EndpointSlices are found. */
export const serviceId = (namespace: string, name: string): string => `s ${namespace}/${name}`;
/** A Service's name alone, whatever its namespace: where a name written in the wrong namespace is found. */
export const serviceName = (name: string): string => `sn ${name}`;
/** A name in any namespace: a resource written without a namespace lands wherever it is applied. */
export const anyNamespace = (name: string): string => `n ${name}`;
export const hostKey = (host: string): string => `h ${host}`;
/** The VirtualServices that send traffic to a host (expanded in their namespace, lower case). */
export const routeTargetKey = (host: string): string => `rt ${host}`;
/** The resources of one kind in a namespace (PeerAuthentications, Sidecars: they apply namespace by namespace). */
export const namespaceKey = (kind: string, namespace: string): string => `ns ${kind} ${namespace}`;
/** The identity of an object of another kind (same kind, namespace and name: versions of one object). */
export const objectKey = (kind: string, namespace: string, name: string): string => `o ${kind} ${namespace}/${name}`;

/**
 * A way a workspace rule reads other resources from one resource: a DestinationRule its destination, a Service its
 * Endpoints. `asks` lists every key the reads from `resource` use; a rule declares each relation it reads through
 * (`WorkspaceRule.reads`), and the incremental analysis joins resources by those keys, so a rule cannot read what the
 * partition does not know. The index checks each read against the declaration when it is built to check reads.
 */
export interface Relation {
  /** What it reads, as the read check names it. */
  readonly name: string;
  /** The keys `resource` reads through this relation; nothing for kinds that do not read through it. */
  asks(resource: Resource, clusterDomain: string, sink: KeySink): void;
}

/** A read through a relation, from the resource that reads (also the one nearest versions are chosen for). */
export interface Ask {
  readonly from: PlacedResource;
  readonly via: Relation;
}

export function ask(via: Relation, from: PlacedResource): Ask {
  return { from, via };
}
