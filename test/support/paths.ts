import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(PROJECT_ROOT, 'dist');
/** `../shared` beside the project: present on developer machines and in CI, absent in a user's clone. */
export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
export const CORPUS_DOCS = path.join(SHARED, 'corpus', 'docs');
export const HAS_CORPUS = existsSync(CORPUS_DOCS);
export const CORPUS_SKIP_REASON = `../shared/corpus is absent (${CORPUS_DOCS}); corpus tests need it`;
