/** A step's verdict and the evidence behind it. */
import type { ExecOutcome } from './evidence/execOutcome';
import type { EnvoyLocalReply, SidecarSigns } from './evidence/httpResponse';
import type { TlsTrace } from './evidence/tlsTrace';
import type { FileLocation } from './fileModel';

export type VerdictStatus = 'pass' | 'fail' | 'skipped' | 'error';

/** The field of the user's configuration a failure most likely comes from; the editor shows it as a diagnostic. */
export interface Blame {
  readonly kind: 'DestinationRule' | 'Service' | 'Endpoints' | 'ServiceEntry';
  readonly name: string;
  readonly namespace: string;
  /** Dotted path, e.g. `spec.trafficPolicy.tls.mode`, `spec.externalName`. */
  readonly field: string;
  /** The analysis rule that describes the mistake, when there is one (EGR402). */
  readonly rule?: string;
  readonly message: string;
  /** Where the field stands in the user's file, when the file holds this resource. */
  readonly location?: FileLocation;
}

/** How a failure looked, the vocabulary the cause analysis reasons with. */
export type FailureSignature =
  | 'envoy-upstream-error'
  | 'envoy-blackhole'
  | 'envoy-refused'
  | 'http-error'
  | 'no-response'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-handshake'
  | 'untrusted'
  | 'empty-reply'
  | 'reset'
  | 'wrong-ip'
  | 'curl-other';

export interface StepEvidence {
  readonly outcome: ExecOutcome;
  readonly http?: {
    readonly status: number;
    readonly statusLine: string;
    readonly sidecar: SidecarSigns;
    readonly localReply?: EnvoyLocalReply;
    /** The `Host` the server saw, when it echoed the request headers. */
    readonly echoedHost?: string;
  };
  readonly tls?: TlsTrace;
  readonly failure?: FailureSignature;
  readonly truncated: boolean;
}

export interface Verdict {
  readonly status: VerdictStatus;
  /** One line. */
  readonly summary: string;
  readonly details: readonly string[];
  readonly likelyCause?: string;
  readonly blame?: Blame;
  readonly evidence?: StepEvidence;
  readonly timing: { readonly startedAt?: number; readonly durationMs: number };
}
