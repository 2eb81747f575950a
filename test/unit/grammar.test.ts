/**
 * Tokenizes YAML lines with the `source.yaml.istio-egress` injection grammar
 * (syntaxes/istio-egress.injection.json) injected into a small stand-in YAML
 * grammar (VS Code's built-in YAML grammar is not available offline), and
 * asserts the exact scopes of exact substrings.
 *
 * Run: node --import tsx --test test/unit/grammar.test.ts
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IGrammar } from 'vscode-textmate';
import { dump, loadGrammar as loadTextMate, rawGrammar, scopesOf, tokenizeLine as tokenizeLineWith, tokenizeLines as tokenizeWith, type Tok } from '../support/textmate';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INJECTION_PATH = `${ROOT}syntaxes/istio-egress.injection.json`;

const HOST_SCOPE = 'source.yaml';
const INJECTION_SCOPE = 'source.yaml.istio-egress';

const STREAM = 'meta.stream.yaml';
const COMMENT = 'comment.line.number-sign.yaml';
const COMMENT_PUNCTUATION = 'punctuation.definition.comment.yaml';
const DIRECTIVE_META = 'meta.directive.suppression.istio-egress';
const DIRECTIVE_KEYWORD = 'keyword.control.directive.istio-egress';
const RULE_CODE = 'constant.other.rule-code.istio-egress';
const TLS_MODE = 'constant.language.tls-mode.istio-egress';
const TLS_ISTIO_MUTUAL = 'constant.language.tls-mode.istio-mutual.istio-egress';
const SERVICE_TYPE = 'constant.language.service-type.istio-egress';
const EXTERNAL_HOST = 'entity.name.type.host.external.istio-egress';
const KEY = 'entity.name.tag.yaml';
const PLAIN = 'string.unquoted.plain.out.yaml';

/**
 * Minimal stand-in for VS Code's YAML grammar: comments, block-sequence dashes,
 * document markers, plain keys, quoted and plain scalars, flow punctuation.
 * Like RedCMD's grammar that VS Code bundles, everything sits in a root rule that begins at \A and continues `while: ^`, so an injection
 * that matched at the very start of the file would keep the host from ever
 * starting; comments and quoted strings are begin/end rules; and the plain-scalar
 * rule starts exactly where the injected value rules start, so the tests also
 * exercise the injection's left (L:) priority.
 */
const STAND_IN_YAML = {
  name: 'YAML (test stand-in)',
  scopeName: HOST_SCOPE,
  patterns: [{ begin: '\\A', while: '^', name: STREAM, patterns: [{ include: '#node' }] }],
  repository: {
    node: {
      patterns: [
        { include: '#comment' },
        { match: '^(?:---|\\.\\.\\.)(?=[\\t ]|$)', name: 'entity.other.document.begin.yaml' },
        { match: '(?<=^|[\\t ])-(?=[\\t ]|$)', name: 'punctuation.definition.block.sequence.item.yaml' },
        { include: '#key' },
        { include: '#double' },
        { include: '#single' },
        { match: '[{}\\[\\],]', name: 'punctuation.definition.flow.yaml' },
        { include: '#plain' },
      ],
    },
    comment: {
      begin: '(?<=^|[\\t ])#',
      end: '\\r|\\n',
      beginCaptures: { '0': { name: COMMENT_PUNCTUATION } },
      name: COMMENT,
    },
    key: {
      match: '(?<=^|[\\t ,{\\[])([^\\s#:,{}\\[\\]"\'-][^#:,{}\\[\\]]*?)[\\t ]*(:)(?=[\\t ]|$)',
      captures: {
        '1': { name: KEY },
        '2': { name: 'punctuation.separator.key-value.mapping.yaml' },
      },
    },
    double: { begin: '"', end: '"', name: 'string.quoted.double.yaml' },
    single: { begin: "'", end: "'", name: 'string.quoted.single.yaml' },
    plain: {
      match: '[^\\s#,{}\\[\\]"\'][^#,{}\\[\\]]*?(?=[\\t ]+#|[\\t ]*$|[\\t ]*[,}\\]])',
      name: PLAIN,
    },
  },
};

let grammar: IGrammar;

