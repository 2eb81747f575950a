import { pathIs } from '../documents/locate';
import { expandHost, serviceFqdn } from '../model/hosts';
import { classifyIp, parseIp, type IpClass } from '../model/ip';
import { namespaceOf, type DestinationRuleResource, type EndpointsResource, type ServiceResource } from '../model/resources';
import type { Range } from '../text';
import { destinationOf, isExternalService } from '../workspace/destinations';
import { appliedRule } from '../workspace/drPrecedence';
import { placeResource, type PlacedResource } from '../workspace/placed';
import { type AssistContext, sameResource, whereResource } from './context';
import { externalNameIsAlias } from '../model/istioReleases';

export interface HoverFacts {
  readonly markdown: string;
  /** Relative to the document's first line. */
  readonly range: Range;
}

const IP_CLASS: Readonly<Record<IpClass, string>> = {
  public: 'a **public** address: reachable from the cluster only through its egress path.',
  private: 'a **private** (RFC 1918 / ULA) address: it must be routable from the nodes.',
  shared: 'a **carrier-grade NAT** (100.64.0.0/10) address.',
  documentation: 'a **documentation** address (TEST-NET): it reaches nothing real; fine for examples only.',
  multicast: 'a **multicast** address: not a destination for a Service.',
  unspecified: '**refused** by the API server: the unspecified address.',
  loopback: '**refused** by the API server: a loopback address.',
  'link-local': '**refused** by the API server: a link-local address.',
  'link-local-multicast': '**refused** by the API server: a link-local multicast address.',
};

function serviceFacts(ctx: AssistContext, placed: PlacedResource<ServiceResource>): string {
  const service = placed.resource;
  const name = service.name?.value ?? '';
  const namespace = namespaceOf(service);
  const fqdn = serviceFqdn(name, namespace, ctx.options.clusterDomain);
  const lines = [`**Service** \`${name}\` in namespace \`${namespace}\``, '', `- In-cluster DNS name: \`${fqdn}\``];
  if (service.type?.value === 'ExternalName') {
    lines.push(`- ExternalName: no cluster IP; DNS answers with a CNAME to \`${service.externalName?.value ?? '?'}\``);
  } else if (service.selector === undefined) {
    const endpoints = ctx.index.endpointsOf(namespace, name);
    lines.push('- Gets a cluster IP that forwards to hand-written Endpoints (no selector)');
    lines.push(
      endpoints.length
        ? `- Endpoints: ${endpoints.map((e) => `${e.resource.subsets.flatMap((s) => s.addresses.map((a) => a.value)).join(', ') || 'no addresses'} (${whereResource(e)})`).join('; ')}`
        : '- Endpoints: **none known** — the cluster IP forwards nowhere until an Endpoints of the same name exists',
    );
  } else {
    lines.push('- Gets a cluster IP that forwards to the pods its selector matches');
  }
  const rules = ctx.index.destinationRules.filter((r) => {
    const target = destinationOf(r, ctx.index, ctx.options);
    return target?.kind === 'service' && target.service.resource === service;
  });
  if (rules.length) lines.push(`- DestinationRules: ${rules.map((r) => `\`${r.resource.name?.value ?? ''}\` (${whereResource(r)})`).join(', ')}`);
  return lines.join('\n');
}

function endpointsFacts(ctx: AssistContext, placed: PlacedResource<EndpointsResource>): string {
  const endpoints = placed.resource;
  const name = endpoints.name?.value ?? '';
  const namespace = namespaceOf(endpoints);
  const service = ctx.index.service(namespace, name);
  const ready = endpoints.subsets.reduce((n, s) => n + s.addresses.length, 0);
  const notReady = endpoints.subsets.reduce((n, s) => n + s.notReadyAddresses.length, 0);
  return [
    `**Endpoints** \`${name}\` in namespace \`${namespace}\``,
    '',
    service
      ? `- Serves Service \`${namespace}/${name}\` (${whereResource(service)})${service.resource.selector ? ', which has a selector: Kubernetes replaces these addresses' : ''}`
      : `- Serves the Service of the same name and namespace: **none known** in the workspace`,
    `- Addresses: ${ready} ready${notReady ? `, ${notReady} not ready` : ''}`,
    // A note, not a finding on every Endpoints of the task page:
    // docs/istio-behaviour.md#endpoints-is-deprecated-from-kubernetes-133.
    `- Endpoints (core/v1) is deprecated from Kubernetes 1.33 (\`kubectl apply\` warns) but keeps working: the cluster mirrors a selector-less Service's Endpoints into EndpointSlices. New manifests can write an EndpointSlice (\`discovery.k8s.io/v1\`) labelled \`kubernetes.io/service-name: ${name}\` instead.`,
  ].join('\n');
}

