import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kustomizeProblem } from '../../server/src/analysis/render/kustomizeErrors';

describe('kustomizeProblem: where kubectl kustomize puts the blame', () => {
  it('names the innermost kustomization and its entry for a missing resource', () => {
    // As kubectl v1.35 writes it (paths shortened).
    const stderr =
      "error: accumulating resources: accumulation err='accumulating resources from '../../base': '/repo/base' must resolve to a file': recursed accumulation of path '/repo/base': accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/repo/base/missing.yaml' : lstat /repo/base/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/repo/base/missing.yaml' : lstat /repo/base/missing.yaml: no such file or directory\n";
    assert.deepEqual(kustomizeProblem(stderr), { folder: '/repo/base', entry: 'missing.yaml', message: "'missing.yaml' does not exist (/repo/base/missing.yaml)" });
  });

  it('names a generator file that does not exist', () => {
    const stderr = "error: loading KV pairs: file sources: [policy.rego]: evalsymlink failure on '/repo/opa/policy.rego' : lstat /repo/opa/policy.rego: no such file or directory\n";
    assert.deepEqual(kustomizeProblem(stderr), { entry: 'policy.rego', message: "'policy.rego' does not exist (/repo/opa/policy.rego)" });
  });

  it('keeps any other complaint in its own words', () => {
    assert.deepEqual(kustomizeProblem('error: no matches for Id Service.v1.[noGrp]/api.[noNs]; failed to find unique target for patch\n'), {
      message: 'no matches for Id Service.v1.[noGrp]/api.[noNs]; failed to find unique target for patch',
    });
    assert.deepEqual(kustomizeProblem(''), { message: 'kubectl kustomize failed' });
  });
});
