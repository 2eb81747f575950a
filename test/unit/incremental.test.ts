import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { generateFile } from '../../bench/generate';
import { sortFindings, type Finding } from '../../server/src/analysis/findings';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/analysis/options';
import { RULES } from '../../server/src/analysis/rules';
import type { Rule, WorkspaceRule } from '../../server/src/analysis/rules/rule';
import { FileModelBuilder } from '../../server/src/analysis/workspace/fileModel';
import { partition, type Partition } from '../../server/src/analysis/engine/partition';
import type { PlacedResource } from '../../server/src/analysis/workspace/placed';
import { KeyRegistry, relationsOf } from '../../server/src/analysis/engine/resourceKeys';
import { IncrementalWorkspaceFindings } from '../../server/src/analysis/engine/incrementalFindings';
import { Project } from '../../server/src/analysis/engine/project';
import { addByUri, runWorkspaceRule, toFinding, wholeWorkspaceFindings } from '../../server/src/analysis/engine/workspaceFindings';
import { indexedResources, WorkspaceIndex } from '../../server/src/analysis/workspace/workspaceIndex';
import { loadFixtureCases } from '../support/fixtures';
import { CORPUS_DOCS, CORPUS_SKIP_REASON, HAS_CORPUS } from '../support/paths';
import { randomDocument } from '../support/randomManifests';
import { mulberry32, Rng } from '../support/random';

const SERVICE = (i: number) => `kind: Service\napiVersion: v1\nmetadata:\n  name: svc-${i}\nspec:\n  ports:\n  - name: tls\n    port: 443\n`;
const DR = (i: number, mode: string) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: dr-${i}\nspec:\n  host: svc-${i}\n  trafficPolicy:\n    tls:\n      mode: ${mode}\n`;

/** Seeded draws, so a failure names a reproducible seed. */
const random = mulberry32;

describe('incremental analysis', () => {
  it('re-parses only the document an edit touched', () => {
    const builder = new FileModelBuilder();
    const docs = Array.from({ length: 50 }, (_, i) => (i % 2 ? DR(i, 'DISABLE') : SERVICE(i)));
    const first = builder.build('file:///a.yaml', docs.join('---\n'));
    assert.equal(first.parsedCount, 50);
    docs[7] = DR(7, 'ISTIO_MUTUAL');
    const second = builder.build('file:///a.yaml', docs.join('---\n'));
    assert.equal(second.parsedCount, 1);
    assert.equal(second.documents[8]?.doc, first.documents[8]?.doc, 'untouched documents keep their parse');
    // Inserting lines above shifts later documents without re-parsing them.
    const third = builder.build('file:///a.yaml', `# new comment\n# another\n${docs.join('---\n')}`);
    assert.equal(third.parsedCount, 1);
    assert.equal(third.documents[10]?.startLine, (second.documents[10]?.startLine ?? 0) + 2);
  });

  it('reuses the parse of a document moved elsewhere in the file, or brought back', () => {
    const builder = new FileModelBuilder();
    const docs = Array.from({ length: 20 }, (_, i) => (i % 2 ? DR(i, 'DISABLE') : SERVICE(i)));
    builder.build('file:///a.yaml', docs.join('---\n'));
    const edited = [...docs];
    edited[3] = DR(3, 'SIMPLE');
    assert.equal(builder.build('file:///a.yaml', edited.join('---\n')).parsedCount, 1);
    // Cut a document and paste it further down, then undo the edit above.
    const [moved = ''] = edited.splice(5, 1);
    edited.splice(15, 0, moved);
    assert.equal(builder.build('file:///a.yaml', edited.join('---\n')).parsedCount, 0);
    edited[3] = DR(3, 'DISABLE');
    assert.equal(builder.build('file:///a.yaml', edited.join('---\n')).parsedCount, 0);
  });

  it('finds suppression comments that an edit completes at either edge of the edited text', () => {
    const builder = new FileModelBuilder();
    const versions = [
      `${SERVICE(1)}# istio-egress-\n${DR(1, 'ISTIO_MUTUAL')}`,
      `${SERVICE(1)}# istio-egress-disable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`, // typed after the start of the marker
      `${SERVICE(1)}# istio-egress-XXdisable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`,
      `${SERVICE(1)}# disable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`,
      `${SERVICE(1)}# istio-egress-disable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`, // typed before the end of the marker
      `${SERVICE(1)}# istio-egress-XXdisable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`,
      `${SERVICE(1)}# istio-egress-disable EGR304\n${DR(1, 'ISTIO_MUTUAL')}`, // two characters cut out of it
    ];
    for (const [n, text] of versions.entries()) {
      assert.deepEqual(builder.build('file:///a.yaml', text).suppressions, new FileModelBuilder().build('file:///a.yaml', text).suppressions, `version ${n}`);
    }
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equals a fresh full analysis after random edits (seed ${seed})`, () => {
      const rand = random(seed);
      const incremental = new Project();
      const files = new Map<string, string[]>();
      for (let f = 0; f < 3; f++)
        files.set(
          `file:///f${f}.yaml`,
          Array.from({ length: 12 }, (_, i) => (i % 3 === 2 ? DR(i, 'DISABLE') : SERVICE(i))),
        );
      for (const [uri, docs] of files) incremental.setFile(uri, docs.join('---\n'));
      const modes = ['DISABLE', 'SIMPLE', 'ISTIO_MUTUAL', 'MUTUAL'];
      for (let step = 0; step < 60; step++) {
        const uri = `file:///f${Math.floor(rand() * 3)}.yaml`;
        const docs = files.get(uri) ?? [];
        const i = Math.floor(rand() * docs.length);
        const action = rand();
        if (action < 0.4) docs[i] = DR(Math.floor(rand() * 12), modes[Math.floor(rand() * modes.length)] ?? 'DISABLE');
        else if (action < 0.6) docs[i] = SERVICE(Math.floor(rand() * 12));
        else if (action < 0.75) docs[i] = (docs[i] ?? '').slice(0, Math.floor(rand() * (docs[i] ?? '').length));
        else if (action < 0.9) docs.splice(i, 0, `# inserted ${step}\n`);
        else docs.splice(i, 1);
        incremental.setFile(uri, docs.join('---\n'));
        incremental.findings(uri); // interleave reads with writes, as an editor does

        const fresh = new Project();
        for (const [u, d] of files) fresh.setFile(u, d.join('---\n'));
        for (const u of files.keys()) assert.deepEqual(incremental.findings(u), fresh.findings(u), `seed ${seed}, step ${step}, ${u}`);
      }
    });
  }
});

