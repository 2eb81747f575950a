import { pathIs } from '../documents/locate';
import { serviceFqdn } from '../model/hosts';
import { namespaceOf, type DestinationRuleResource, type VirtualServiceResource } from '../model/resources';
import { rangeContains, type Range } from '../text';
import { destinationOf, destinationOfHost, isExternalService, isMeshExternalEntry } from '../workspace/destinations';
import { recommendedMode } from '../workspace/recommendedMode';
import { externalNameProblem } from '../model/externalName';
import { rulesForDestination } from '../rules/routeSubset';
import type { PlacedResource } from '../workspace/placed';
import { placeResource } from '../workspace/placed';
import { type AssistContext, whereResource } from './context';
import { externalNameIsAlias } from '../model/istioReleases';

export interface Suggestion {
  readonly label: string;
  readonly insertText: string;
  readonly detail?: string;
  readonly documentation?: string;
  /** Relative to the document's first line. */
  readonly range: Range;
  readonly sortText: string;
  readonly kind: 'value' | 'reference' | 'enum' | 'snippet';
  readonly preselect?: boolean;
}

const MODE_HELP: Readonly<Record<string, string>> = {
  DISABLE: 'No TLS from the sidecar: the workload already speaks TLS, or the server is plain text.',
  SIMPLE: 'The sidecar originates TLS to the server (TLS origination): the workload speaks plain HTTP.',
  MUTUAL: 'The sidecar originates TLS and presents a client certificate (clientCertificate/privateKey or credentialName).',
  ISTIO_MUTUAL: "Istio's mutual TLS with mesh certificates: only for destinations inside the mesh.",
};

