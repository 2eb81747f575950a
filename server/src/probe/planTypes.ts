/** The plan's shapes: what the planner returns and what the orchestrator, the verdicts and the adapters read. */
import type { Drift, LiveState } from './drift';
import type { LivePort, LiveService, LiveServiceEntry } from './kubeObjects';
import type { SourcePod } from './sourcePods';

export type StepKind = 'http' | 'tls' | 'tls-external';
export type EvidenceParser = 'http-dump' | 'tls-trace';

/** The DestinationRule a sidecar applies to the step's port, as it is live. */
export interface AppliedRule {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly mode?: string;
  readonly sni?: string;
  readonly portLevel: boolean;
}

export interface ProbeStep {
  /** `<mode>:<port>`, unique in a plan. */
  readonly id: string;
  readonly source: SourcePod;
  readonly port: LivePort;
  readonly kind: StepKind;
  readonly url: string;
  /** kubectl arguments, global flags (`--context`…) not included: `['exec', pod, '-n', ns, '-c', c, '--', 'curl', …]`. */
  readonly argv: readonly string[];
  readonly proves: string;
  readonly parser: EvidenceParser;
  /** TLS steps: the IP curl must report in `Connected to … (<ip>)`. */
  readonly clusterIP?: string;
  readonly tlsHost?: string;
  readonly tlsHostFrom?: 'given' | 'sni' | 'externalName';
  readonly destinationRule?: AppliedRule;
}

export interface PlannedTarget {
  readonly namespace: string;
  readonly name: string;
  readonly fqdn: string;
  readonly type: string;
  readonly clusterIP?: string;
  readonly externalName?: string;
  /** The host the mesh routes to: the ExternalName target from Istio 1.21, else the Service's FQDN. */
  readonly meshHost: string;
  /** ExternalName or selector-less: its endpoints have no sidecar. */
  readonly external: boolean;
}

export interface LiveObjects extends LiveState {
  readonly service: LiveService;
  readonly serviceEntries: readonly LiveServiceEntry[];
}

export interface ProbePlan {
  readonly kind: 'plan';
  readonly target: PlannedTarget;
  readonly live: LiveObjects;
  readonly drift: Drift;
  readonly sources: readonly SourcePod[];
  readonly steps: readonly ProbeStep[];
  /** TLS ports that need a host name (`tlsHost`) before they can be probed; ask the user and plan again. */
  readonly needsTlsHost: readonly { readonly port: LivePort; readonly reason: string }[];
  readonly skippedPorts: readonly { readonly port: LivePort; readonly reason: string }[];
  readonly notes: readonly string[];
}

export type PlanErrorCode = 'invalid-input' | 'service-not-found' | 'no-source-pod' | 'no-probeable-port';

export interface PlanError {
  readonly kind: 'plan-error';
  readonly code: PlanErrorCode;
  readonly message: string;
  /** For `invalid-input`: the field refused. */
  readonly field?: string;
  readonly notes?: readonly string[];
}
