/** For one port: which URL curl asks for, with which flags, and what a success would prove. */
import { httpCurl, httpUrl, httpsUrl, tlsCurl } from './curlCommands';
import type { LivePort } from './kubeObjects';
import type { AppliedRule, EvidenceParser, PlannedTarget, StepKind } from './planTypes';
import type { ProbeSettings } from '../shared/probeSettings';
import { checkHostname } from './validate';

export interface CurlChoice {
  readonly curl: readonly string[];
  readonly step: {
    readonly kind: StepKind;
    readonly url: string;
    readonly parser: EvidenceParser;
    readonly proves: string;
    readonly clusterIP?: string;
    readonly tlsHost?: string;
    readonly tlsHostFrom?: 'given' | 'sni' | 'externalName';
  };
}

export interface SkippedPort {
  readonly skip: string;
  /** True when only a TLS host name is missing: the UI asks for it and plans again. */
  readonly needsHost?: boolean;
}

export interface CurlTargetInput {
  readonly planned: PlannedTarget;
  readonly port: LivePort;
  readonly kind: 'http' | 'tls';
  readonly settings: ProbeSettings;
  readonly rule: AppliedRule | undefined;
  readonly tlsHost?: string;
}

export function curlTarget(input: CurlTargetInput): CurlChoice | SkippedPort {
  const { planned, port, settings } = input;
  const maxTime = settings.curlMaxTimeSeconds;
  if (input.kind === 'http') {
    const url = httpUrl(planned.fqdn, port.port, settings.httpPath);
    return {
      curl: httpCurl(url, maxTime),
      step: { kind: 'http', url, parser: 'http-dump', proves: `HTTP to ${planned.fqdn}:${port.port} reaches ${planned.externalName ?? 'the Service'}` },
    };
  }
  if (planned.type === 'ExternalName' && planned.externalName) {
    // The certificate is the external host's, so the alias name cannot be used for TLS: this tests the target only.
    const host = planned.externalName;
    return {
      curl: tlsCurl(host, port.port, maxTime),
      step: {
        kind: 'tls-external',
        url: httpsUrl(host, port.port),
        parser: 'tls-trace',
        tlsHost: host,
        tlsHostFrom: 'externalName',
        proves: `TLS with ${host}:${port.port}, the ExternalName target itself (not the alias ${planned.fqdn}, whose name the certificate does not carry)`,
      },
    };
  }
  const clusterIP = planned.clusterIP;
  if (!clusterIP || clusterIP === 'None') {
    return { skip: `port ${port.port}: a headless Service has no cluster IP to pin the TLS host name to with --resolve` };
  }
  const chosen = chooseHost(input);
  if ('skip' in chosen) return chosen;
  return {
    curl: tlsCurl(chosen.host, port.port, maxTime, clusterIP),
    step: {
      kind: 'tls',
      url: httpsUrl(chosen.host, port.port),
      parser: 'tls-trace',
      clusterIP,
      tlsHost: chosen.host,
      tlsHostFrom: chosen.from,
      proves: `TLS to ${chosen.host} through the Service's cluster IP ${clusterIP}:${port.port}`,
    },
  };
}

function chooseHost(input: CurlTargetInput): { host: string; from: 'given' | 'sni' } | SkippedPort {
  if (input.tlsHost) return { host: input.tlsHost, from: 'given' };
  const sni = input.rule?.sni?.toLowerCase();
  if (sni) {
    const problem = checkHostname('sni', sni);
    if (!problem) return { host: sni, from: 'sni' };
    return { skip: `port ${input.port.port}: DestinationRule ${input.rule?.namespace}/${input.rule?.name} has an unusable sni (${problem.reason}); give the TLS host name`, needsHost: true };
  }
  return {
    skip: `port ${input.port.port} speaks TLS and the server's host name is unknown (no ExternalName, no DestinationRule sni); give the TLS host name (e.g. en.wikipedia.org)`,
    needsHost: true,
  };
}
