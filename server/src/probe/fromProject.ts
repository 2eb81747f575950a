import { namespaceOf } from '../analysis/model/resources';
import type { WorkspaceIndex } from '../analysis/workspace/workspaceIndex';
import { destinationOf } from '../analysis/workspace/destinations';
import type { AnalysisOptions } from '../analysis/options';
import type { ProbeFileModel } from './fileModel';

/**
 * The probe's view of a Service as the files define it: the Service, its Endpoints and the DestinationRules that
 * name it, each with where it stands. Without a namespace, the first Service of that name is taken.
 */
export function probeFileModel(index: WorkspaceIndex, options: AnalysisOptions, name: string, namespace?: string): ProbeFileModel | undefined {
  const service = namespace ? index.service(namespace, name) : [...index.services.values()].flat().find((s) => s.resource.name?.value === name);
  if (!service) return undefined;
  const ns = namespaceOf(service.resource);
  const endpoints = index.endpointsOf(ns, name)[0];
  const destinationRules = index.destinationRules.filter((rule) => {
    const target = destinationOf(rule, index, options);
    return target?.kind === 'service' && target.service.uri === service.uri && target.service.startLine === service.startLine;
  });
  return { service, ...(endpoints ? { endpoints } : {}), destinationRules };
}
