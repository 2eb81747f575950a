// ESLint flat config: @eslint/js recommended + typescript-eslint's type-aware recommended rules.
// Type-aware linting of the whole repo takes about 30 s on 2 cores (measured), so it is on.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'server/src/analysis/schema/generated/',
      'test/e2e/out/',
      '.vscode-test/',
      // Also git-ignored: downloaded tools (.tools/) and the benchmark's copy of dist (bench/out/).
      '.tools/',
      'bench/out/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // node:test's describe/it/test return promises that the runner itself awaits; everything else must still be handled.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
      // Deliberate: a leading underscore marks a binding that is unused on purpose (`for (const _ of …)`, `{ index: _index, ...row }`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Deliberate: fakes and stubs are `async` to satisfy Promise-returning interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // Deliberate: a caught `unknown` is passed on to reject() as it came.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Deliberate: `String(x)` is how this repo prints values read from parsed YAML/JSON (`unknown`, narrowed to `{}`).
      '@typescript-eslint/no-base-to-string': 'off',
      // Deliberate: input validation and the fuzz runner match control characters on purpose.
      'no-control-regex': 'off',
      // Deliberate: tests match YAML (indentation included) literally.
      'no-regex-spaces': 'off',
    },
  },
  {
    // Plain JavaScript (esbuild.js, scripts/*.mjs, test/vscode/*.mjs, this file) is not in tsconfig.json: no type-aware rules.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // package.json has no "type": "module", so .js files are CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
