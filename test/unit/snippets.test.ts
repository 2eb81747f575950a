/**
 * Expands every snippet of snippets/yaml.json to its default text (and to every
 * choice), parses the result as YAML and checks the Kubernetes/Istio facts the
 * snippets are meant to teach.
 *
 * Run: node --import tsx --test test/unit/snippets.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import type { Finding } from '../../server/src/analysis/findings';
import { DEFAULT_OPTIONS } from '../../server/src/analysis/options';
import { Project } from '../../server/src/analysis/engine/project';
import {
  allExpansions,
  CHART_PREFIX,
  chartValuesText,
  expand,
  isChartVariant,
  isRecord,
  loadSnippets,
  plainCounterpart,
  SNIPPETS_PATH,
  SnippetSyntaxError,
  tabstops,
  valuePathsRead,
  type Snippet,
} from '../support/snippets';

// ---------------------------------------------------------------------------
// The YAML the snippets produce.
// ---------------------------------------------------------------------------

/** Path lookup in plain parsed YAML; undefined when any step is missing. */
function at(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      const item: unknown = current[key];
      current = item;
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

function list(value: unknown): unknown[] {
  assert.ok(Array.isArray(value), `expected a list, got ${JSON.stringify(value)}`);
  const items: unknown[] = [...(value as unknown[])];
  return items;
}

function parseYaml(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  assert.ok(Array.isArray(docs), `not a YAML stream:\n${text}`);
  return docs.map((doc, i) => {
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `YAML errors in document ${i}:\n${text}`,
    );
    assert.deepEqual(
      doc.warnings.map((e) => e.message),
      [],
      `YAML warnings in document ${i}:\n${text}`,
    );
    const js: unknown = doc.toJS();
    assert.ok(isRecord(js), `document ${i} is not a mapping:\n${text}`);
    return js;
  });
}

function ofKind(docs: readonly unknown[], kind: string): Record<string, unknown>[] {
  return docs.filter((d): d is Record<string, unknown> => isRecord(d) && d['kind'] === kind);
}

function only(docs: readonly unknown[], kind: string): Record<string, unknown> {
  const found = ofKind(docs, kind);
  assert.equal(found.length, 1, `expected exactly one ${kind}`);
  const [doc] = found;
  assert.ok(doc);
  return doc;
}

/** Every `tls.mode` value anywhere in a parsed document. */
function tlsModes(value: unknown): unknown[] {
  const modes: unknown[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (isRecord(v)) {
      const tls = v['tls'];
      if (isRecord(tls) && 'mode' in tls) modes.push(tls['mode']);
      for (const child of Object.values(v)) visit(child);
    }
  };
  visit(value);
  return modes;
}

const ISTIO_KINDS = new Set(['ServiceEntry', 'DestinationRule', 'VirtualService', 'Gateway', 'Sidecar', 'PeerAuthentication']);
const DOC_IP = /^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

const snippets = loadSnippets();

/** The Istio release a snippet is written for: the newest, except the page's own pre-1.21 form. */
function istioVersionFor(s: Snippet): string {
  return s.prefix === 'egress-externalname-istio120' ? '1.20' : DEFAULT_OPTIONS.istioVersion;
}

/** Every finding of the analysis on `text` as one file (beside `others`), with the given Istio version. */
function analyse(text: string, istioVersion: string, others: readonly string[] = []): Finding[] {
  const project = new Project({ ...DEFAULT_OPTIONS, istioVersion });
  project.setFile('file:///snippet.yaml', text);
  others.forEach((other, i) => project.setFile(`file:///other-${i}.yaml`, other));
  return [...project.uris()].flatMap((uri) => project.findings(uri));
}

function describeFinding(f: Finding): string {
  return `${f.code} ${f.severity} line ${f.range.start.line + 1}: ${f.message}`;
}

