/**
 * Loads TextMate grammars with vscode-textmate + vscode-oniguruma (the engine VS Code uses) and tokenizes lines, for
 * the grammar tests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { IGrammar, IOnigLib, IRawGrammar } from 'vscode-textmate';
import { PROJECT_ROOT } from './paths';

// Both packages are webpack bundles whose named exports Node's ESM loader cannot see.
const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
const oniguruma = require('vscode-oniguruma') as typeof import('vscode-oniguruma');
const vsctm = require('vscode-textmate') as typeof import('vscode-textmate');

export interface Tok {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly scopes: readonly string[];
}

let onigLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  onigLoaded ??= (async () => {
    const wasm = readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return onigLoaded;
}

/** A raw grammar from a JSON text (its file path names it in errors). */
export function rawGrammar(json: string, filePath: string): IRawGrammar {
  return vsctm.parseRawGrammar(json, filePath);
}

/** Loads `scope` from `grammars` (scope → raw grammar), with `injections` (host scope → injected scopes). */
export async function loadGrammar(scope: string, grammars: Readonly<Record<string, () => IRawGrammar>>, injections: Readonly<Record<string, readonly string[]>> = {}): Promise<IGrammar> {
  await loadOniguruma();
  const onigLib: IOnigLib = {
    createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
    createOnigString: (text) => new oniguruma.OnigString(text),
  };
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve(onigLib),
    loadGrammar: (scopeName) => Promise.resolve(grammars[scopeName]?.() ?? null),
    getInjections: (scopeName) => (injections[scopeName] ? [...(injections[scopeName] ?? [])] : undefined),
  });
  const loaded = await registry.loadGrammar(scope);
  assert.ok(loaded, `${scope} grammar did not load`);
  return loaded;
}

/** Tokenizes consecutive lines, carrying the rule stack across them (as an editor or an output channel does). */
export function tokenizeLines(grammar: IGrammar, lines: readonly string[]): Tok[][] {
  let stack = vsctm.INITIAL;
  const out: Tok[][] = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    out.push(
      result.tokens.map((t) => ({
        text: line.slice(t.startIndex, Math.min(t.endIndex, line.length)),
        start: t.startIndex,
        end: Math.min(t.endIndex, line.length),
        scopes: [...t.scopes],
      })),
    );
  }
  return out;
}

export function tokenizeLine(grammar: IGrammar, line: string): Tok[] {
  const [tokens] = tokenizeLines(grammar, [line]);
  assert.ok(tokens);
  return tokens;
}

export function dump(tokens: readonly Tok[]): string {
  return tokens.map((t) => `  ${JSON.stringify(t.text)} -> ${t.scopes.join(' ')}`).join('\n');
}

/** Scopes of the single token that spans exactly `substring` (its `occurrence`-th match in the line). */
export function scopesOf(tokens: readonly Tok[], line: string, substring: string, occurrence = 0): readonly string[] {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = line.indexOf(substring, index + 1);
    assert.notEqual(index, -1, `${JSON.stringify(substring)} (#${occurrence}) not in ${JSON.stringify(line)}`);
  }
  const token = tokens.find((t) => t.start === index && t.end === index + substring.length);
  assert.ok(token, `no single token spans ${JSON.stringify(substring)} in ${JSON.stringify(line)}:\n${dump(tokens)}`);
  return token.scopes;
}
