/** What the user asks to probe, and its validation: every value refused here never reaches a command line. */
import type { ProbeFileModel } from './fileModel';
import type { ProbeSettings } from '../shared/probeSettings';
import { checkContextName, checkDnsLabel, checkFilePath, checkHostname, checkLabelSelector, checkPort, checkServiceName, checkUrlPath, type Checked, type ValidationError } from './validate';

export interface ProbeTarget {
  /** The Service's namespace; runProbe falls back to the context's namespace, then `default`. */
  readonly namespace?: string;
  readonly name: string;
  /** Probe this port only (default: every port of the Service). */
  readonly port?: number;
  /** The TLS host name for `--resolve` on TLS ports, when neither the ExternalName nor a DestinationRule `sni` gives it. */
  readonly tlsHost?: string;
  /** The user's file, for drift and for blame locations. */
  readonly file?: ProbeFileModel;
}

function positiveInteger(field: string, value: number, max: number): Checked {
  return Number.isInteger(value) && value >= 1 && value <= max ? undefined : { field, value: String(value), reason: `it must be an integer from 1 to ${max}` };
}

export function validateSettings(settings: ProbeSettings): ValidationError[] {
  return [
    checkHostname('clusterDomain', settings.clusterDomain),
    checkUrlPath('httpPath', settings.httpPath),
    checkDnsLabel('noSidecarNamespace', settings.noSidecarNamespace),
    ...(settings.sourceSelectors.length
      ? settings.sourceSelectors.map((s) => checkLabelSelector('sourceSelector', s))
      : [{ field: 'sourceSelector', value: '', reason: 'at least one selector is needed' }]),
    positiveInteger('curlMaxTimeSeconds', settings.curlMaxTimeSeconds, 600),
    positiveInteger('requestTimeoutSeconds', settings.requestTimeoutSeconds, 600),
    positiveInteger('maxOutputBytes', settings.maxOutputBytes, 256 * 1024 * 1024),
  ].filter((e): e is ValidationError => e !== undefined);
}

export function validateTarget(target: ProbeTarget): ValidationError[] {
  return [
    checkServiceName('service', target.name),
    target.namespace === undefined ? undefined : checkDnsLabel('namespace', target.namespace),
    target.port === undefined ? undefined : checkPort('port', target.port),
    target.tlsHost === undefined ? undefined : checkHostname('tlsHost', target.tlsHost),
  ].filter((e): e is ValidationError => e !== undefined);
}

export function validateConnection(options: { kubectlPath?: string; kubeconfig?: string; context?: string }): ValidationError[] {
  return [
    options.kubectlPath === undefined ? undefined : checkFilePath('kubectlPath', options.kubectlPath),
    options.kubeconfig === undefined ? undefined : checkFilePath('kubeconfig', options.kubeconfig),
    options.context === undefined ? undefined : checkContextName('context', options.context),
  ].filter((e): e is ValidationError => e !== undefined);
}
