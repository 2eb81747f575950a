import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNamespace, readPods } from '../../server/src/probe/kubeObjects';
import { selectSourcePods as select, type PodQuery } from '../../server/src/probe/sourcePods';
import { list, namespace, pod, type PodShape } from './fixtures/kube';

const selectSourcePods = (queries: readonly PodQuery[], ns: Parameters<typeof select>[1]): ReturnType<typeof select> =>
  select(queries, ns, { sidecarNamespace: 'default', noSidecarNamespace: 'without-istio' });

function query(ns: string, selector: string, pods: readonly PodShape[]): PodQuery {
  return { namespace: ns, selector, pods: readPods(list(pods.map(pod))) };
}

function namespaces(...objects: Record<string, unknown>[]): Map<string, NonNullable<ReturnType<typeof readNamespace>>> {
  return new Map(
    objects
      .map((o) => readNamespace(o))
      .filter((n) => n !== undefined)
      .map((n) => [n.name, n]),
  );
}

describe('source pod selection', () => {
  it('takes a pod with the istio-proxy container as "sidecar" and execs into its first other container', () => {
    const { sources } = selectSourcePods([query('default', 'app=curl', [{ name: 'curl-1', namespace: 'default', sidecar: 'container' }])], namespaces(namespace('default')));
    assert.deepEqual(sources, [{ namespace: 'default', pod: 'curl-1', container: 'curl', mode: 'sidecar', selector: 'app=curl' }]);
  });

  it('takes a pod without istio-proxy as "no-sidecar"', () => {
    const { sources } = selectSourcePods([query('without-istio', 'app=curl', [{ name: 'curl-2', namespace: 'without-istio' }])], namespaces(namespace('without-istio')));
    assert.equal(sources[0]?.mode, 'no-sidecar');
    assert.equal(sources[0]?.container, 'curl');
  });

  it('recognises a native sidecar (init container istio-proxy with restartPolicy Always)', () => {
    const { sources } = selectSourcePods([query('default', 'app=curl', [{ name: 'curl-3', namespace: 'default', sidecar: 'native' }])], new Map());
    assert.equal(sources[0]?.mode, 'sidecar');
    assert.equal(sources[0]?.container, 'curl');
  });

  it('reports pods of an ambient namespace as ambient, not as "no sidecar"', () => {
    const selection = selectSourcePods([query('mesh', 'app=curl', [{ name: 'curl-4', namespace: 'mesh' }])], namespaces(namespace('mesh', { 'istio.io/dataplane-mode': 'ambient' })));
    assert.equal(selection.sources[0]?.mode, 'ambient');
    assert.ok(selection.notes.some((n) => /without a sidecar/.test(n)));
  });

  it('a pod label opts out of ambient', () => {
    const { sources } = selectSourcePods(
      [query('mesh', 'app=curl', [{ name: 'curl-5', namespace: 'mesh', labels: { 'istio.io/dataplane-mode': 'none' } }])],
      namespaces(namespace('mesh', { 'istio.io/dataplane-mode': 'ambient' })),
    );
    assert.equal(sources[0]?.mode, 'no-sidecar');
  });

  it('uses only Running pods that are not terminating, and says which were passed over', () => {
    const selection = selectSourcePods(
      [
        query('default', 'app=curl', [
          { name: 'curl-pending', namespace: 'default', sidecar: 'container', phase: 'Pending' },
          { name: 'curl-old', namespace: 'default', sidecar: 'container', deleting: true },
          { name: 'curl-ok', namespace: 'default', sidecar: 'container' },
        ]),
      ],
      new Map(),
    );
    assert.deepEqual(
      selection.sources.map((s) => s.pod),
      ['curl-ok'],
    );
    assert.match(selection.notes[0] ?? '', /default\/curl-pending \(Pending\), default\/curl-old \(terminating\)/);
  });

  it('keeps query order: the first selector that finds a pod wins (app=curl before app=sleep)', () => {
    const { sources } = selectSourcePods(
      [
        query('default', 'app=curl', [{ name: 'curl-a', namespace: 'default', sidecar: 'container' }]),
        query('default', 'app=sleep', [{ name: 'sleep-a', namespace: 'default', sidecar: 'container', app: 'sleep' }]),
        query('without-istio', 'app=curl', []),
        query('without-istio', 'app=sleep', [{ name: 'sleep-b', namespace: 'without-istio', app: 'sleep' }]),
      ],
      new Map(),
    );
    assert.deepEqual(
      sources.map((s) => [s.pod, s.container, s.mode, s.selector]),
      [
        ['curl-a', 'curl', 'sidecar', 'app=curl'],
        ['sleep-b', 'sleep', 'no-sidecar', 'app=sleep'],
      ],
    );
  });

  it('when none is found, says how to create one (text only)', () => {
    const selection = selectSourcePods([query('default', 'app=curl', []), query('without-istio', 'app=curl', [])], new Map());
    assert.deepEqual(selection.sources, []);
    const text = selection.notes.join('\n');
    assert.match(text, /kubectl apply -n default -f https:\/\/raw\.githubusercontent\.com\/istio\/istio\/release-1\.24\/samples\/curl\/curl\.yaml/);
    assert.match(text, /kubectl create namespace without-istio; kubectl apply -n without-istio -f https:\/\/raw\.githubusercontent\.com/);
  });
});