function snippet(prefix: string): Snippet {
  const found = snippets.find((s) => s.prefix === prefix);
  assert.ok(found, `no snippet with prefix ${prefix}`);
  return found;
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('snippet expander', () => {
  it('expands defaults, mirrors (before or after the definition), choices and $0', () => {
    assert.equal(expand('a ${1:x} b $1 c ${1}'), 'a x b x c x');
    assert.equal(expand('$1 then ${1:late}'), 'late then late');
    assert.equal(expand('${1|a,b|}-$1'), 'a-a');
    assert.equal(expand('x$0y$2z'), 'xyz');
    assert.equal(expand('${1:first} ${1:second}'), 'first first');
  });

  it('expands nested placeholders and mirrors inside defaults', () => {
    assert.equal(expand('${2:${1:n}.svc}'), 'n.svc');
    assert.equal(expand('${1:n} ${2:$1.svc}'), 'n n.svc');
    assert.equal(expand('${1:n} ${2:$1.svc}', new Map([[1, 'db']])), 'db db.svc');
    assert.equal(expand('${1:n} ${2:$1.svc} $2', new Map([[2, 'x']])), 'n x x');
  });

  it('handles escapes, literal dollars and variables', () => {
    assert.equal(expand('\\$1 \\} \\\\ ${1:a\\}b}'), '$1 } \\ a}b');
    assert.equal(expand('${1|a\\,b,c|}'), 'a,b');
    assert.equal(expand('cost: $ 5 {x}'), 'cost: $ 5 {x}');
    assert.equal(expand('${TM_FILENAME:file.yaml} $UNKNOWN'), 'file.yaml ');
  });

  it('rejects malformed snippets and transforms', () => {
    assert.throws(() => expand('${1:abc'), SnippetSyntaxError);
    assert.throws(() => expand('${1|a,b}'), SnippetSyntaxError);
    assert.throws(() => expand('${1/a/b/}'), SnippetSyntaxError);
    assert.throws(() => expand('${:x}'), SnippetSyntaxError);
  });
});

describe('snippets/yaml.json', () => {
  it('contains exactly the expected snippets, each with an egress- prefix and a description', () => {
    assert.deepEqual(snippets.map((s) => s.prefix).sort(), [
      'egress-chart-destinationrule',
      'egress-chart-destinationrule-mutual',
      'egress-chart-externalname',
      'egress-chart-externalname-tls',
      'egress-chart-selectorless',
      'egress-chart-selectorless-guarded',
      'egress-chart-serviceentry',
      'egress-chart-tls-origination',
      'egress-destinationrule',
      'egress-destinationrule-mutual',
      'egress-externalname',
      'egress-externalname-istio120',
      'egress-externalname-tls',
      'egress-probe-pods',
      'egress-selectorless',
      'egress-selectorless-guarded',
      'egress-serviceentry',
      'egress-tls-origination',
    ]);
    for (const s of snippets) {
      assert.ok(s.prefix.startsWith('egress-'), s.prefix);
      assert.ok(s.description.trim().length > 20, `${s.prefix}: description too short`);
      assert.ok(
        tabstops(s.body).some((t) => t.index !== 0),
        `${s.prefix}: no tab stops`,
      );
    }
  });

  it('never mentions ISTIO_MUTUAL and only uses the networking.istio.io/v1 API', () => {
    const raw = readFileSync(SNIPPETS_PATH, 'utf8');
    assert.ok(!raw.includes('ISTIO_MUTUAL'));
    assert.ok(!/v1alpha3|v1beta1/.test(raw));
    for (const s of snippets) {
      assert.ok(!s.body.includes('\t'), `${s.prefix}: tab characters are not valid YAML indentation`);
    }
  });

  for (const s of snippets) {
    // Chart variants (egress-chart-…) are Helm templates, not YAML, until helm renders them: test/cli/chartSnippets.test.ts
    // renders each with the pinned helm and checks the output with the CLI; 'Helm chart variants' below checks them as text.
    if (isChartVariant(s)) continue;
    describe(`${s.prefix} expansions`, () => {
      for (const { label, text } of allExpansions(s)) {
        it(`expands (${label}) to valid YAML with fitting TLS modes and stable APIs`, () => {
          assert.ok(!text.includes('$'), `unexpanded snippet syntax:\n${text}`);
          const docs = parseYaml(text);
          assert.ok(docs.length > 0);
          for (const doc of docs) {
            const kind = at(doc, 'kind');
            const apiVersion = at(doc, 'apiVersion');
            assert.equal(typeof kind, 'string');
            if (typeof kind === 'string' && ISTIO_KINDS.has(kind)) {
              assert.equal(apiVersion, 'networking.istio.io/v1', `${kind} must use networking.istio.io/v1`);
            } else {
              assert.equal(apiVersion, kind === 'Deployment' ? 'apps/v1' : 'v1', `${String(kind)} is a Kubernetes resource`);
            }
            assert.equal(typeof at(doc, 'metadata', 'name'), 'string');
            if (kind !== 'Namespace') assert.equal(typeof at(doc, 'metadata', 'namespace'), 'string');
            const fitting = s.prefix === 'egress-destinationrule-mutual' ? ['MUTUAL'] : ['DISABLE', 'SIMPLE'];
            for (const mode of tlsModes(doc)) assert.ok(fitting.includes(String(mode)), String(mode));
          }
        });

        it(`expands (${label}) to configuration the analysis finds no error or warning in (Istio ${istioVersionFor(s)})`, () => {
          const serious = analyse(text, istioVersionFor(s)).filter((f) => f.severity === 'error' || f.severity === 'warning');
          assert.deepEqual(serious.map(describeFinding), []);
        });
      }
    });
  }
});

describe(`Helm chart variants (${CHART_PREFIX}…)`, () => {
  const variants = snippets.filter(isChartVariant);

  /** The default text of tab stop 1, the values key of a chart variant. */
  function valuesKey(s: Snippet): string {
    const definition = tabstops(s.body).find((t) => t.index === 1 && t.children && t.children.length > 0);
    assert.ok(definition?.children, `${s.prefix}: tab stop 1 has no default`);
    return definition.children.map((n) => (n.kind === 'text' ? n.value : '')).join('');
  }

  const kinds = (text: string): string[] => [...text.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1] ?? '');
  const modes = (text: string): string[] => [...text.matchAll(/^\s*mode: (.+)$/gm)].map((m) => m[1] ?? '');

  it('cover the ServiceEntry, DestinationRule, ExternalName Service and selector-less Service + Endpoints snippets', () => {
    for (const plain of ['egress-serviceentry', 'egress-destinationrule', 'egress-externalname', 'egress-selectorless']) {
      assert.ok(
        variants.some((s) => plainCounterpart(s) === plain),
        `no chart variant of ${plain}`,
      );
    }
  });

  for (const s of variants) {
    describe(s.prefix, () => {
      it('has a plain counterpart (same suffix after egress-) with the same kinds and the same literal TLS modes', () => {
        const plain = snippet(plainCounterpart(s));
        assert.deepEqual(kinds(expand(s.body)), kinds(expand(plain.body)));
        const chartModes = allExpansions(s).flatMap((e) => modes(e.text));
        const plainModes = allExpansions(plain).flatMap((e) => modes(e.text));
        assert.deepEqual([...new Set(chartModes)].sort(), [...new Set(plainModes)].sort());
      });

      for (const { label, text } of allExpansions(s)) {
        it(`expands (${label}) to a template named after the release, in its namespace, reading values`, () => {
          assert.ok(!text.includes('$'), `unexpanded snippet syntax:\n${text}`);
          assert.ok(text.includes('{{ .Release.Name }}'), text);
          assert.ok(text.includes('.Values.'), text);
          const lines = text.split('\n');
          lines.forEach((line, i) => {
            if (line === 'metadata:') assert.match(lines[i + 1] ?? '', /^  name: \{\{ \.Release\.Name \}\}-[a-z0-9-]+$/, `metadata.name at line ${i + 2}`);
            if (/^\s*namespace:/.test(line)) assert.equal(line, '  namespace: {{ .Release.Namespace }}', `line ${i + 1}`);
            if (/^\s*mode:/.test(line)) assert.doesNotMatch(line, /\{\{/, 'the TLS mode follows from the form: not a value');
          });
          assert.equal(lines.filter((l) => l === 'metadata:').length, kinds(text).length);
          assert.doesNotMatch(text, /\{\{-?\s*(?:include|template)\b/, 'no named template: no helper is guaranteed to exist in the chart');
        });
      }

      it('reads exactly the values its description shows as values.yaml lines, under the key of tab stop 1', () => {
        const key = valuesKey(s);
        assert.match(key, /^[a-z][a-z0-9]*$/, 'a values key that is also a valid name part');
        assert.match(s.description, /Helm chart template/);
        const valuesText = chartValuesText(s);
        assert.ok(valuesText, `${s.prefix}: the description shows no values.yaml lines`);
        const values: unknown = parse(valuesText);
        assert.ok(isRecord(values), valuesText);
        assert.deepEqual(Object.keys(values), [key]);
        const section = values[key];
        assert.ok(isRecord(section), valuesText);
        const read = valuePathsRead(expand(s.body));
        assert.deepEqual(
          [...read].sort(),
          Object.keys(section)
            .map((field) => `${key}.${field}`)
            .sort(),
        );
        for (const p of read) assert.ok(s.description.includes(`.Values.${p}`), `the description names .Values.${p}`);
      });

      it('renames the values key and the names together when tab stop 1 is typed over', () => {
        const text = expand(s.body, new Map([[1, 'other']]));
        const read = valuePathsRead(text);
        assert.ok(read.length > 0);
        for (const p of read) assert.ok(p.startsWith('other.'), p);
        const names = [...text.matchAll(/^  name: (.+)$/gm)].map((m) => m[1] ?? '');
        for (const name of names) assert.ok(name.startsWith('{{ .Release.Name }}-other'), name);
      });
    });
  }
});

describe('egress-externalname', () => {
  const s = snippet('egress-externalname');

  it('is an ExternalName Service plus a MESH_EXTERNAL ServiceEntry for its target host', () => {
    const docs = parseYaml(expand(s.body));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Service', 'ServiceEntry'],
    );
    const svc = only(docs, 'Service');
    const se = only(docs, 'ServiceEntry');
    assert.equal(at(svc, 'spec', 'type'), 'ExternalName');
    assert.equal(at(svc, 'spec', 'selector'), undefined);
    const externalName = at(svc, 'spec', 'externalName');
    assert.equal(typeof externalName, 'string');
    assert.deepEqual(at(svc, 'spec', 'ports'), [{ name: 'http', port: 80, protocol: 'TCP' }]);
    assert.equal(at(se, 'spec', 'hosts', 0), externalName);
    assert.equal(list(at(se, 'spec', 'hosts')).length, 1);
    assert.equal(at(se, 'spec', 'location'), 'MESH_EXTERNAL');
    assert.equal(at(se, 'spec', 'resolution'), 'DNS');
    assert.deepEqual(at(se, 'spec', 'ports'), [{ number: 80, name: 'http', protocol: 'HTTP' }]);
    assert.equal(at(se, 'metadata', 'namespace'), at(svc, 'metadata', 'namespace'));
    assert.equal(ofKind(docs, 'DestinationRule').length, 0);
  });

  it('mirrors the target host, name and namespace typed once into both resources', () => {
    // $1 = Service name, $2 = namespace, $3 = external host.
    const docs = parseYaml(
      expand(
        s.body,
        new Map([
          [1, 'payments'],
          [2, 'shop'],
          [3, 'api.example.net'],
        ]),
      ),
    );
    const svc = only(docs, 'Service');
    const se = only(docs, 'ServiceEntry');
    assert.equal(at(svc, 'spec', 'externalName'), 'api.example.net');
    assert.deepEqual(at(se, 'spec', 'hosts'), ['api.example.net']);
    assert.equal(at(svc, 'metadata', 'name'), 'payments');
    assert.ok(String(at(se, 'metadata', 'name')).startsWith('payments'));
    assert.equal(at(svc, 'metadata', 'namespace'), 'shop');
    assert.equal(at(se, 'metadata', 'namespace'), 'shop');
  });
});

describe('egress-selectorless', () => {
  const s = snippet('egress-selectorless');

  it('is a Service without selector plus an Endpoints of the same name with matching port names', () => {
    const docs = parseYaml(expand(s.body));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Service', 'Endpoints'],
    );
    const svc = only(docs, 'Service');
    const ep = only(docs, 'Endpoints');
    assert.equal(at(svc, 'spec', 'selector'), undefined);
    assert.ok(at(svc, 'spec', 'type') === undefined || at(svc, 'spec', 'type') === 'ClusterIP');
    assert.equal(at(ep, 'metadata', 'name'), at(svc, 'metadata', 'name'));
    assert.equal(at(ep, 'metadata', 'namespace'), at(svc, 'metadata', 'namespace'));

    const svcPorts = list(at(svc, 'spec', 'ports'));
    assert.deepEqual(svcPorts, [{ name: 'tls', port: 443, protocol: 'TCP' }]);
    const subsets = list(at(ep, 'subsets'));
    assert.ok(subsets.length > 0);
    const svcPortNames = svcPorts.map((p) => at(p, 'name')).sort();
    for (const subset of subsets) {
      const epPorts = list(at(subset, 'ports'));
      assert.deepEqual(epPorts.map((p) => at(p, 'name')).sort(), svcPortNames);
      assert.deepEqual(
        epPorts.map((p) => at(p, 'port')),
        [443],
      );
      const ips = list(at(subset, 'addresses')).map((a) => at(a, 'ip'));
      assert.ok(ips.length >= 2);
      for (const ip of ips) assert.match(String(ip), DOC_IP, 'use documentation (RFC 5737) addresses');
    }
    assert.equal(ofKind(docs, 'DestinationRule').length, 0, 'auto mTLS already sends plain text: no DR needed');
  });

  it('mirrors the Service name and namespace into the Endpoints', () => {
    const docs = parseYaml(
      expand(
        s.body,
        new Map([
          [1, 'legacy-db'],
          [2, 'billing'],
        ]),
      ),
    );
    assert.equal(at(only(docs, 'Service'), 'metadata', 'name'), 'legacy-db');
    assert.equal(at(only(docs, 'Endpoints'), 'metadata', 'name'), 'legacy-db');
    assert.equal(at(only(docs, 'Endpoints'), 'metadata', 'namespace'), 'billing');
  });
});

describe('egress-destinationrule', () => {
  const s = snippet('egress-destinationrule');

  it('offers exactly DISABLE and SIMPLE as the TLS mode choice', () => {
    const choices = tabstops(s.body).filter((t) => t.choices !== null);
    assert.equal(choices.length, 1);
    assert.deepEqual(choices[0]?.choices, ['DISABLE', 'SIMPLE']);
    const modeLine = s.body.split('\n').find((line) => line.trimStart().startsWith('mode:'));
    assert.equal(modeLine?.trim(), `mode: \${${choices[0]?.index ?? -1}|DISABLE,SIMPLE|}`);
  });

  it('targets the cluster host name.namespace.svc.cluster.local with trafficPolicy.tls.mode', () => {
    const dr = only(parseYaml(expand(s.body)), 'DestinationRule');
    const name = String(at(dr, 'metadata', 'name'));
    const namespace = String(at(dr, 'metadata', 'namespace'));
    assert.equal(at(dr, 'spec', 'host'), `${name}.${namespace}.svc.cluster.local`);
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'tls', 'mode'), 'DISABLE');

    const typed = only(
      parseYaml(
        expand(
          s.body,
          new Map([
            [1, 'db'],
            [2, 'prod'],
          ]),
        ),
      ),
      'DestinationRule',
    );
    assert.equal(at(typed, 'spec', 'host'), 'db.prod.svc.cluster.local');
    const simple = only(parseYaml(expand(s.body, new Map([[4, 'SIMPLE']]))), 'DestinationRule');
    assert.equal(at(simple, 'spec', 'trafficPolicy', 'tls', 'mode'), 'SIMPLE');
  });
});

