/** The resources found beside an egress set-up that the checks must read past. */
import { resourceHead, type Metadata } from './metadata';
import { indent, listItem, mapping } from './yamlLines';

export interface BlockScalarEntry {
  readonly key: string;
  /** `|` keeps the line breaks, `>` folds them. */
  readonly style: '|' | '>';
  readonly lines: readonly string[];
}

export function configMap(metadata: Metadata, data: readonly BlockScalarEntry[]): string[] {
  return [...resourceHead('v1', 'ConfigMap', metadata), 'data:', ...indent(data.flatMap((d) => [`${d.key}: ${d.style}`, ...indent(d.lines)]))];
}

export interface DeploymentSpec {
  readonly metadata: Metadata;
  /** The `app` label of the pods, and their selector. */
  readonly app: string;
  readonly replicas: number;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  readonly requests: { readonly cpu: string; readonly memory: string };
}

/** A Deployment of one container, its pods injected with a sidecar. */
export function deployment({ metadata, app, replicas, image, env, requests }: DeploymentSpec): string[] {
  const container = [
    'name: app',
    `image: ${image}`,
    'env:',
    ...Object.entries(env).flatMap(([name, value]) => listItem([`name: ${name}`, `value: ${value}`])),
    'resources:',
    ...indent(mapping('requests', { cpu: requests.cpu, memory: requests.memory })),
  ];
  const template = [
    'metadata:',
    ...indent([...mapping('labels', { app }), ...mapping('annotations', { 'sidecar.istio.io/inject': '"true"' })]),
    'spec:',
    ...indent(['containers:', ...listItem(container)]),
  ];
  const spec = [`replicas: ${replicas}`, 'selector:', ...indent(mapping('matchLabels', { app })), 'template:', ...indent(template)];
  return [...resourceHead('apps/v1', 'Deployment', metadata), 'spec:', ...indent(spec)];
}
