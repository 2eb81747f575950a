/**
 * The language server's own requests: their names, parameters and results, for the server that answers them and the
 * client that sends them. Plain data: the client runs the probe; the server says what the files define.
 */
import type { ProbeFileModel } from '../probe/fileModel';

export const PROBE_TARGET_REQUEST = 'istioEgress/probeTarget';
export const SERVICES_REQUEST = 'istioEgress/services';

export interface ProbeTargetParams {
  readonly uri: string;
  /** The cursor: the Service there, or the Service a DestinationRule or Endpoints there refers to. */
  readonly position?: { readonly line: number; readonly character: number };
  readonly name?: string;
  readonly namespace?: string;
}

export interface ProbeTargetResult {
  readonly name: string;
  /** Only when the file says so; otherwise the probe takes the context's namespace. */
  readonly namespace?: string;
  readonly file: ProbeFileModel;
}

export interface ServiceSummary {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly uri: string;
  readonly line: number;
}

/**
 * Sent by the client when the user trusts the workspace after the server started. Until then (the server's
 * `initializationOptions.workspaceTrusted` is false) the server runs no program of the workspace's choosing: no helm.
 */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'istioEgress/workspaceTrusted';
