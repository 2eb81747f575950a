/** Where the benchmark finds the build, its competitor and the schema, and where it writes inputs and results. */
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const OUT = path.join(ROOT, 'bench', 'out');
export const DIST = path.join(ROOT, 'dist');
/** The build under test is copied here first, so a rebuild of dist/ during the run cannot mix two builds. */
export const SNAPSHOT = path.join(OUT, 'dist');
export const YAML_LS = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
export const SCHEMA = path.join(ROOT, 'schemas', 'egress.schema.json');
export const VSIX = path.join(ROOT, 'istio-egress.vsix');
export const DOC = path.join(ROOT, 'docs', 'performance.md');
