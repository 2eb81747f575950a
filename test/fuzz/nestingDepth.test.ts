/**
 * `nestingDepth`, which decides which documents are too deep for yaml-language-server, against the tree the `yaml`
 * parser composes: on fuzzed documents it must never measure less than half the tree's depth (the bound allows for
 * that, see `MAX_YAML_SERVICE_DEPTH`), and ordinary manifests must measure what they are, far below the bound.
 * In process, without a server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isPair, isSeq, parseAllDocuments } from 'yaml';
import { entryCount, nestingDepth, nestsDeeperThan } from '../../server/src/analysis/documents/nestingDepth';
import { MAX_YAML_SERVICE_DEPTH } from '../../server/src/schema/yamlService';
import { PROJECT_ROOT } from '../support/paths';
import { DEFAULT_GEN, deepBlock, deepFlow, generateDocument, loadCorpus, mutate, Random } from './generate';

/** The deepest collection nesting of the trees the `yaml` parser composes from `text` (walked without recursion). */
function treeDepth(text: string): number {
  let deepest = 0;
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc)) continue;
    const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const { node, depth } = top;
      if (isMap(node) || isSeq(node)) {
        deepest = Math.max(deepest, depth + 1);
        for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      } else if (isPair(node)) {
        stack.push({ node: node.key, depth }, { node: node.value, depth });
      }
    }
  }
  return deepest;
}

const corpus = loadCorpus(PROJECT_ROOT);

describe('nestingDepth', () => {
  it('measures at least half the tree’s depth, and nearly all of it, on 1 500 fuzzed documents', () => {
    const rng = new Random(99);
    // Shallow enough for the parser's recursion: deep payloads of up to 450 levels, mutated (quotes, comments, block
    // scalars, tabs, lone CRs, cuts, directives, anchors…).
    const opts = { ...DEFAULT_GEN, deepLevels: 150, longBytes: 2000, bigChance: 0.3 };
    const under: string[] = [];
    let deep = 0;
    let worstShortfall = 0;
    for (let i = 0; i < 1500; i++) {
      const text = mutate(rng, generateDocument(rng, corpus, opts).text, corpus, opts, rng.between(0, 5)).text;
      const tree = treeDepth(text);
      const measured = nestingDepth(text);
      if (tree > 100) deep++;
      worstShortfall = Math.max(worstShortfall, tree - measured);
      if (tree > 2 * measured + 1 && under.length < 3) under.push(`document ${i}: measured ${measured}, tree ${tree}: ${JSON.stringify(text.slice(0, 300))}`);
    }
    assert.deepEqual(under, []);
    // Maps wrapped around keys after them are the only levels missed: a few at most.
    assert.ok(worstShortfall <= 8, `a tree ${worstShortfall} levels deeper than measured`);
    assert.ok(deep > 40, `only ${deep} deep documents were checked`);
  });

  it('measures the fuzzer’s deep shapes, and sees them above the bound at 1 000 levels', () => {
    const opts = { ...DEFAULT_GEN, deepLevels: 300 };
    const rng = new Random(5);
    for (let i = 0; i < 200; i++) {
      const text = rng.chance(0.5) ? deepFlow(rng, opts) : deepBlock(rng, opts);
      assert.ok(nestingDepth(text) >= treeDepth(text) - 1, text.slice(0, 80));
    }
    for (const text of [`deep: ${'{a: '.repeat(1000)}x${'}'.repeat(1000)}\n`, `deep:\n${'- '.repeat(1000)}x\n`, `deep: ${'['.repeat(1000)}\n`]) {
      assert.ok(nestsDeeperThan(text, MAX_YAML_SERVICE_DEPTH), text.slice(0, 20));
    }
  });

  it('counts what the parser nests, not brackets or dashes in quoted scalars, comments or block scalars', () => {
    for (const text of [
      `a: '${'['.repeat(500)}'\n`,
      `a: "\\"${'['.repeat(500)}"\n`,
      `a: x # ${'['.repeat(500)}\n`,
      `a: |\n  ${'['.repeat(500)}\n  ${'- '.repeat(500)}\nb: c\n`,
      `a: it's ${'['.repeat(500)}\n`,
    ]) {
      assert.ok(nestingDepth(text) <= 2, text.slice(0, 20));
    }
    // A compact mapping on each line nests in the previous line's: depth adds up over lines.
    const compact = Array.from({ length: 5 }, (_, line) => `${Array.from({ length: 30 }, (_, i) => `k${line}_${i}: `).join('')}v`).join('\n');
    assert.ok(nestingDepth(compact) >= treeDepth(compact));
    assert.ok(treeDepth(compact) > 100);
  });

  it('measures ordinary manifests as deep as they are (or one more), far below the bound', () => {
    for (const f of corpus) {
      const tree = treeDepth(f.text);
      const measured = nestingDepth(f.text);
      assert.ok(measured >= tree && measured <= tree + 1, `${f.name}: measured ${measured}, tree ${tree}`);
      assert.ok(!nestsDeeperThan(f.text, MAX_YAML_SERVICE_DEPTH / 10), f.name);
    }
  });

  it('stops early above `stopAbove`, before the parser recurses deep', () => {
    assert.equal(nestingDepth(`${'- '.repeat(100_000)}x\n`, 300), 301);
  });
});

describe('entryCount', () => {
  it('counts lines and flow commas, stopping above `stopAbove`', () => {
    assert.equal(entryCount('a: 1\nb: [1, 2, 3]\n'), 5);
    assert.equal(entryCount(`[${'1,'.repeat(10_000)}]`, 100), 101);
  });
});