describe('egress-tls-origination', () => {
  const s = snippet('egress-tls-origination');

  it('forwards plain HTTP on port 80 to 443 and originates TLS (SIMPLE + SNI) on port 80 only', () => {
    const docs = parseYaml(expand(s.body));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['ServiceEntry', 'DestinationRule'],
    );
    const se = only(docs, 'ServiceEntry');
    const dr = only(docs, 'DestinationRule');
    const host = at(se, 'spec', 'hosts', 0);
    assert.equal(typeof host, 'string');
    assert.equal(at(se, 'spec', 'location'), 'MESH_EXTERNAL');
    assert.equal(at(se, 'spec', 'resolution'), 'DNS');
    assert.deepEqual(at(se, 'spec', 'ports'), [
      { number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 },
      { number: 443, name: 'https', protocol: 'HTTPS' },
    ]);
    assert.equal(at(dr, 'spec', 'host'), host);
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'tls'), undefined, 'no TLS origination on every port (443 is already TLS)');
    const settings = list(at(dr, 'spec', 'trafficPolicy', 'portLevelSettings'));
    assert.equal(settings.length, 1);
    assert.equal(at(settings[0], 'port', 'number'), 80);
    assert.equal(at(settings[0], 'tls', 'mode'), 'SIMPLE');
    assert.equal(at(settings[0], 'tls', 'sni'), host);
    // SIMPLE only where the application speaks plain text (never on a tls/https port: double TLS).
    const port80 = list(at(se, 'spec', 'ports')).find((p) => at(p, 'number') === 80);
    assert.equal(at(port80, 'protocol'), 'HTTP');
  });

  it('mirrors the host into the DestinationRule host and SNI', () => {
    const docs = parseYaml(expand(s.body, new Map([[3, 'api.example.org']])));
    const dr = only(docs, 'DestinationRule');
    assert.deepEqual(at(only(docs, 'ServiceEntry'), 'spec', 'hosts'), ['api.example.org']);
    assert.equal(at(dr, 'spec', 'host'), 'api.example.org');
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'portLevelSettings', 0, 'tls', 'sni'), 'api.example.org');
  });
});