async function loadGrammar(): Promise<IGrammar> {
  return loadTextMate(
    HOST_SCOPE,
    {
      [HOST_SCOPE]: () => rawGrammar(JSON.stringify(STAND_IN_YAML), 'yaml-stand-in.json'),
      [INJECTION_SCOPE]: () => rawGrammar(readFileSync(INJECTION_PATH, 'utf8'), INJECTION_PATH),
    },
    { [HOST_SCOPE]: [INJECTION_SCOPE] },
  );
}

function tokenizeLines(lines: readonly string[]): Tok[][] {
  return tokenizeWith(grammar, lines);
}

function tokenizeLine(line: string): Tok[] {
  return tokenizeLineWith(grammar, line);
}

function scopesIn(line: string, substring: string, occurrence = 0): readonly string[] {
  return scopesOf(tokenizeLine(line), line, substring, occurrence);
}

function assertNoIstioEgressScope(line: string): void {
  const tokens = tokenizeLine(line);
  const hit = tokens.find((t) => t.scopes.some((s) => s.endsWith('.istio-egress')));
  assert.equal(hit, undefined, `unexpected istio-egress scope in ${JSON.stringify(line)}:\n${dump(tokens)}`);
}

const BASE = [HOST_SCOPE, STREAM] as const;
const IN_COMMENT = [...BASE, COMMENT] as const;
const DIRECTIVE = [...IN_COMMENT, DIRECTIVE_META] as const;

before(async () => {
  grammar = await loadGrammar();
});

describe('injection grammar file', () => {
  it('declares the scope name and a left-priority selector for source.yaml', () => {
    const raw: unknown = JSON.parse(readFileSync(INJECTION_PATH, 'utf8'));
    assert.ok(typeof raw === 'object' && raw !== null);
    assert.equal(Reflect.get(raw, 'scopeName'), INJECTION_SCOPE);
    assert.equal(Reflect.get(raw, 'injectionSelector'), 'L:source.yaml -string');
  });
});

