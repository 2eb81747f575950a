/**
 * The user's file as the probe sees it: the analysis model's resources with where they stand, so drift and blame
 * can point at a line. `PlacedResource` from the analysis workspace fits `FileResource` as is.
 */
import type { DestinationRuleResource, EndpointsResource, Located, ServiceResource } from '../analysis/model/resources';
import type { Range } from '../analysis/text';

export interface FileResource<R> {
  readonly resource: R;
  /** The file, when known; locations carry it through to the editor. */
  readonly uri?: string;
  /** Line where the resource's YAML document starts: model ranges are relative to it. */
  readonly startLine?: number;
}

export interface ProbeFileModel {
  readonly service?: FileResource<ServiceResource>;
  readonly endpoints?: FileResource<EndpointsResource>;
  /** DestinationRules of the file (or workspace); the probe picks those whose name and namespace it meets live. */
  readonly destinationRules?: readonly FileResource<DestinationRuleResource>[];
}

/** A place in the user's file: a file range (document offset applied), 0-based like LSP. */
export interface FileLocation {
  readonly uri?: string;
  readonly range: Range;
}

export function locate<R>(at: FileResource<R>, value: Located<unknown> | undefined): FileLocation | undefined {
  if (!value) return undefined;
  const shift = at.startLine ?? 0;
  const range: Range = {
    start: { line: value.range.start.line + shift, character: value.range.start.character },
    end: { line: value.range.end.line + shift, character: value.range.end.character },
  };
  return at.uri === undefined ? { range } : { uri: at.uri, range };
}

/** A file resource's namespace; one written without namespace is taken to be applied to the probed namespace. */
export function fileNamespace(resource: { readonly namespace?: Located<string> }, fallback: string): string {
  return resource.namespace?.value || fallback;
}

/** The file's DestinationRule with this name and namespace, if the file has it. */
export function fileDestinationRule(model: ProbeFileModel | undefined, name: string, namespace: string, targetNamespace: string): FileResource<DestinationRuleResource> | undefined {
  return model?.destinationRules?.find((d) => d.resource.name?.value === name && fileNamespace(d.resource, targetNamespace) === namespace);
}

/** The `tls.mode` that applies to `port` in a file DestinationRule: port-level first, then the top level. */
export function fileTlsModeFor(rule: DestinationRuleResource, port: number): Located<string> | undefined {
  const level = rule.trafficPolicy?.portLevelSettings.find((s) => s.port?.value === port && s.tls?.mode);
  return level?.tls?.mode ?? rule.trafficPolicy?.tls?.mode;
}
