import { ISTIO_NETWORKING, resourceHead, type Metadata } from './metadata';
import { indent, listItem, mapping, sequence } from './yamlLines';

export interface TlsSettings {
  readonly mode: string;
  readonly sni?: string;
}

export interface PortTls {
  readonly port: number;
  readonly tls: TlsSettings;
}

export interface TrafficPolicy {
  /** A `connectionPool.tcp.connectTimeout`, the usual neighbour of a tls block. */
  readonly connectTimeout?: string;
  readonly tls?: TlsSettings;
  readonly portLevelSettings?: readonly PortTls[];
}

export interface DestinationRuleSpec {
  readonly metadata: Metadata;
  /** Written as given: callers pass odd hosts (`""`, wildcards, upper case) on purpose. */
  readonly host: string;
  readonly exportTo?: readonly string[];
  readonly workloadLabels?: Readonly<Record<string, string>>;
  readonly trafficPolicy: TrafficPolicy;
}

function tlsLines({ mode, sni }: TlsSettings): string[] {
  return ['tls:', `  mode: ${mode}`, ...(sni === undefined ? [] : [`  sni: ${sni}`])];
}

export function portLevelSettingsLines(settings: readonly PortTls[]): string[] {
  return ['portLevelSettings:', ...settings.flatMap((s) => listItem(['port:', `  number: ${s.port}`, ...tlsLines(s.tls)]))];
}

export function trafficPolicyLines({ connectTimeout, tls, portLevelSettings }: TrafficPolicy): string[] {
  const policy = [
    ...(connectTimeout === undefined ? [] : ['connectionPool:', '  tcp:', `    connectTimeout: ${connectTimeout}`]),
    ...(tls ? tlsLines(tls) : []),
    ...(portLevelSettings ? portLevelSettingsLines(portLevelSettings) : []),
  ];
  return ['trafficPolicy:', ...indent(policy)];
}

export function workloadSelectorLines(labels: Readonly<Record<string, string>>): string[] {
  return ['workloadSelector:', ...indent(mapping('matchLabels', labels))];
}

export function destinationRule({ metadata, host, exportTo, workloadLabels, trafficPolicy }: DestinationRuleSpec): string[] {
  const spec = [`host: ${host}`, ...(exportTo ? sequence('exportTo', exportTo) : []), ...(workloadLabels ? workloadSelectorLines(workloadLabels) : []), ...trafficPolicyLines(trafficPolicy)];
  return [...resourceHead(ISTIO_NETWORKING, 'DestinationRule', metadata), 'spec:', ...indent(spec)];
}