describe('egress-externalname-tls', () => {
  const s = snippet('egress-externalname-tls');

  it('registers the target and originates TLS on port 80 with a DestinationRule on the target host, not the alias', () => {
    const docs = parseYaml(expand(s.body, new Map([[3, 'api.example.org']])));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Service', 'ServiceEntry', 'DestinationRule'],
    );
    const svc = only(docs, 'Service');
    const dr = only(docs, 'DestinationRule');
    assert.equal(at(svc, 'spec', 'externalName'), 'api.example.org');
    assert.deepEqual(at(only(docs, 'ServiceEntry'), 'spec', 'hosts'), ['api.example.org']);
    assert.equal(at(only(docs, 'ServiceEntry'), 'spec', 'ports', 0, 'targetPort'), 443);
    assert.equal(at(dr, 'spec', 'host'), 'api.example.org');
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'portLevelSettings', 0, 'port', 'number'), 80);
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'portLevelSettings', 0, 'tls', 'mode'), 'SIMPLE');
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'portLevelSettings', 0, 'tls', 'sni'), 'api.example.org');
  });
});

describe('egress-externalname-istio120', () => {
  const s = snippet('egress-externalname-istio120');

  it("is the task page's ExternalName Service with a DISABLE DestinationRule on its cluster name", () => {
    const docs = parseYaml(
      expand(
        s.body,
        new Map([
          [1, 'my-httpbin'],
          [2, 'default'],
        ]),
      ),
    );
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Service', 'DestinationRule'],
    );
    assert.equal(at(only(docs, 'DestinationRule'), 'spec', 'host'), 'my-httpbin.default.svc.cluster.local');
    assert.equal(at(only(docs, 'DestinationRule'), 'spec', 'trafficPolicy', 'tls', 'mode'), 'DISABLE');
  });

  it('says it is for Istio 1.20 and older, and the analysis agrees: on current Istio its rule has no effect', () => {
    assert.match(s.description, /1\.20 or older/);
    const codes = analyse(expand(s.body), DEFAULT_OPTIONS.istioVersion).map((f) => f.code);
    assert.ok(codes.includes('EGR401'), codes.join(', '));
  });
});

