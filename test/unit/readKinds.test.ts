import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onlyReadKinds } from '../../server/src/analysis/render/readKinds';

describe('onlyReadKinds: rendered output keeps the documents the rules read, line for line', () => {
  it('blanks a Deployment and keeps a Service, the separators and the Source comments', () => {
    const text =
      '# Source: c/templates/a.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
    const out = onlyReadKinds(text);
    assert.equal(out.split('\n').length, text.split('\n').length);
    assert.equal(out, '# Source: c/templates/a.yaml\n\n\n\n\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
  });

  it('keeps every kind a rule reads, and a document whose kind is only nested (a List item) is not read', () => {
    for (const kind of ['Service', 'Endpoints', 'EndpointSlice', 'DestinationRule', 'ServiceEntry', 'VirtualService']) {
      const text = `kind: ${kind}\nmetadata:\n  name: x\n`;
      assert.equal(onlyReadKinds(text), text, kind);
    }
    assert.equal(onlyReadKinds('kind: List\nitems:\n- kind: Service\n'), '\n\n\n');
  });
});
