import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_OPTIONS } from '../../server/src/analysis/options';
import type { WorkspaceRule } from '../../server/src/analysis/rules/rule';
import { FileModelBuilder } from '../../server/src/analysis/workspace/fileModel';
import { Project } from '../../server/src/analysis/engine/project';
import { ask, type Relation } from '../../server/src/analysis/workspace/relation';
import { SERVICE_ENDPOINTS } from '../../server/src/analysis/workspace/relations';
import { wholeWorkspaceFindings } from '../../server/src/analysis/engine/workspaceFindings';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  ports:\n  - name: tcp\n    port: 5432\n';
const ENDPOINTS = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\nsubsets:\n- addresses:\n  - ip: 10.1.2.3\n';

/** A rule that reports each Service with Endpoints, reading them through `via` (declaring `reads`). */
function endpointsRule(reads: readonly Relation[], via: Relation | undefined): WorkspaceRule {
  return {
    code: 'EGR999',
    name: 'test-rule',
    title: 'test',
    severity: 'hint',
    scope: 'workspace',
    reads,
    check(index, _options, report) {
      for (const list of index.services.values()) {
        for (const placed of list) {
          const name = placed.resource.name;
          if (!name || index.endpointsOf('shop', name.value, via ? ask(via, placed) : undefined).length === 0) continue;
          report({ at: placed, range: name.range, message: 'has endpoints' });
        }
      }
    },
  };
}

function run(rule: WorkspaceRule): number {
  const builder = new FileModelBuilder();
  const files = [builder.build('file:///w/a.yaml', SERVICE), builder.build('file:///w/b.yaml', ENDPOINTS)];
  return [...wholeWorkspaceFindings(files, [rule], DEFAULT_OPTIONS).values()].flat().length;
}

describe('workspace rules read only through the relations they declare', () => {
  it('lets a rule read through a relation it declares, whose asks list the key', () => {
    assert.equal(run(endpointsRule([SERVICE_ENDPOINTS], SERVICE_ENDPOINTS)), 1);
  });

  it('fails a read that names no relation', () => {
    assert.throws(() => run(endpointsRule([SERVICE_ENDPOINTS], undefined)), /EGR999 reads Endpoints shop\/db without naming the relation/);
  });

  it('fails a read through a relation the rule does not declare', () => {
    assert.throws(() => run(endpointsRule([], SERVICE_ENDPOINTS)), /EGR999 reads through 'a Service's Endpoints', which its 'reads' does not list/);
  });

  it("fails a read of a key the relation's asks do not list", () => {
    const forgetful: Relation = { name: 'a relation that forgot its keys', asks: () => undefined };
    assert.throws(() => run(endpointsRule([forgetful], forgetful)), /EGR999: Service 'db' reads Endpoints shop\/db \(key 's shop\/db'\) through 'a relation that forgot its keys'/);
  });

  it('keeps the finding on the Service in step with edits of the Endpoints (incremental analysis)', () => {
    const project = new Project(DEFAULT_OPTIONS, [endpointsRule([SERVICE_ENDPOINTS], SERVICE_ENDPOINTS)]);
    project.setFile('file:///w/a.yaml', SERVICE);
    project.setFile('file:///w/b.yaml', ENDPOINTS);
    assert.equal(project.findings('file:///w/a.yaml').length, 1);
    project.setFile('file:///w/b.yaml', ENDPOINTS.replace('name: db', 'name: other'));
    assert.equal(project.findings('file:///w/a.yaml').length, 0);
  });
});