function ruleFacts(ctx: AssistContext, rule: PlacedResource<DestinationRuleResource>): string {
  const written = rule.resource.host?.value ?? '';
  const host = expandHost(written, namespaceOf(rule.resource), ctx.options.clusterDomain);
  const target = destinationOf(rule, ctx.index, ctx.options);
  const lines = [`**Host** \`${written}\` → \`${host}\``, ''];
  if (!target) {
    lines.push('- Nothing in the workspace defines this host (it may exist only in the cluster).');
    return lines.join('\n');
  }
  if (target.kind === 'serviceEntry') {
    const entry = target.entry;
    lines.push(`- ServiceEntry \`${entry.resource.name?.value ?? ''}\` (${whereResource(entry)}), ${entry.resource.location?.value ?? 'MESH_EXTERNAL'}`);
    return lines.join('\n');
  }
  const service = target.service.resource;
  lines.push(`- Service \`${namespaceOf(service)}/${service.name?.value ?? ''}\` (${whereResource(target.service)})`);
  if (service.type?.value === 'ExternalName' && externalNameIsAlias(ctx.options.istioVersion)) {
    lines.push(`- **No effect**: since Istio 1.21 this ExternalName Service is an alias of \`${service.externalName?.value ?? ''}\`; put the rule on that host.`);
    return lines.join('\n');
  }
  const applied = appliedRule(host, namespaceOf(service), ctx.index, ctx.options);
  const winner = applied?.rule.resource;
  if (applied && !sameResource(applied.rule, rule) && winner) {
    lines.push(`- Another rule applies first: \`${winner.name?.value ?? ''}\` (${whereResource(applied.rule)})`);
  }
  const policy = (applied?.rule ?? rule).resource.trafficPolicy;
  const fallback = isExternalService(service) ? 'auto: plain text (endpoints without a sidecar)' : 'auto: Istio mutual TLS to sidecars, plain text otherwise';
  for (const port of service.ports) {
    const number = port.port?.value;
    const level = policy?.portLevelSettings.find((p) => p.port?.value === number)?.tls?.mode?.value;
    const mode = level ?? policy?.tls?.mode?.value ?? fallback;
    lines.push(`- Port ${number ?? '?'}${port.name ? ` (${port.name.value})` : ''}: TLS ${mode}`);
  }
  return lines.join('\n');
}

/** Facts computed from the workspace for the spot under the cursor; undefined where the schema's text is enough. */
export function hoverFacts(ctx: AssistContext): HoverFacts | undefined {
  const { spot } = ctx;
  const placed = placeResource(ctx.placed);
  if (!placed || spot.kind === 'none') return undefined;
  const resource = placed.resource;
  const path = spot.path;
  if (resource.kindName === 'Service' && (pathIs(path, ['metadata', 'name']) || pathIs(path, ['kind']))) {
    return { markdown: serviceFacts(ctx, { ...placed, resource }), range: spot.range };
  }
  if (resource.kindName === 'Service' && spot.kind === 'value' && pathIs(path, ['spec', 'externalName'])) {
    const name = resource.name?.value ?? '';
    const fqdn = serviceFqdn(name, namespaceOf(resource), ctx.options.clusterDomain);
    return {
      range: spot.range,
      markdown: [
        `**externalName** \`${spot.text}\``,
        '',
        `Workloads that look up \`${fqdn}\` get a DNS CNAME to \`${spot.text}\` and connect to its addresses.`,
        '',
        `Requests keep \`Host: ${fqdn}\`: a virtual-hosted server (most public HTTPS services) may refuse or misroute them. Send the external host's name as Host, or use a ServiceEntry for \`${spot.text}\`.`,
      ].join('\n'),
    };
  }
  if (resource.kindName === 'DestinationRule' && spot.kind === 'value' && pathIs(path, ['spec', 'host'])) {
    return { markdown: ruleFacts(ctx, { ...placed, resource }), range: spot.range };
  }
  if (resource.kindName === 'Endpoints' && (pathIs(path, ['metadata', 'name']) || pathIs(path, ['kind']))) {
    return { markdown: endpointsFacts(ctx, { ...placed, resource }), range: spot.range };
  }
  if (resource.kindName === 'Endpoints' && spot.kind === 'value' && path[path.length - 1] === 'ip') {
    const ip = parseIp(spot.text);
    return {
      range: spot.range,
      markdown: ip ? `\`${spot.text}\` is ${IP_CLASS[classifyIp(ip)]}` : `\`${spot.text}\` is **not an IP address**: Endpoints list IPs, not host names.`,
    };
  }
  return undefined;
}