/** Options that change what the workspace rules say: Istio before/after 1.21, REGISTRY_ONLY, another cluster domain. */
const OPTION_VARIANTS: readonly AnalysisOptions[] = [
  DEFAULT_OPTIONS,
  { ...DEFAULT_OPTIONS, istioVersion: '1.20', outboundTrafficPolicy: 'REGISTRY_ONLY' },
  { ...DEFAULT_OPTIONS, clusterDomain: 'corp.internal' },
  // Service FQDNs keep the domain as written while DR hosts are lower-cased: two keys, which this tells apart.
  { ...DEFAULT_OPTIONS, clusterDomain: 'Cluster.Local' },
];

type Files = ReadonlyMap<string, string>;

const WORKSPACE_RULES = RULES.filter((r): r is WorkspaceRule => r.scope === 'workspace');

function partitionOf(resources: readonly PlacedResource[], clusterDomain: string): Partition {
  const registry = new KeyRegistry(relationsOf(WORKSPACE_RULES));
  const keys = resources.map((r) => registry.keysOf(r.resource, clusterDomain));
  return partition(resources, keys, registry.count);
}

function sortedByUri(byUri: Map<string, Finding[]>, uris: Iterable<string>): Finding[][] {
  return [...uris].map((uri) => sortFindings([...(byUri.get(uri) ?? [])]));
}