describe('egress-selectorless-guarded', () => {
  const s = snippet('egress-selectorless-guarded');
  const meshWideMutual = [
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    '  name: mesh-mtls',
    '  namespace: istio-system',
    'spec:',
    "  host: '*.local'",
    '  trafficPolicy:',
    '    tls:',
    '      mode: ISTIO_MUTUAL',
    '',
  ].join('\n');

  it('adds a DISABLE DestinationRule on the Service that shields it from a mesh-wide ISTIO_MUTUAL rule', () => {
    const docs = parseYaml(expand(s.body));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Service', 'Endpoints', 'DestinationRule'],
    );
    const svc = only(docs, 'Service');
    const dr = only(docs, 'DestinationRule');
    assert.equal(at(dr, 'spec', 'host'), `${String(at(svc, 'metadata', 'name'))}.${String(at(svc, 'metadata', 'namespace'))}.svc.cluster.local`);
    assert.equal(at(dr, 'spec', 'trafficPolicy', 'tls', 'mode'), 'DISABLE');

    const unguarded = analyse(expand(snippet('egress-selectorless').body), DEFAULT_OPTIONS.istioVersion, [meshWideMutual]);
    assert.ok(
      unguarded.some((f) => f.code === 'EGR402'),
      'the mesh-wide rule reaches the plain pair',
    );
    const guarded = analyse(expand(s.body), DEFAULT_OPTIONS.istioVersion, [meshWideMutual]);
    assert.deepEqual(guarded.filter((f) => f.code === 'EGR402').map(describeFinding), []);
  });
});

