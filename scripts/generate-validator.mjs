// Compiles schemas/egress.schema.json into a standalone validator module with Ajv, so that the server and the CLI
// load ready code (about 30 ms) instead of compiling the schema at start (about 700 ms). Run by esbuild.js before
// bundling; the output is git-ignored. Usage: node scripts/generate-validator.mjs [--if-stale]
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = path.join(root, 'schemas', 'egress.schema.json');
const out = path.join(root, 'server', 'src', 'analysis', 'schema', 'generated', 'egressValidator.js');

if (process.argv.includes('--if-stale') && existsSync(out) && statSync(out).mtimeMs >= statSync(schemaFile).mtimeMs) process.exit(0);

const Ajv = require('ajv');
const standalone = require('ajv/dist/standalone').default;
const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: false } });
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `// Generated from schemas/egress.schema.json by scripts/generate-validator.mjs: do not edit.\n${standalone(ajv, validate)}`);
console.log(`wrote ${path.relative(root, out)}`);