/**
 * The partition's claim, checked directly: every rule run on each component's own index finds exactly what one run
 * over the whole workspace finds. (A Project's first analysis runs all components in one index, so this is the
 * check that each component holds everything its rules look up.)
 */
function assertPartitionExact(files: Files, options: AnalysisOptions, where: string): void {
  const builder = new FileModelBuilder();
  const models = [...files].map(([uri, text]) => builder.build(uri, text));
  const perComponent = new Map<string, Finding[]>();
  for (const component of partitionOf(indexedResources(models), options.clusterDomain).components) {
    const index = WorkspaceIndex.fromResources(component, { clusterDomain: options.clusterDomain, checkReads: true });
    for (const rule of WORKSPACE_RULES) runWorkspaceRule(rule, index, options, (f) => addByUri(perComponent, toFinding(rule, f)));
  }
  const whole = wholeWorkspaceFindings(models, WORKSPACE_RULES, options);
  assert.deepEqual(sortedByUri(perComponent, files.keys()), sortedByUri(whole, files.keys()), where);
}

function projectOf(files: Files, options: AnalysisOptions, analysis: 'incremental' | 'whole'): Project {
  const project = new Project(options, RULES, analysis);
  for (const [uri, text] of files) project.setFile(uri, text);
  return project;
}

/** The incremental project says exactly what one run of every rule over the whole workspace says, file by file. */
function assertSameAsWhole(incremental: Project, files: Files, options: AnalysisOptions, where: string): void {
  assertPartitionExact(files, options, where);
  const whole = projectOf(files, options, 'whole');
  for (const uri of files.keys()) assert.deepEqual(incremental.findings(uri), whole.findings(uri), `${where}: ${uri}`);
}

function fileMap(entries: readonly (readonly [string, string])[]): Map<string, string> {
  return new Map(entries.map(([uri, text]) => [uri, text]));
}

function generatedWorkspace(seed: number): Map<string, string> {
  return fileMap([1, 2, 3].map((n) => [`file:///generated/${n}.yaml`, generateFile(1000 / 2 ** (n - 1), seed + n).text] as const));
}

describe('component-partitioned workspace findings equal one run over the whole workspace', () => {
  const cases = loadFixtureCases();
  it('on every rule fixture, alone and all together, under several options', () => {
    for (const options of OPTION_VARIANTS) {
      for (const fixture of cases) {
        const files = fileMap(fixture.files.map((f) => [f.uri, f.text] as const));
        assertSameAsWhole(projectOf(files, options, 'incremental'), files, options, fixture.name);
      }
      const all = fileMap(cases.flatMap((c) => c.files.map((f) => [f.uri, f.text] as const)));
      assertSameAsWhole(projectOf(all, options, 'incremental'), all, options, `all fixtures (${options.istioVersion}, ${options.clusterDomain})`);
    }
  });

  it('on the Istio documentation corpus', { skip: HAS_CORPUS ? false : CORPUS_SKIP_REASON }, () => {
    const files = fileMap(
      readdirSync(CORPUS_DOCS)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => [pathToFileURL(path.join(CORPUS_DOCS, f)).toString(), readFileSync(path.join(CORPUS_DOCS, f), 'utf8')] as const),
    );
    assert.ok(files.size > 0);
    for (const options of OPTION_VARIANTS) assertSameAsWhole(projectOf(files, options, 'incremental'), files, options, 'corpus');
  });

  for (const seed of [7, 8]) {
    it(`on generated manifests of 1 000 documents (seed ${seed})`, () => {
      const files = generatedWorkspace(seed);
      for (const options of OPTION_VARIANTS) assertSameAsWhole(projectOf(files, options, 'incremental'), files, options, `generated, seed ${seed}`);
    });
  }

  it('splits generated manifests into many small components (or the proof above would be vacuous)', () => {
    const project = projectOf(generatedWorkspace(7), DEFAULT_OPTIONS, 'incremental');
    const resources = indexedResources([...project.uris()].flatMap((u) => project.file(u) ?? []));
    const { components } = partitionOf(resources, DEFAULT_OPTIONS.clusterDomain);
    assert.ok(resources.length > 1000, `${resources.length} resources`);
    assert.ok(components.length > resources.length / 5, `${components.length} components of ${resources.length} resources`);
    assert.ok(Math.max(...components.map((c) => c.length)) < 50, 'no component spans the workspace');
  });
});

