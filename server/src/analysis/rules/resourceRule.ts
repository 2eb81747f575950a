import type { ParsedDocument } from '../documents/parsedDocument';
import type { Resource } from '../model/resources';
import type { AnalysisOptions } from '../options';
import type { DocumentRule, LocalFinding, RuleInfo } from './rule';

type Kind = Exclude<Resource['kindName'], 'Other'>;
type OfKind<K extends Kind> = Extract<Resource, { kindName: K }>;

/** A document rule about resources of some kinds: it states them, and the engine hands it only those. */
export interface ResourceRuleSpec<K extends Kind> extends RuleInfo {
  readonly kinds: readonly K[];
  readonly checkResource: (resource: OfKind<K>, doc: ParsedDocument, options: AnalysisOptions, report: (finding: LocalFinding) => void) => void;
}

export function resourceRule<K extends Kind>(spec: ResourceRuleSpec<K>): DocumentRule {
  const { kinds, checkResource, ...info } = spec;
  const checked: readonly string[] = kinds;
  const isChecked = (resource: Resource): resource is OfKind<K> => checked.includes(resource.kindName);
  return {
    ...info,
    scope: 'document',
    kinds,
    check(doc, options, report) {
      const resource = doc.resource;
      if (resource && isChecked(resource)) checkResource(resource, doc, options, report);
    },
  };
}
