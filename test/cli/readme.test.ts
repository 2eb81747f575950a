/**
 * The README's CI workflow, run as written: its YAML parses, it never runs code fetched by name from a registry
 * (`npx`), the repository it checks out is pinned to a commit, and each `node .istio-egress/dist/cli.js check …`
 * command runs with the built CLI (the checkout path mapped to this repository) on a folder of manifests.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
  readonly 'working-directory'?: string;
}

function workflow(): { readonly jobs: Record<string, { readonly steps: readonly Step[] }> } {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /<!-- ci-workflow:start -->\s*```yaml\n([\s\S]*?)```\s*<!-- ci-workflow:end -->/.exec(readme)?.[1];
  assert.ok(block, 'README.md has the CI workflow between its markers');
  return parse(block) as ReturnType<typeof workflow>;
}

const MANIFEST = `apiVersion: v1
kind: Endpoints
metadata:
  name: api
subsets:
- addresses:
  - ip: 127.0.0.1
`;

describe("README's CI workflow", () => {
  const steps = Object.values(workflow().jobs).flatMap((job) => job.steps);

  it('runs no package fetched by name, and pins the checked-out tool to a commit', () => {
    for (const step of steps) assert.doesNotMatch(step.run ?? '', /\bnpx\b/, step.run);
    const tool = steps.find((s) => s.uses?.startsWith('actions/checkout') && s.with?.path === '.istio-egress');
    assert.ok(tool, 'a checkout of the tool into .istio-egress');
    assert.ok(tool.with?.ref, 'pinned by ref');
    const build = steps.find((s) => s['working-directory'] === '.istio-egress');
    assert.match(build?.run ?? '', /^npm ci\b.*&& npm run build$/);
  });

  it('runs each check command as written, with the built CLI', async () => {
    const commands = steps.flatMap((s) => (s.run?.startsWith('node .istio-egress/dist/cli.js check') ? [s.run] : []));
    assert.equal(commands.length, 2);
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-ci-readme-'));
    mkdirSync(path.join(dir, 'manifests'));
    writeFileSync(path.join(dir, 'manifests', 'endpoints.yaml'), MANIFEST);
    // The workflow's checkout of the tool, as this repository.
    symlinkSync(PROJECT_ROOT, path.join(dir, '.istio-egress'));
    for (const command of commands) {
      const [argv = '', redirect] = command.split(' > ');
      const [node, ...args] = argv.trim().split(/\s+/);
      assert.equal(node, 'node');
      const result = await run(process.execPath, args, { cwd: dir });
      assert.equal(result.code, 1, `${command}: ${result.stderr}`);
      if (redirect) writeFileSync(path.join(dir, redirect.trim()), result.stdout);
      if (args.includes('github')) assert.match(result.stdout, /^::error file=manifests\/endpoints\.yaml,line=7,.*EGR110/m);
    }
    const sarif = JSON.parse(readFileSync(path.join(dir, 'egress.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    assert.deepEqual(
      sarif.runs[0]?.results.map((r) => r.ruleId).filter((id) => id === 'EGR110'),
      ['EGR110'],
    );
  });
});
