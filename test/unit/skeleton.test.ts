import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locate, type Spot } from '../../server/src/analysis/documents/locate';
import { skeletonAt } from '../../server/src/analysis/documents/skeleton';
import { Analysis } from '../../server/src/analysis/engine/analysis';

/** A DestinationRule with many port-level settings and subsets, lists written both indented and indentless. */
function bigRule(ports: number): string {
  const out = [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    '  name: big',
    '  namespace: shop',
    '  labels: {app: big}',
    'spec:',
    '  host: big.shop.svc.cluster.local',
    '  trafficPolicy:',
    '    # one entry per port',
    '    portLevelSettings:',
  ];
  for (let i = 0; i < ports; i++) {
    out.push(
      '    - port:',
      `        number: ${8000 + i}`,
      '      tls:',
      `        mode: ${i % 2 ? 'SIMPLE' : 'DISABLE'}`,
      ...(i % 3 ? [] : ['        subjectAltNames:', `        - spiffe://cluster.local/ns/shop/sa/s${i}`, `        - s${i}.example.com`]),
      '',
    );
  }
  out.push('  subsets:');
  for (let i = 0; i < ports / 4; i++)
    out.push(
      `  - name: v${i}`,
      '    labels:',
      `      version: v${i}`,
      '    trafficPolicy:',
      '      portLevelSettings:',
      '        - port: {number: 80}',
      '          tls: {mode: ISTIO_MUTUAL}',
    );
  return out.join('\n') + '\n';
}

/** A VirtualService with nested routes, matches and lists of lists. */
function bigRoutes(routes: number): string {
  const out = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: routes', 'spec:', '  hosts:', '  - a.example', '  gateways: [mesh]', '  http:'];
  for (let i = 0; i < routes; i++) {
    out.push(
      '  - match:',
      '    - uri:',
      `        prefix: /p${i}`,
      '      headers:',
      '        x-version:',
      `          exact: v${i}`,
      '    route:',
      '    - destination:',
      `        host: s${i}.shop.svc.cluster.local`,
      '        port:',
      '          number: 80',
      '      weight: 100',
    );
  }
  return out.join('\n') + '\n';
}

/** The spot of `locate` on the skeleton, its lines put back into the document's. */
function viaSkeleton(text: string, line: number, character: number): Spot | 'none' {
  const skeleton = skeletonAt(text, line, character);
  if (!skeleton) return 'none';
  const spot = locate(skeleton.text, { line: skeleton.lines.indexOf(line), character });
  if (spot.kind === 'none') return spot;
  const back = (l: number): number => skeleton.lines[l] ?? -1;
  return { ...spot, range: { start: { ...spot.range.start, line: back(spot.range.start.line) }, end: { ...spot.range.end, line: back(spot.range.end.line) } } };
}

function compareEverywhere(text: string): void {
  const lines = text.split('\n');
  let compared = 0;
  lines.forEach((content, line) => {
    const indent = content.length - content.trimStart().length;
    for (const character of new Set([indent, indent + 2, Math.max(0, content.length - 1), content.length])) {
      assert.deepEqual(viaSkeleton(text, line, character), locate(text, { line, character }), `line ${line}, character ${character}: ${content}`);
      compared++;
    }
  });
  assert.ok(compared > lines.length, 'positions compared');
}

describe('skeleton of a large document: the lines a completion or hover needs', () => {
  it('locates every position of a large DestinationRule as the whole document does, list indices included', () => {
    compareEverywhere(bigRule(60));
  });

  it('does the same in a VirtualService of nested routes and matches', () => {
    compareEverywhere(bigRoutes(40));
  });

  it('stays small: the cursor block, its parents and the metadata, with stood-in items', () => {
    const text = bigRule(400);
    const line = text.split('\n').indexOf('        number: 8350');
    const skeleton = skeletonAt(text, line, 10);
    assert.ok(skeleton);
    assert.ok(skeleton.lines.length < 700, `${skeleton.lines.length} lines of ${text.split('\n').length}`);
    assert.ok(skeleton.text.includes('kind: DestinationRule') && skeleton.text.includes('  namespace: shop'));
    assert.ok(skeleton.lines.includes(-1), 'earlier items are stood in for');
  });

  it('gives up where a cut would be unsafe: tabs, a flow collection open across lines', () => {
    assert.equal(skeletonAt('spec:\n\thost: a\n  x: 1\n', 2, 2), undefined);
    assert.equal(skeletonAt('spec:\n  ports: [1,\n    2]\n  host: a\n', 3, 4), undefined);
  });
});

describe('completion and hover before the keystroke is parsed (quick assist) answer as after', () => {
  const uri = 'file:///ws/big.yaml';
  const cases: { readonly name: string; readonly text: string }[] = [
    { name: 'a 100 KB DestinationRule (read through its skeleton)', text: bigRule(300) },
    { name: 'a file of small documents (the document parsed alone)', text: Array.from({ length: 40 }, (_, i) => bigRoutes(1).replace('name: routes', `name: r${i}`)).join('---\n') },
  ];
  for (const { name, text } of cases) {
    it(name, () => {
      const lines = text.split('\n');
      const targets = lines.flatMap((l, i) => (/^\s+(mode|host|number|prefix): /.test(l) ? [i] : [])).filter((_, i) => i % 7 === 0);
      assert.ok(targets.length > 5);
      for (const line of targets) {
        const content = lines[line] ?? '';
        // The value being typed: all but its last character was parsed, the last keystroke was not.
        const before = [...lines.slice(0, line), content.slice(0, -1), ...lines.slice(line + 1)].join('\n');
        const position = { line, character: content.length };
        const stale = new Analysis();
        stale.setFile(uri, before);
        const quick = stale.quickCompletionsAt(uri, text, position);
        // Hover on another line: in a large document the resource is the last parse's, a keystroke behind on the
        // line being typed (its spot is current); everywhere else it reads as after.
        const hoverLine = lines.findIndex((l, i) => i !== line && /^\s+host: /.test(l));
        const hoverAt = { line: hoverLine, character: (lines[hoverLine] ?? '').indexOf(': ') + 3 };
        const quickHover = stale.quickHoverAt(uri, text, hoverAt);
        const whole = new Analysis();
        whole.setFile(uri, text);
        const full = whole.completionsAt(uri, position);
        assert.ok(quick && full, `line ${line}`);
        assert.deepEqual(quick.assist.spot, full.assist.spot, `line ${line}`);
        assert.equal(quick.assist.placed.startLine, full.assist.placed.startLine);
        assert.deepEqual(quick.suggestions, full.suggestions, `line ${line}: ${content}`);
        if (hoverLine >= 0) assert.deepEqual(quickHover?.facts, whole.hoverAt(uri, hoverAt)?.facts, `hover, line ${hoverLine}`);
      }
    });
  }
});