describe('suppression directives', () => {
  it('scopes `# istio-egress-disable EGR001, EGR002`', () => {
    const line = '# istio-egress-disable EGR001, EGR002';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, '#'), [...IN_COMMENT, COMMENT_PUNCTUATION]);
    assert.deepEqual(scopesOf(tokens, line, 'istio-egress-disable'), [...DIRECTIVE, DIRECTIVE_KEYWORD]);
    assert.deepEqual(scopesOf(tokens, line, 'EGR001'), [...DIRECTIVE, RULE_CODE]);
    assert.deepEqual(scopesOf(tokens, line, ','), [...DIRECTIVE, 'punctuation.separator.comma.istio-egress']);
    assert.deepEqual(scopesOf(tokens, line, 'EGR002'), [...DIRECTIVE, RULE_CODE]);
  });

  it('scopes an indented `# istio-egress-disable-file EGR003` with the whole keyword', () => {
    const line = '    # istio-egress-disable-file EGR003';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'istio-egress-disable-file'), [...DIRECTIVE, DIRECTIVE_KEYWORD]);
    assert.deepEqual(scopesOf(tokens, line, 'EGR003'), [...DIRECTIVE, RULE_CODE]);
  });

  it('scopes the directive without codes and without spaces after #, and codes without spaces after commas', () => {
    const bare = '#istio-egress-disable';
    assert.deepEqual(scopesIn(bare, 'istio-egress-disable'), [...DIRECTIVE, DIRECTIVE_KEYWORD]);
    const packed = '# istio-egress-disable EGR001,EGR010';
    assert.deepEqual(scopesIn(packed, 'EGR010'), [...DIRECTIVE, RULE_CODE]);
  });

  it('does not scope malformed codes inside a directive', () => {
    const line = '# istio-egress-disable EGR01 XEGR001 EGR0012';
    const tokens = tokenizeLine(line);
    assert.equal(
      tokens.find((t) => t.scopes.includes(RULE_CODE)),
      undefined,
      `unexpected rule code in:\n${dump(tokens)}`,
    );
  });

  it('leaves ordinary comments alone', () => {
    const line = '# hello';
    assertNoIstioEgressScope(line);
    assert.deepEqual(scopesIn(line, ' hello'), [...IN_COMMENT]);
    assert.deepEqual(scopesIn(line, '#'), [...IN_COMMENT, COMMENT_PUNCTUATION]);
  });

  it('does not treat look-alikes, mid-comment mentions or trailing comments as directives', () => {
    assertNoIstioEgressScope('# istio-egress-disabled EGR001');
    assertNoIstioEgressScope('# istio-egress-disable-next-line EGR001');
    assertNoIstioEgressScope('# see istio-egress-disable EGR001');
    assertNoIstioEgressScope('## istio-egress-disable EGR001');
    assertNoIstioEgressScope('name: foo # istio-egress-disable EGR001');
    assert.deepEqual(scopesIn('# istio-egress-disabled EGR001', ' istio-egress-disabled EGR001'), [...IN_COMMENT]);
  });

  it('ends the directive at the end of its line', () => {
    const lines = ['# istio-egress-disable EGR002', 'kind: Service', 'mode: SIMPLE'];
    const [first, second, third] = tokenizeLines(lines);
    assert.ok(first && second && third);
    assert.deepEqual(scopesOf(first, lines[0] ?? '', 'EGR002'), [...DIRECTIVE, RULE_CODE]);
    assert.deepEqual(scopesOf(second, lines[1] ?? '', 'kind'), [...BASE, KEY]);
    assert.deepEqual(scopesOf(second, lines[1] ?? '', 'Service'), [...BASE, PLAIN]);
    assert.deepEqual(scopesOf(third, lines[2] ?? '', 'SIMPLE'), [...BASE, TLS_MODE]);
  });

  it('does not keep the host grammar from starting when the file begins with a directive', () => {
    const lines = ['# istio-egress-disable-file EGR003', 'apiVersion: v1'];
    const [first, second] = tokenizeLines(lines);
    assert.ok(first && second);
    assert.deepEqual(scopesOf(first, lines[0] ?? '', '#'), [...IN_COMMENT, COMMENT_PUNCTUATION]);
    assert.deepEqual(scopesOf(first, lines[0] ?? '', 'EGR003'), [...DIRECTIVE, RULE_CODE]);
    assert.deepEqual(scopesOf(second, lines[1] ?? '', 'apiVersion'), [...BASE, KEY]);
    assert.deepEqual(scopesOf(second, lines[1] ?? '', 'v1'), [...BASE, PLAIN]);
  });
});

