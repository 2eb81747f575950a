import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis/engine/analysis';
import type { YamlService } from '../schema/yamlService';
import type { OpenDocuments } from './openDocuments';
import type { ProjectSettings } from './projectSettings';

/** What every feature handler works with. */
export interface ServerContext {
  readonly connection: Connection;
  readonly analysis: Analysis;
  readonly open: OpenDocuments;
  readonly yaml: YamlService;
  /** Project files and editor settings: which findings are shown. */
  readonly settings: ProjectSettings;
}