const KIND_PAIRS: readonly { kind: string; apiVersion: string }[] = [
  { kind: 'Service', apiVersion: 'v1' },
  { kind: 'Endpoints', apiVersion: 'v1' },
  { kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1' },
  { kind: 'ServiceEntry', apiVersion: 'networking.istio.io/v1' },
];

function rankOf(i: number): string {
  return String(i).padStart(3, '0');
}

function ruleOf(ctx: AssistContext): PlacedResource<DestinationRuleResource> | undefined {
  const placed = placeResource(ctx.placed);
  return placed?.resource.kindName === 'DestinationRule' ? { ...placed, resource: placed.resource } : undefined;
}

/** Services and ServiceEntry hosts a DestinationRule `host` may name. */
function hostSuggestions(ctx: AssistContext, range: Range, rule: DestinationRuleResource): Suggestion[] {
  const ruleNamespace = namespaceOf(rule);
  const aliasesIgnored = externalNameIsAlias(ctx.options.istioVersion);
  const out: Suggestion[] = [];
  for (const list of ctx.index.services.values()) {
    for (const placed of list) {
      const service = placed.resource;
      const name = service.name?.value;
      if (!name) continue;
      const namespace = namespaceOf(service);
      if (service.type?.value === 'ExternalName' && aliasesIgnored) {
        const target = service.externalName?.value.replace(/\.$/, '');
        // A malformed target (EGR101) is no host to offer.
        if (target && !externalNameProblem(target)) {
          out.push({
            label: target,
            insertText: target,
            range,
            kind: 'reference',
            sortText: `1${target}`,
            detail: `target of ExternalName ${namespace}/${name}`,
            documentation: `Since Istio 1.21 a rule on the alias '${name}' has no effect: it must name the target host, registered with a ServiceEntry.`,
          });
        }
        continue;
      }
      const label = namespace === ruleNamespace ? name : serviceFqdn(name, namespace, ctx.options.clusterDomain);
      out.push({
        label,
        insertText: label,
        range,
        kind: 'reference',
        sortText: `0${label}`,
        detail: `Service ${namespace}/${name}${isExternalService(service) ? ' (external, hand-written Endpoints)' : ''}`,
        documentation: `Defined at ${whereResource(placed)}.`,
      });
    }
  }
  for (const entry of ctx.index.serviceEntries) {
    for (const host of entry.resource.hosts) {
      if (out.some((s) => s.label === host.value)) continue;
      out.push({
        label: host.value,
        insertText: host.value,
        range,
        kind: 'reference',
        sortText: `1${host.value}`,
        detail: `ServiceEntry ${namespaceOf(entry.resource)}/${entry.resource.name?.value ?? ''}${isMeshExternalEntry(entry.resource) ? ' (MESH_EXTERNAL)' : ''}`,
      });
    }
  }
  // Several suggestions may name the same target; keep the first.
  return out.filter((s, i) => out.findIndex((o) => o.label === s.label) === i);
}

/** The modes in the order that fits the destination, with a one-line explanation each. */
function modeSuggestions(ctx: AssistContext, range: Range, rule: PlacedResource<DestinationRuleResource>, port: number | undefined): Suggestion[] {
  const advice = recommendedMode(destinationOf(rule, ctx.index, ctx.options), port);
  // DISABLE as a mere default for external hosts is not worth a "recommended" badge; port evidence is.
  const recommended = advice && !advice.why.startsWith('endpoints outside') && !advice.why.startsWith('the host is outside') ? advice.mode : undefined;
  const why = advice?.why ?? '';
  const external = advice?.external ?? false;
  const order = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'].sort((a, b) => (a === recommended ? -1 : b === recommended ? 1 : 0));
  return order.map((mode, i): Suggestion => {
    const breaks = mode === 'ISTIO_MUTUAL' && external;
    const detail = mode === recommended ? `recommended: ${why}` : breaks ? 'breaks external destinations' : undefined;
    const help = MODE_HELP[mode] ?? '';
    return {
      label: mode,
      insertText: mode,
      range,
      kind: 'enum',
      sortText: rankOf(i),
      documentation: breaks ? `${help} This destination is outside the mesh and cannot terminate it: connections would fail.` : help,
      ...(detail ? { detail } : {}),
      ...(mode === recommended ? { preselect: true } : {}),
    };
  });
}

function portOf(ctx: AssistContext, path: readonly (string | number)[]): number | undefined {
  const rule = ctx.placed.doc.resource;
  if (rule?.kindName !== 'DestinationRule') return undefined;
  const levelIndex = path[path.indexOf('portLevelSettings') + 1];
  if (typeof levelIndex !== 'number') return undefined;
  const policy = path[1] === 'subsets' && typeof path[2] === 'number' ? rule.subsets[path[2]]?.trafficPolicy : rule.trafficPolicy;
  return policy?.portLevelSettings[levelIndex]?.port?.value;
}

/** Completions this project knows better than the schema: workspace names, ports, TLS modes, kind headers. */
/** `mesh` and the Gateways of the workspace: by short name in the route's namespace, else as `namespace/name`. */
function gatewaySuggestions(ctx: AssistContext, range: Range, route: VirtualServiceResource): Suggestion[] {
  const namespace = namespaceOf(route);
  const seen = new Set<string>();
  const gateways = ctx.index.gateways.flatMap((g) => {
    const name = g.resource.name?.value;
    const written = name && (namespaceOf(g.resource) === namespace ? name : `${namespaceOf(g.resource)}/${name}`);
    if (!written || seen.has(written)) return [];
    seen.add(written);
    return [{ label: written, insertText: written, range, kind: 'reference' as const, sortText: `1${written}`, detail: `Gateway (${whereResource(g)})` }];
  });
  return [{ label: 'mesh', insertText: 'mesh', range, kind: 'value' as const, sortText: '0', detail: 'the sidecars of the mesh' }, ...gateways];
}

export function completions(ctx: AssistContext): Suggestion[] {
  const { spot } = ctx;
  const resource = ctx.placed.doc.resource;
  if (spot.kind === 'key') {
    if (spot.parentPath.length === 0 && !resource) {
      return KIND_PAIRS.map((pair, i) => ({
        label: `${pair.kind} (${pair.apiVersion})`,
        insertText: `apiVersion: ${pair.apiVersion}\nkind: ${pair.kind}\n`,
        range: spot.range,
        kind: 'snippet',
        sortText: rankOf(i),
        detail: 'apiVersion and kind',
      }));
    }
    // An item of a list of names reads as a key until it holds a colon.
    if (resource?.kindName === 'VirtualService' && spot.parentPath[spot.parentPath.length - 1] === 'gateways') return gatewaySuggestions(ctx, spot.range, resource);
    return [];
  }
  if (spot.kind !== 'value' || !resource) return [];
  const { path, range } = spot;
  if (resource.kindName === 'DestinationRule') {
    const rule = ruleOf(ctx);
    if (!rule) return [];
    if (pathIs(path, ['spec', 'host'])) return hostSuggestions(ctx, range, resource);
    if (path[path.length - 1] === 'mode' && path[path.length - 2] === 'tls') return modeSuggestions(ctx, range, rule, portOf(ctx, path));
    if (path[path.length - 1] === 'number' && path.includes('portLevelSettings')) {
      const target = destinationOf(rule, ctx.index, ctx.options);
      const ports =
        target?.kind === 'service'
          ? target.service.resource.ports.map((p) => ({ number: p.port?.value, name: p.name?.value }))
          : target?.kind === 'serviceEntry'
            ? target.entry.resource.ports.map((p) => ({ number: p.number?.value, name: p.name?.value }))
            : [];
      return ports.flatMap((p, i) =>
        p.number === undefined
          ? []
          : [{ label: String(p.number), insertText: String(p.number), range, kind: 'value' as const, sortText: rankOf(i), detail: `port ${p.name ?? '(unnamed)'} of ${target?.host ?? ''}` }],
      );
    }
  }
  if (resource.kindName === 'VirtualService' && path[path.length - 1] === 'subset') {
    // The subsets the DestinationRules for this destination's host define (EGR412 reads the same rules).
    const destination = resource.destinations.find((d) => d.range && rangeContains(d.range, range.start));
    const written = destination?.host?.value;
    if (!written) return [];
    const { rules } = rulesForDestination(resource, written, ctx.index, ctx.options);
    const seen = new Set<string>();
    return rules.flatMap((rule) =>
      rule.resource.subsets.flatMap((s) => {
        const name = s.name?.value;
        if (!name || seen.has(name)) return [];
        seen.add(name);
        return [
          {
            label: name,
            insertText: name,
            range,
            kind: 'reference' as const,
            sortText: rankOf(seen.size),
            detail: `subset of DestinationRule '${rule.resource.name?.value ?? ''}' (${whereResource(rule)})`,
          },
        ];
      }),
    );
  }
  if (resource.kindName === 'VirtualService' && path.length >= 2 && path[path.length - 2] === 'port' && path[path.length - 1] === 'number') {
    // The ports the destination's Service or ServiceEntry exposes (EGR414 holds routes to them).
    const destination = resource.destinations.find((d) => d.range && rangeContains(d.range, range.start));
    const written = destination?.host?.value;
    const target = written ? destinationOfHost(written, namespaceOf(resource), ctx.index, ctx.options) : undefined;
    if (!target) return [];
    const ports =
      target.kind === 'service'
        ? target.service.resource.ports.flatMap((p) => (p.port ? [{ number: p.port.value, name: p.name?.value }] : []))
        : target.entry.resource.ports.flatMap((p) => (p.number ? [{ number: p.number.value, name: p.name?.value }] : []));
    return ports.map((p, i) => ({
      label: String(p.number),
      insertText: String(p.number),
      range,
      kind: 'value' as const,
      sortText: rankOf(i),
      detail: `port ${p.name ?? '(unnamed)'} of ${target.host}`,
    }));
  }
  if (resource.kindName === 'VirtualService' && path.length >= 2 && path[path.length - 2] === 'gateways') return gatewaySuggestions(ctx, range, resource);
  if (resource.kindName === 'Endpoints') {
    const namespace = namespaceOf(resource);
    if (pathIs(path, ['metadata', 'name'])) {
      const out: Suggestion[] = [];
      for (const list of ctx.index.services.values()) {
        for (const placed of list) {
          const service = placed.resource;
          const name = service.name?.value;
          if (!name || namespaceOf(service) !== namespace || service.selector || service.type?.value === 'ExternalName') continue;
          const own = ctx.index.endpointsOf(namespace, name).filter((e) => e.uri !== ctx.placed.uri || e.startLine !== ctx.placed.startLine);
          if (own.length) continue;
          out.push({ label: name, insertText: name, range, kind: 'reference', sortText: `0${name}`, detail: `Service without selector, no Endpoints yet (${whereResource(placed)})` });
        }
      }
      return out;
    }
    if (pathIs(path, ['subsets', '#', 'ports', '#', 'name']) && resource.name) {
      const service = ctx.index.service(namespace, resource.name.value);
      return (service?.resource.ports ?? []).flatMap((p, i) =>
        p.name
          ? [
              {
                label: p.name.value,
                insertText: p.name.value,
                range,
                kind: 'value' as const,
                sortText: rankOf(i),
                detail: `port ${p.port?.value ?? '?'} of Service ${resource.name?.value ?? ''}`,
              },
            ]
          : [],
      );
    }
  }
  return [];
}
