import { mapping } from './yamlLines';

export interface Metadata {
  readonly name: string;
  /** Left out when undefined, as people often do for `default`. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export function metadataLines({ name, namespace, labels }: Metadata): string[] {
  const out = ['metadata:', `  name: ${name}`];
  if (namespace !== undefined) out.push(`  namespace: ${namespace}`);
  if (labels && Object.keys(labels).length) out.push(...mapping('labels', labels).map((line) => `  ${line}`));
  return out;
}

/** `apiVersion`, `kind` and `metadata`: how every resource starts. */
export function resourceHead(apiVersion: string, kind: string, metadata: Metadata): string[] {
  return [`apiVersion: ${apiVersion}`, `kind: ${kind}`, ...metadataLines(metadata)];
}

export const ISTIO_NETWORKING = 'networking.istio.io/v1';
