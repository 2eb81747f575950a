import { namespaceOf } from '../../model/resources';
import type { PlacedResource } from '../../workspace/placed';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex';
import type { RelativeFix } from '../../edits';
import { appendDocumentAfter, metadataLines } from './appendDocument';

/** An external destination that a wildcard ISTIO_MUTUAL rule reaches, and the mode it should get instead. */
export interface GuardTarget {
  /** The host as Istio matches it (a Service's FQDN, or a ServiceEntry host). */
  readonly host: string;
  /** The Service or ServiceEntry the destination comes from: the new rule goes right after it, in its namespace. */
  readonly at: PlacedResource;
  readonly mode: string;
}

/** A name for the new rule that no DestinationRule of the namespace (or of this fix) uses yet. */
function freeName(base: string, taken: Set<string>): string {
  const stem =
    base
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 240) || 'external';
  for (let i = 1; ; i++) {
    const name = i === 1 ? stem : i === 2 ? `${stem}-tls` : `${stem}-tls-${i - 1}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function guardYaml(target: GuardTarget, name: string): string {
  const resource = target.at.resource;
  const namespace = resource.namespace?.value;
  // A short host expands in the rule's own namespace, which is the Service's when neither names one.
  const host = resource.kindName === 'Service' && !namespace && resource.name ? resource.name.value : target.host;
  return [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    ...metadataLines(name, namespace),
    'spec:',
    `  host: ${host}`,
    '  trafficPolicy:',
    '    tls:',
    `      mode: ${target.mode}`,
    '',
  ].join('\n');
}

/**
 * The quick fix for ISTIO_MUTUAL that reaches external destinations through a wildcard rule (EGR402): an exact-host
 * rule per destination, in the destination's namespace. There it beats the wildcard (an exact host wins within a
 * namespace, and the destination's namespace is consulted before the root one:
 * docs/istio-behaviour.md#which-destinationrule-applies), while the shared wildcard keeps serving the mesh's own
 * services.
 */
export function guardRulesFix(targets: readonly GuardTarget[], index: WorkspaceIndex): RelativeFix | undefined {
  const unique = [...new Map(targets.map((t) => [`${namespaceOf(t.at.resource)} ${t.host}`, t])).values()];
  const [first] = unique;
  if (!first) return undefined;
  const takenByNamespace = new Map<string, Set<string>>();
  const edits = unique.map((target) => {
    const namespace = namespaceOf(target.at.resource);
    let taken = takenByNamespace.get(namespace);
    if (!taken) {
      taken = index.ruleNamesIn(namespace);
      takenByNamespace.set(namespace, taken);
    }
    const base = target.at.resource.kindName === 'Service' ? (target.at.resource.name?.value ?? target.host) : target.host;
    return appendDocumentAfter(target.at, guardYaml(target, freeName(base, taken)));
  });
  const title =
    unique.length === 1
      ? `Add a DestinationRule with tls.mode ${first.mode} for '${first.host}'`
      : `Add DestinationRules for '${first.host}' and ${unique.length - 1} more external destination${unique.length > 2 ? 's' : ''}`;
  return { title, edits, preferred: true };
}
