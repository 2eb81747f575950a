import type { Finding } from '../analysis/findings';
import { SCHEMA_CODE, schemaRule } from '../analysis/rules/schema';
import { shiftRange } from '../analysis/text';
import type { FileModel } from '../analysis/workspace/fileModel';
import type { YamlService } from './yamlService';

/** Schema findings of every document of a file, placed in the file, as analysis findings (code EGR002). */
export async function schemaFindings(yaml: YamlService, model: FileModel): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const placed of model.documents) {
    for (const d of await yaml.validate(placed.doc)) {
      out.push({
        code: SCHEMA_CODE,
        // The schemas encode what the API server or Istio's webhook rejects, so every mismatch is an error.
        severity: schemaRule.severity,
        message: typeof d.message === 'string' ? d.message : String(d.message),
        uri: model.uri,
        range: shiftRange(d.range, placed.startLine),
        related: [],
      });
    }
  }
  return out;
}
