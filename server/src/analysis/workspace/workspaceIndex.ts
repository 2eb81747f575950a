import { serviceKey } from '../model/hosts';
import {
  namespaceOf,
  type DestinationRuleResource,
  type EndpointsResource,
  type Resource,
  type ServiceEntryResource,
  type ServiceResource,
  type VirtualServiceResource,
} from '../model/resources';
import type { FileModel } from './fileModel';
import { placeResource, type PlacedResource } from './placed';

/** Every egress resource known, by the names the rules look them up with. */
export class WorkspaceIndex {
  readonly services = new Map<string, PlacedResource<ServiceResource>[]>();
  readonly endpoints = new Map<string, PlacedResource<EndpointsResource>[]>();
  readonly destinationRules: PlacedResource<DestinationRuleResource>[] = [];
  readonly serviceEntries: PlacedResource<ServiceEntryResource>[] = [];
  readonly virtualServices: PlacedResource<VirtualServiceResource>[] = [];

  static build(files: Iterable<FileModel>): WorkspaceIndex {
    const index = new WorkspaceIndex();
    for (const file of files) {
      for (const doc of file.documents) {
        const placed = placeResource(doc);
        if (placed) index.add(placed);
      }
    }
    return index;
  }

  private add(placed: PlacedResource): void {
    const r: Resource = placed.resource;
    switch (r.kindName) {
      case 'Service':
        if (r.name) push(this.services, serviceKey(namespaceOf(r), r.name.value), { ...placed, resource: r });
        break;
      case 'Endpoints':
        if (r.name) push(this.endpoints, serviceKey(namespaceOf(r), r.name.value), { ...placed, resource: r });
        break;
      case 'DestinationRule':
        this.destinationRules.push({ ...placed, resource: r });
        break;
      case 'ServiceEntry':
        this.serviceEntries.push({ ...placed, resource: r });
        break;
      case 'VirtualService':
        this.virtualServices.push({ ...placed, resource: r });
        break;
      case 'Other':
        break;
    }
  }

  service(namespace: string, name: string): PlacedResource<ServiceResource> | undefined {
    return this.services.get(serviceKey(namespace, name))?.[0];
  }

  endpointsOf(namespace: string, name: string): readonly PlacedResource<EndpointsResource>[] {
    return this.endpoints.get(serviceKey(namespace, name)) ?? [];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