/** Counts the resources each workspace-rule run is given, to see how much an edit re-analyses. */
function countingRules(seen: number[]): Rule[] {
  return RULES.map((rule): Rule => {
    if (rule.scope === 'document') return rule;
    const counted: WorkspaceRule = {
      ...rule,
      check(index, options, report) {
        const { destinationRules, serviceEntries, virtualServices, services, endpoints } = index;
        seen.push(destinationRules.length + serviceEntries.length + virtualServices.length + [...services.values(), ...endpoints.values()].flat().length);
        rule.check(index, options, report);
      },
    };
    return counted;
  });
}

describe('incremental workspace findings', () => {
  it('stay right in one Project when another renews the shared key registry', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: ns\nspec:\n  ports:\n  - {name: tcp, port: 5432}\n';
    const endpoints = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: ns\nsubsets:\n- addresses: [{ip: 192.0.2.11}]\n  ports: [{name: tcp, port: 5432}]\n';
    const a = new Project();
    a.setFile('file:///svc.yaml', service);
    assert.deepEqual(
      a.findings('file:///svc.yaml').map((f) => f.code),
      ['EGR301'],
    );
    // Another Project hands out enough key ids (100 000 and more, mostly dead) for the registry to start afresh.
    const b = new Project();
    for (let round = 0; round < 7; round++) {
      const docs = Array.from({ length: 10_000 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${round}-${i}\nspec:\n  selector: {a: b}\n`);
      b.setFile('file:///b.yaml', docs.join('---\n'));
      b.findings('file:///b.yaml');
    }
    a.setFile('file:///ep.yaml', endpoints);
    assert.deepEqual(
      [...a.findings('file:///svc.yaml'), ...a.findings('file:///ep.yaml')].map((f) => `${f.code} ${f.message}`),
      [],
    );
  });

  it('re-run the rules over the resources an edit touches, not over the workspace', () => {
    const seen: number[] = [];
    const project = new Project(DEFAULT_OPTIONS, countingRules(seen));
    const { text } = generateFile(1000, 11);
    project.setFile('file:///big.yaml', text);
    project.findings('file:///big.yaml');
    assert.ok((seen[0] ?? 0) > 900, `first run over ${seen[0]} resources`);
    seen.length = 0;
    const edited = text.replace('mode: DISABLE', 'mode: ISTIO_MUTUAL');
    assert.notEqual(edited, text);
    project.setFile('file:///big.yaml', `# a comment that moves every document down\n${edited}`);
    const findings = project.findings('file:///big.yaml');
    assert.ok(seen.length > 0 && Math.max(...seen) < 20, `re-ran over ${Math.max(...seen)} resources`);
    assert.deepEqual(findings, projectOf(fileMap([['file:///big.yaml', `# a comment that moves every document down\n${edited}`]]), DEFAULT_OPTIONS, 'whole').findings('file:///big.yaml'));
  });

  it('keeps a component whose documents only moved, and re-places its findings', () => {
    const seen: number[] = [];
    const project = new Project(DEFAULT_OPTIONS, countingRules(seen));
    const docs = [SERVICE(1).replace('  ports:', '  type: ExternalName\n  externalName: x.example.com\n  ports:'), DR(1, 'DISABLE')];
    project.setFile('file:///a.yaml', `---\n${docs.join('---\n')}`);
    const before = project.findings('file:///a.yaml').filter((f) => f.code.startsWith('EGR4'));
    seen.length = 0;
    // A document put in front moves the others down without changing their text.
    project.setFile('file:///a.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n---\n${docs.join('---\n')}`);
    const after = project.findings('file:///a.yaml').filter((f) => f.code.startsWith('EGR4'));
    assert.equal(Math.max(0, ...seen), 0, 'no rule ran again');
    assert.ok(before.length > 0);
    assert.deepEqual(
      after.map((f) => [f.code, f.range.start.line, f.related.map((r) => r.range.start.line)]),
      before.map((f) => [f.code, f.range.start.line + 4, f.related.map((r) => r.range.start.line + 4)]),
    );
  });

  it('follow the names a guard-rule fix avoids, when the rule named so is unrelated otherwise', () => {
    const wildcard = (comment: string): string =>
      `# ${comment}\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: mesh\n  namespace: istio-system\nspec:\n  host: "*.svc.cluster.local"\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n`;
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  ports:\n  - name: http\n    port: 80\n';
    const namedRule = (name: string): string =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  host: x.example.org\n  trafficPolicy:\n    tls:\n      mode: SIMPLE\n`;
    const steps: [string, string][] = [
      [`${wildcard('one')}---\n${service}`, namedRule('api')],
      [`${wildcard('two')}---\n${service}`, namedRule('api')],
      [`${wildcard('two')}---\n${service}`, namedRule('other')],
      [`${wildcard('two')}---\n${service}`, namedRule('api-tls')],
    ];
    const project = new Project();
    for (const [n, [a, b]] of steps.entries()) {
      const files = fileMap([
        ['file:///a.yaml', a],
        ['file:///b.yaml', b],
      ]);
      for (const [uri, text] of files) project.setFile(uri, text);
      assertSameAsWhole(project, files, DEFAULT_OPTIONS, `step ${n}`);
      const fix = project.findings('file:///a.yaml').find((f) => f.code === 'EGR402')?.fixes?.[0]?.edits[0]?.newText ?? '';
      assert.match(fix, /name: api(-tls)?\n/, `step ${n}: a guard rule is offered`);
    }
  });

  it('with a focus, run the rules only over what ties the focused files, and still answer for any file asked', () => {
    const seen: number[] = [];
    const project = new Project(DEFAULT_OPTIONS, countingRules(seen));
    const files = generatedWorkspace(21);
    for (const [uri, text] of files) project.setFile(uri, text);
    const [big, , small] = [...files.keys()];
    assert.ok(big && small);
    project.setFocus(new Set([small]));
    const whole = projectOf(files, DEFAULT_OPTIONS, 'whole');
    assert.deepEqual(project.findings(small), whole.findings(small));
    const focusedRun = Math.max(...seen);
    seen.length = 0;
    // Asked outside the focus, a file is computed then, from what the focus left undone.
    assert.deepEqual(project.findings(big), whole.findings(big));
    const askedRun = Math.max(...seen);
    assert.ok(focusedRun < askedRun, `the focused run saw ${focusedRun} resources, the file asked after it ${askedRun}`);
    seen.length = 0;
    // Both stay covered until the next change: asking again runs nothing.
    assert.deepEqual(project.findings(small), whole.findings(small));
    assert.deepEqual(project.findings(big), whole.findings(big));
    assert.equal(seen.length, 0, 'no rule ran again');
  });

  it('computed in steps of a few components each, say what one run over all of them says', () => {
    const builder = new FileModelBuilder();
    const models = [...generatedWorkspace(31)].map(([uri, text]) => builder.build(uri, text));
    const inOneRun = new IncrementalWorkspaceFindings(
      RULES.filter((r): r is WorkspaceRule => r.scope === 'workspace'),
      Number.MAX_SAFE_INTEGER,
    );
    const inSmallSteps = new IncrementalWorkspaceFindings(
      RULES.filter((r): r is WorkspaceRule => r.scope === 'workspace'),
      3,
    );
    const whole = inOneRun.compute(models, DEFAULT_OPTIONS);
    const steps = inSmallSteps.steps(models, DEFAULT_OPTIONS);
    let count = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) count++;
    assert.ok(count > 100, `${count} steps`);
    assert.deepEqual(
      sortedByUri(
        step.value,
        models.map((m) => m.uri),
      ),
      sortedByUri(
        whole,
        models.map((m) => m.uri),
      ),
    );
  });

  it('computed ahead in slices by a project, are those findings asks for, and a change starts them over', () => {
    const files = generatedWorkspace(32);
    const project = new Project();
    for (const [uri, text] of files) project.setFile(uri, text);
    const [first, second] = [...files.keys()];
    assert.ok(first && second);
    project.setFocus(new Set([first]));
    // One step per call: it stops as soon as it may.
    assert.equal(
      project.workspaceFindingsAhead(first, () => true),
      false,
    );
    // A change meanwhile: what was computed is dropped, and the findings are those of the new text.
    const edited = (files.get(second) ?? '').replace('mode: DISABLE', 'mode: ISTIO_MUTUAL');
    project.setFile(second, edited);
    let calls = 1;
    while (!project.workspaceFindingsAhead(first, () => true)) calls++;
    assert.ok(calls > 1, `${calls} calls`);
    const now = new Map(files).set(second, edited);
    const whole = projectOf(orderedLike(project, now), DEFAULT_OPTIONS, 'whole');
    assert.deepEqual(project.findings(first), whole.findings(first));
    assert.deepEqual(project.findings(second), whole.findings(second));
  });

  it('an assist in a file just added sees its resources (the index of before the file may not serve it)', () => {
    const project = new Project();
    project.setFile('file:///a.yaml', SERVICE(1));
    assert.equal(project.indexFor('file:///a.yaml').destinationRules.length, 0);
    project.setFile('file:///b.yaml', DR(1, 'DISABLE'));
    assert.equal(project.indexFor('file:///b.yaml').destinationRules.length, 1);
  });

  for (const seed of [7, 8, 9]) {
    it(`with a focus, equal a fresh full analysis after every random edit (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const files = randomFiles(rng);
      const project = new Project();
      const texts = (): Map<string, string> => new Map([...files].map(([uri, docs]) => [uri, docs.join('\n---\n')]));
      for (const [uri, text] of texts()) project.setFile(uri, text);
      for (let step = 0; step < 60; step++) {
        const what = randomEdit(rng, files);
        if (what !== 'options' && what !== 'reopen') project.setFile(what, texts().get(what) ?? '');
        // The editor's open files change now and then: one or two of the three, or none.
        if (rng.chance(0.2)) project.setFocus(new Set([...files.keys()].filter(() => rng.chance(0.5))));
        const whole = projectOf(orderedLike(project, texts()), DEFAULT_OPTIONS, 'whole');
        const asked = rng.pick([...files.keys()]);
        assert.deepEqual(project.findings(asked), whole.findings(asked), `seed ${seed}, step ${step} (${what}): ${asked}`);
      }
    });
  }

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`equal a fresh full analysis after every random edit of related resources (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const files = randomFiles(rng);
      let options = DEFAULT_OPTIONS;
      const project = new Project(options);
      const texts = (): Map<string, string> => new Map([...files].map(([uri, docs]) => [uri, docs.join('\n---\n')]));
      for (const [uri, text] of texts()) project.setFile(uri, text);
      for (let step = 0; step < 80; step++) {
        const what = randomEdit(rng, files);
        if (what === 'options') {
          options = rng.pick(OPTION_VARIANTS);
          project.setOptions(options);
        } else if (what === 'reopen') {
          // Removing and adding a file moves it to the end of the workspace order.
          const uri = rng.pick([...files.keys()]);
          project.removeFile(uri);
          project.setFile(uri, texts().get(uri) ?? '');
        } else {
          project.setFile(what, texts().get(what) ?? '');
        }
        // Interleave reads with writes as an editor does, sometimes skipping a read so edits pile up.
        if (rng.chance(0.7)) project.findings(rng.pick([...files.keys()]));
        assertSameAsWhole(project, orderedLike(project, texts()), options, `seed ${seed}, step ${step} (${what})`);
      }
    });
  }
});

/** Three files of ten random documents each, by URI (each document a list entry, for `randomEdit`). */
function randomFiles(rng: Rng): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (let f = 0; f < 3; f++)
    files.set(
      `file:///r${f}.yaml`,
      Array.from({ length: 10 }, () => randomDocument(rng)),
    );
  return files;
}

/** The files in the project's own order (a fresh project must see them in the same order). */
function orderedLike(project: Project, texts: Map<string, string>): Map<string, string> {
  return new Map([...project.uris()].map((uri) => [uri, texts.get(uri) ?? '']));
}

/** Values a line edit puts after a key, drawn from the same pools as the documents. */
function newValue(rng: Rng, key: string): string {
  const fresh = randomDocument(rng)
    .split('\n')
    .find((line) => line.trimStart().startsWith(`${key}:`));
  return fresh ? fresh.slice(fresh.indexOf(':') + 1).trim() : rng.pick(['api', 'shop', '"*.example.com"', 'mail.example.com']);
}

/**
 * One random edit of the files' documents; returns the uri edited, or what else happened. Edits rename Services,
 * switch DestinationRule hosts between their forms, move resources between namespaces, add and drop ServiceEntry
 * hosts, split documents (a `---` put in) and merge them (one taken out), and move documents down with comments.
 */
function randomEdit(rng: Rng, files: Map<string, string[]>): string {
  const roll = rng.next();
  if (roll < 0.04) return 'options';
  if (roll < 0.08) return 'reopen';
  const uri = rng.pick([...files.keys()]);
  const docs = files.get(uri) ?? [];
  const i = rng.int(0, Math.max(0, docs.length - 1));
  const doc = docs[i] ?? '';
  const lines = doc.split('\n');
  if (roll < 0.45) {
    // A one-line edit of a value the rules look things up by.
    const keyed = lines.map((line, n) => ({ n, key: /^\s*(name|namespace|host|mode|externalName|type|location|number):/.exec(line)?.[1] })).filter((l) => l.key);
    const target = keyed.length ? rng.pick(keyed) : undefined;
    const line = target ? lines[target.n] : undefined;
    if (target?.key && line !== undefined) lines[target.n] = `${line.slice(0, line.indexOf(':') + 1)} ${newValue(rng, target.key)}`;
    else lines.push(`  namespace: ${rng.pick(['shop', 'default', 'istio-system'])}`);
    docs[i] = lines.join('\n');
  } else if (roll < 0.55) {
    // Add or drop a ServiceEntry host (or any list item).
    const item = lines.findIndex((l) => /^\s*- /.test(l));
    if (item !== -1 && rng.chance(0.5)) lines.splice(item, 1);
    else lines.splice(Math.max(0, item), 0, `  - "${rng.pick(['mail.example.com', '*.example.com', 'api.shop.svc.cluster.local', '*'])}"`);
    docs[i] = lines.join('\n');
  } else if (roll < 0.63) {
    // Split one document in two.
    const at = rng.int(0, lines.length);
    docs.splice(i, 1, lines.slice(0, at).join('\n'), lines.slice(at).join('\n'));
  } else if (roll < 0.71 && docs.length > 1) {
    // Merge two documents into one.
    const next = docs[i + 1];
    if (next !== undefined) docs.splice(i, 2, `${doc}\n${next}`);
    else docs.splice(i - 1, 2, `${docs[i - 1] ?? ''}\n${doc}`);
  } else if (roll < 0.75) {
    docs[i] = `# moved down ${rng.int(0, 99)}\n${doc}`;
  } else if (roll < 0.79) {
    // Suppression comments typed a piece at a time, or cut in two (the marker may straddle the edited stretch).
    const at = rng.int(0, doc.length);
    const piece = rng.pick(['# istio-egress-disable EGR304\n', '# istio-egress-disable-file\n', 'istio-egress-', 'disable', '']);
    docs[i] = doc.slice(0, at) + piece + doc.slice(at + (piece ? 0 : rng.int(1, 8)));
  } else if (roll < 0.87) {
    docs.splice(i, 0, randomDocument(rng));
  } else if (roll < 0.93) {
    docs.splice(i, 1);
  } else {
    docs[i] = randomDocument(rng);
  }
  return uri;
}