describe('egress-destinationrule-mutual', () => {
  it('carries the client certificate, key and CA that MUTUAL needs', () => {
    const dr = only(parseYaml(expand(snippet('egress-destinationrule-mutual').body)), 'DestinationRule');
    const tls = at(dr, 'spec', 'trafficPolicy', 'tls');
    assert.equal(at(tls, 'mode'), 'MUTUAL');
    for (const field of ['clientCertificate', 'privateKey', 'caCertificates']) assert.equal(typeof at(tls, field), 'string', field);
    assert.equal(at(tls, 'sni'), at(dr, 'spec', 'host'));
  });
});

describe('egress-probe-pods', () => {
  it("gives the probe's default selectors a curl pod without a sidecar in without-istio and one with a sidecar", () => {
    const docs = parseYaml(expand(snippet('egress-probe-pods').body));
    assert.deepEqual(
      docs.map((d) => at(d, 'kind')),
      ['Namespace', 'Deployment', 'Deployment'],
    );
    assert.equal(at(only(docs, 'Namespace'), 'metadata', 'name'), 'without-istio');
    assert.equal(at(only(docs, 'Namespace'), 'metadata', 'labels', 'istio-injection'), 'disabled');
    const [plain, injected] = ofKind(docs, 'Deployment');
    assert.equal(at(plain, 'metadata', 'namespace'), 'without-istio');
    assert.equal(at(plain, 'spec', 'template', 'metadata', 'labels', 'sidecar.istio.io/inject'), 'false');
    assert.equal(at(injected, 'spec', 'template', 'metadata', 'labels', 'sidecar.istio.io/inject'), 'true');
    for (const deployment of [plain, injected]) {
      // app=curl is the probe's first default source selector.
      assert.equal(at(deployment, 'spec', 'template', 'metadata', 'labels', 'app'), 'curl');
      assert.deepEqual(at(deployment, 'spec', 'selector', 'matchLabels'), { app: 'curl' });
      assert.deepEqual(at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'command'), ['/bin/sleep', 'infinity']);
    }
  });
});

describe('egress-serviceentry', () => {
  it('is a single MESH_EXTERNAL ServiceEntry with DNS resolution and one port', () => {
    const docs = parseYaml(expand(snippet('egress-serviceentry').body));
    assert.equal(docs.length, 1);
    const se = only(docs, 'ServiceEntry');
    assert.equal(at(se, 'spec', 'location'), 'MESH_EXTERNAL');
    assert.equal(at(se, 'spec', 'resolution'), 'DNS');
    assert.equal(typeof at(se, 'spec', 'hosts', 0), 'string');
    assert.deepEqual(at(se, 'spec', 'ports'), [{ number: 443, name: 'https', protocol: 'HTTPS' }]);
  });
});
