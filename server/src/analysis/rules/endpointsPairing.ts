import { namespaceOf, type EndpointsResource, type Located, type ServiceResource } from '../model/resources';
import { entryServingService, serviceRoutedElsewhere } from '../workspace/destinations';
import { ask } from '../workspace/relation';
import { ENDPOINTS_SERVICE, SERVICE_CLUSTER_NAME, SERVICE_ENDPOINTS } from '../workspace/relations';
import type { PlacedResource } from '../workspace/placed';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { createEndpointsFor } from './fixes/endpointsForService';
import { renameEndpointsPort } from './fixes/endpointsPortName';
import { createServiceFor } from './fixes/serviceForEndpoints';
import type { WorkspaceRule } from './rule';

/**
 * A selector-less Service forwards only to the Endpoints of the same name in its namespace (or to EndpointSlices
 * labelled with its name), and only on ports whose names match
 * (docs/istio-behaviour.md#services-without-selectors-and-their-endpoints).
 */
export const serviceWithoutEndpoints: WorkspaceRule = {
  code: 'EGR301',
  name: 'service-without-endpoints',
  title: 'A Service without selector needs an Endpoints of the same name',
  severity: 'warning',
  scope: 'workspace',
  reads: [SERVICE_ENDPOINTS, SERVICE_CLUSTER_NAME],
  check(index, _options, report) {
    for (const list of index.services.values()) {
      for (const placed of list) {
        const service = placed.resource;
        if (service.selector || service.type?.value === 'ExternalName' || !service.name) continue;
        const namespace = namespaceOf(service);
        // Hand-written EndpointSlices labelled with the Service's name serve it as well as Endpoints do.
        const endpoints = ask(SERVICE_ENDPOINTS, placed);
        if (index.endpointsOf(namespace, service.name.value, endpoints).length || index.endpointSlicesOf(namespace, service.name.value, endpoints).length) continue;
        // A ServiceEntry for the Service's own cluster name with endpoints (or workloads) gives mesh clients addresses:
        // Istio joins the endpoints of one host in one namespace.
        if (entryServingService(placed, index)) continue;
        // Mesh clients sent to other hosts by a VirtualService never use this Service's endpoints.
        if (serviceRoutedElsewhere(placed, index)) continue;
        const fix = createEndpointsFor(placed);
        report({
          at: placed,
          range: service.name.range,
          message: `Service '${service.name.value}' has no selector, and no Endpoints named '${service.name.value}' (or EndpointSlice labelled kubernetes.io/service-name: ${service.name.value}) in namespace '${namespace}' is known: its cluster IP forwards nowhere until one exists.`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};

interface PairedEndpoints {
  readonly placed: PlacedResource<EndpointsResource>;
  readonly name: Located<string>;
  readonly namespace: string;
  /** The Service of the same name and namespace, if any. */
  readonly service: PlacedResource<ServiceResource> | undefined;
}

/** Every named Endpoints with the Service it would serve: among versions of that Service, the one nearest it. */
function* endpointsWithService(index: WorkspaceIndex): Generator<PairedEndpoints> {
  for (const list of index.endpoints.values()) {
    for (const placed of list) {
      const name = placed.resource.name;
      if (!name) continue;
      const namespace = namespaceOf(placed.resource);
      yield { placed, name, namespace, service: index.service(namespace, name.value, ask(ENDPOINTS_SERVICE, placed), placed) };
    }
  }
}

export const endpointsWithoutService: WorkspaceRule = {
  code: 'EGR302',
  name: 'endpoints-without-service',
  title: 'An Endpoints must belong to a selector-less Service of the same name',
  severity: 'warning',
  scope: 'workspace',
  reads: [ENDPOINTS_SERVICE],
  check(index, _options, report) {
    for (const { placed, name, namespace, service } of endpointsWithService(index)) {
      if (!service) {
        const fix = createServiceFor(placed);
        report({
          at: placed,
          range: name.range,
          message: `No Service named '${name.value}' in namespace '${namespace}' is known: Endpoints serve only the Service of the same name and namespace.`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      } else if (service.resource.selector) {
        report({
          at: placed,
          range: name.range,
          message: `Service '${name.value}' has a selector, so Kubernetes manages its Endpoints and replaces these addresses. Remove the selector to list external IPs by hand.`,
          related: [{ at: service, range: service.resource.selector.keyRange ?? service.resource.selector.range, message: 'the selector' }],
        });
      }
    }
  },
};

export const endpointsPortNames: WorkspaceRule = {
  code: 'EGR303',
  name: 'endpoints-port-names',
  title: "Endpoints port names must match the Service's port names",
  severity: 'error',
  scope: 'workspace',
  reads: [ENDPOINTS_SERVICE],
  check(index, _options, report) {
    for (const { placed, name: endpointsName, service } of endpointsWithService(index)) {
      if (!service || service.resource.selector || service.resource.type?.value === 'ExternalName') continue;
      const serviceNames = new Set(service.resource.ports.map((p) => p.name?.value ?? ''));
      const shown = [...serviceNames].map((n) => (n ? `'${n}'` : '(unnamed)')).join(', ');
      for (const subset of placed.resource.subsets) {
        for (const port of subset.ports) {
          const name = port.name?.value ?? '';
          if (serviceNames.has(name)) continue;
          const firstPort = service.resource.ports[0];
          const fix = renameEndpointsPort(placed, subset, port, service.resource);
          report({
            at: placed,
            range: port.name?.range ?? port.port?.range ?? port.range,
            message: `Endpoints port ${name ? `'${name}'` : '(unnamed)'} matches no port of Service '${endpointsName.value}' (${shown || 'no ports'}): ports are paired by name, so no traffic reaches it.`,
            related: firstPort ? [{ at: service, range: firstPort.name?.range ?? firstPort.range, message: "the Service's ports" }] : [],
            ...(fix ? { fixes: [fix] } : {}),
          });
        }
      }
    }
  },
};