describe('TLS modes after `mode:`', () => {
  it('scopes ISTIO_MUTUAL with both the tls-mode and the istio-mutual scope', () => {
    const line = '      mode: ISTIO_MUTUAL';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'ISTIO_MUTUAL'), [...BASE, TLS_MODE, TLS_ISTIO_MUTUAL]);
    assert.deepEqual(scopesOf(tokens, line, 'mode'), [...BASE, KEY]);
  });

  for (const mode of ['DISABLE', 'SIMPLE', 'MUTUAL']) {
    it(`scopes ${mode} as a tls mode (and not as istio-mutual)`, () => {
      assert.deepEqual(scopesIn(`    mode: ${mode}`, mode), [...BASE, TLS_MODE]);
    });
  }

  it('scopes the mode in a sequence item, before a trailing comment, and in flow style', () => {
    assert.deepEqual(scopesIn('  - mode: ISTIO_MUTUAL', 'ISTIO_MUTUAL'), [...BASE, TLS_MODE, TLS_ISTIO_MUTUAL]);
    const commented = 'mode: DISABLE  # plain text to the endpoints';
    const tokens = tokenizeLine(commented);
    assert.deepEqual(scopesOf(tokens, commented, 'DISABLE'), [...BASE, TLS_MODE]);
    assert.deepEqual(scopesOf(tokens, commented, ' plain text to the endpoints'), [...IN_COMMENT]);
    assert.deepEqual(scopesIn('tls: {mode: SIMPLE, sni: httpbin.org}', 'SIMPLE'), [...BASE, TLS_MODE]);
    assert.deepEqual(scopesIn('mode:   DISABLE', 'DISABLE'), [...BASE, TLS_MODE]);
  });

  it('scopes quoted modes and their quotes', () => {
    const line = 'mode: "MUTUAL"';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'MUTUAL'), [...BASE, TLS_MODE]);
    assert.deepEqual(scopesOf(tokens, line, '"'), [...BASE, 'punctuation.definition.string.begin.yaml']);
    assert.deepEqual(scopesOf(tokens, line, '"', 1), [...BASE, 'punctuation.definition.string.end.yaml']);
    assert.deepEqual(scopesIn("mode: 'ISTIO_MUTUAL'", 'ISTIO_MUTUAL'), [...BASE, TLS_MODE, TLS_ISTIO_MUTUAL]);
  });

  it('does not match other keys, other values or longer words', () => {
    assert.deepEqual(scopesIn('xmode: DISABLE', 'DISABLE'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('tls_mode: SIMPLE', 'SIMPLE'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('mode: DISABLED', 'DISABLED'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('mode: STRICT', 'STRICT'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('name: SIMPLE', 'SIMPLE'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('mode: SIMPLE tls', 'SIMPLE tls'), [...BASE, PLAIN]);
    assertNoIstioEgressScope('mode: "SIMPLE\'');
  });

  it('does not match inside comments or quoted strings', () => {
    assertNoIstioEgressScope('# mode: ISTIO_MUTUAL');
    assertNoIstioEgressScope('    # tls: {mode: SIMPLE}');
    assertNoIstioEgressScope('host: x # mode: SIMPLE');
    assertNoIstioEgressScope('note: "mode: SIMPLE"');
    assert.deepEqual(scopesIn('note: "mode: SIMPLE"', 'mode: SIMPLE'), [...BASE, 'string.quoted.double.yaml']);
    const directive = '# istio-egress-disable EGR001 mode: SIMPLE';
    const tokens = tokenizeLine(directive);
    assert.equal(
      tokens.find((t) => t.scopes.includes(TLS_MODE)),
      undefined,
      dump(tokens),
    );
  });
});

describe('Service type ExternalName', () => {
  it('scopes `type: ExternalName`', () => {
    const line = '  type: ExternalName';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'ExternalName'), [...BASE, SERVICE_TYPE]);
    assert.deepEqual(scopesOf(tokens, line, 'type'), [...BASE, KEY]);
    assert.deepEqual(scopesIn('type: "ExternalName"', 'ExternalName'), [...BASE, SERVICE_TYPE]);
  });

  it('does not scope other service types, other keys, the externalName key or comments', () => {
    assert.deepEqual(scopesIn('type: ClusterIP', 'ClusterIP'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('kind: ExternalName', 'ExternalName'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('subtype: ExternalName', 'ExternalName'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('  externalName: httpbin.org', 'externalName'), [...BASE, KEY]);
    assertNoIstioEgressScope('# type: ExternalName');
  });
});

describe('the host after `externalName:`', () => {
  it('scopes the value and leaves the key a key', () => {
    const line = '  externalName: httpbin.org';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesOf(tokens, line, 'externalName'), [...BASE, KEY]);
    assert.deepEqual(scopesIn('externalName:   api.example.com', 'api.example.com'), [...BASE, EXTERNAL_HOST]);
  });

  it('scopes quoted hosts and their quotes', () => {
    const line = 'externalName: "httpbin.org"';
    const tokens = tokenizeLine(line);
    assert.deepEqual(scopesOf(tokens, line, 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesOf(tokens, line, '"'), [...BASE, 'punctuation.definition.string.begin.yaml']);
    assert.deepEqual(scopesOf(tokens, line, '"', 1), [...BASE, 'punctuation.definition.string.end.yaml']);
    assert.deepEqual(scopesIn("externalName: 'en.wikipedia.org'", 'en.wikipedia.org'), [...BASE, EXTERNAL_HOST]);
  });

  it('scopes the host in a sequence item, before a trailing comment, and in flow style', () => {
    assert.deepEqual(scopesIn('  - externalName: httpbin.org', 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    const commented = 'externalName: httpbin.org  # the real host';
    const tokens = tokenizeLine(commented);
    assert.deepEqual(scopesOf(tokens, commented, 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesOf(tokens, commented, ' the real host'), [...IN_COMMENT]);
    const flow = 'spec: {type: ExternalName, externalName: httpbin.org, ports: [{port: 80}]}';
    const flowTokens = tokenizeLine(flow);
    assert.deepEqual(scopesOf(flowTokens, flow, 'ExternalName'), [...BASE, SERVICE_TYPE]);
    assert.deepEqual(scopesOf(flowTokens, flow, 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesIn('{externalName: httpbin.org}', 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
  });

  it('scopes whatever single word is written there, including what EGR101 reports (a URL, upper case)', () => {
    assert.deepEqual(scopesIn('externalName: https://httpbin.org/', 'https://httpbin.org/'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesIn('externalName: HTTPBIN.ORG', 'HTTPBIN.ORG'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(scopesIn('externalName: 10.0.0.1', '10.0.0.1'), [...BASE, EXTERNAL_HOST]);
  });

  it('does not scope other keys, several words, YAML indicators, unbalanced quotes or a missing space', () => {
    assert.deepEqual(scopesIn('host: httpbin.org', 'httpbin.org'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('myExternalName: httpbin.org', 'httpbin.org'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('externalNames: httpbin.org', 'httpbin.org'), [...BASE, PLAIN]);
    assert.deepEqual(scopesIn('externalName: httpbin.org extra', 'httpbin.org extra'), [...BASE, PLAIN]);
    assertNoIstioEgressScope('externalName: |');
    assertNoIstioEgressScope('externalName: *host');
    assertNoIstioEgressScope('externalName: !!str httpbin.org');
    assertNoIstioEgressScope('externalName: "httpbin.org\'');
    assertNoIstioEgressScope('externalName: ""');
    assertNoIstioEgressScope('externalName:httpbin.org');
  });

  it('does not match inside comments or quoted strings', () => {
    assertNoIstioEgressScope('# externalName: httpbin.org');
    assertNoIstioEgressScope('  # spec: {externalName: httpbin.org}');
    assertNoIstioEgressScope('type: ClusterIP # externalName: httpbin.org');
    assertNoIstioEgressScope('note: "externalName: httpbin.org"');
    assertNoIstioEgressScope("note: 'externalName: httpbin.org'");
  });
});

describe('a whole manifest', () => {
  it('scopes every interesting token of a multi-document file', () => {
    const lines = [
      '# istio-egress-disable-file EGR004',
      'apiVersion: v1',
      'kind: Service',
      'spec:',
      '  type: ExternalName',
      '  externalName: httpbin.org',
      '---',
      '# istio-egress-disable EGR001',
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      'spec:',
      '  host: httpbin.org',
      '  trafficPolicy:',
      '    tls:',
      '      mode: ISTIO_MUTUAL',
    ];
    const tokenized = tokenizeLines(lines);
    const at = (lineNo: number, text: string): readonly string[] => scopesOf(tokenized[lineNo] ?? [], lines[lineNo] ?? '', text);
    assert.deepEqual(at(0, 'istio-egress-disable-file'), [...DIRECTIVE, DIRECTIVE_KEYWORD]);
    assert.deepEqual(at(0, 'EGR004'), [...DIRECTIVE, RULE_CODE]);
    assert.deepEqual(at(1, 'apiVersion'), [...BASE, KEY]);
    assert.deepEqual(at(4, 'ExternalName'), [...BASE, SERVICE_TYPE]);
    assert.deepEqual(at(5, 'externalName'), [...BASE, KEY]);
    assert.deepEqual(at(5, 'httpbin.org'), [...BASE, EXTERNAL_HOST]);
    assert.deepEqual(at(11, 'httpbin.org'), [...BASE, PLAIN]);
    assert.deepEqual(at(6, '---'), [...BASE, 'entity.other.document.begin.yaml']);
    assert.deepEqual(at(7, 'istio-egress-disable'), [...DIRECTIVE, DIRECTIVE_KEYWORD]);
    assert.deepEqual(at(7, 'EGR001'), [...DIRECTIVE, RULE_CODE]);
    assert.deepEqual(at(8, 'networking.istio.io/v1'), [...BASE, PLAIN]);
    assert.deepEqual(at(14, 'ISTIO_MUTUAL'), [...BASE, TLS_MODE, TLS_ISTIO_MUTUAL]);
  });
});
