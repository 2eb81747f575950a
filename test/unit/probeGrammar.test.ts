/**
 * Tokenizes lines of the probe's transcript with syntaxes/istio-egress-probe.tmLanguage.json (the grammar of the
 * "Istio Egress Probe" output channel) and asserts the exact scopes of exact substrings.
 *
 * Every fixture line is pasted from real output, not written by hand:
 * - TRANSCRIPT lines: `istio-egress probe` (dist/cli.js, formatReport.ts) and the editor's probe session
 *   (client/src/probe/probeSession.ts, which logs `$ …` at column 0 as commands start), run against the test harness
 *   (test/harness/seedCluster.ts: the real kubectl v1.35.2 against the fake API server, real curl 7.88.1 against
 *   loopback servers) in the scenarios of test/probe-e2e/cli.test.ts, plus `--path /status/503|403|200`, `--kubectl
 *   kubectl` with `--context`/`--kubeconfig`, an unknown context, and the seed's two curl pods renamed
 *   `envoy-debug-7d9c6b8f5-abcde`/`x-envoy-curl-…` (same fixtures otherwise; once with the sidecar pod deleted between
 *   listing and `kubectl exec`, for kubectl's NotFound).
 * - CURL lines: curl 7.88.1 run directly with the probe's arguments (`-sS -D -`, `-sS -v --resolve`) against the
 *   harness's sidecar echo server (which answers like Envoy) and a local server on [::1]: what the `! ` lines of a
 *   failed step carry from a real pod, and what `curl -D -` prints.
 *
 * Run: node --import tsx --test test/unit/probeGrammar.test.ts
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IGrammar } from 'vscode-textmate';
import { dump, loadGrammar as loadTextMate, rawGrammar, scopesOf, tokenizeLine as tokenizeLineWith, tokenizeLines as tokenizeWith, type Tok } from '../support/textmate';

const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const GRAMMAR_PATH = `${ROOT_DIR}syntaxes/istio-egress-probe.tmLanguage.json`;
const SCOPE = 'text.istio-egress-probe';

const p = (name: string): string => `${name}.istio-egress-probe`;

const COMMENT = p('comment.line.number-sign');
const COMMENT_HASH = p('punctuation.definition.comment');
const EXIT_OK = p('markup.inserted.exit-status.success');
const EXIT_FAILED = p('markup.deleted.exit-status.failure');
const EXIT_CODE = p('constant.numeric.exit-code');
const COMMAND = p('meta.command-line');
const RAW = p('markup.inline.raw.command');
const PROMPT = p('punctuation.definition.prompt');
const REMOTE = p('meta.command.remote');
const END_OF_OPTIONS = p('keyword.operator.end-of-options');
const PROGRAM = p('support.function.program');
const OPTION = p('variable.parameter.option');
const STDERR = p('meta.output.stderr');
const STDERR_MARK = p('punctuation.definition.stderr');
const TRACE_MARK = p('punctuation.definition.trace.curl');
const CONTEXT = p('variable.other.constant.kube-context');
const NAMESPACE = p('entity.name.namespace');
const NAMESPACE_SLASH = p('punctuation.separator.namespace');
const POD = p('entity.name.function.pod');
const SERVICE = p('entity.name.type.service');
const HOST = p('entity.name.type.host');
const URL_SCOPES = [p('string.unquoted.url'), p('markup.underline.link')] as const;
const IP = p('constant.numeric.ip-address');
const PORT = p('constant.numeric.port');
const PORT_COLON = p('punctuation.separator.port');
const HTTP_META = p('meta.http-status');
const HTTP = p('keyword.other.protocol.http');
const HTTP_STATUS_PREFIX = 'constant.numeric.http-status.';
const STATUS_2XX = [p('constant.numeric.http-status.2xx'), p('markup.inserted.http-status')] as const;
const STATUS_4XX = [p('constant.numeric.http-status.4xx'), p('markup.deleted.http-status')] as const;
const STATUS_5XX = [p('constant.numeric.http-status.5xx'), p('markup.deleted.http-status')] as const;
const ENVOY_HEADER = p('support.type.property-name.header.envoy');
const SERVER_ENVOY = p('meta.header.server-envoy');
const CURL_ERROR_META = p('meta.error.curl');
const CURL_ERROR = p('invalid.illegal.curl-error');
const ERROR_MESSAGE = p('markup.deleted.error-message');
const KUBECTL_ERROR = p('invalid.illegal.kubectl-error');
const PASS = p('markup.inserted.verdict.pass');
const FAIL = p('markup.deleted.verdict.fail');
const LABEL = p('keyword.other.label');
const RESULT = p('markup.heading.result');
const PROBE_HEADING = p('markup.heading.probe');
const SOURCE_HEADING = p('markup.heading.source');
const RULE_CODE = 'constant.other.rule-code.istio-egress';

let grammar: IGrammar;

async function loadGrammar(): Promise<IGrammar> {
  return loadTextMate(SCOPE, { [SCOPE]: () => rawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) });
}

function tokenizeLines(lines: readonly string[]): Tok[][] {
  return tokenizeWith(grammar, lines);
}

function tokenizeLine(line: string): Tok[] {
  return tokenizeLineWith(grammar, line);
}

/** A line's tokenizer, with `at(substring)` giving the scopes of the token that is exactly that substring. */
function line(text: string): { at(substring: string, occurrence?: number): readonly string[]; textsWith(scope: string): string[]; tokens: Tok[] } {
  const tokens = tokenizeLine(text);
  return {
    tokens,
    at: (substring, occurrence = 0) => scopesOf(tokens, text, substring, occurrence),
    textsWith: (scope) => tokens.filter((t) => t.scopes.includes(scope)).map((t) => t.text),
  };
}

/** Texts of the tokens carrying a scope that starts with `prefix` (for "this never happens" assertions). */
function textsWithPrefix(text: string, prefix: string): string[] {
  return tokenizeLine(text)
    .filter((t) => t.scopes.some((s) => s.startsWith(prefix)))
    .map((t) => t.text);
}

/** Every scope name a grammar rule assigns (`name`, `contentName`, captures), split at spaces. */
function scopeNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) scopeNames(item, out);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'name' || key === 'contentName') && typeof value === 'string') out.push(...value.split(' '));
      else scopeNames(value, out);
    }
  }
  return out;
}

const ROOT = [SCOPE] as const;

before(async () => {
  grammar = await loadGrammar();
});

describe('probe grammar file', () => {
  it("declares its scope name and suffixes every scope with .istio-egress-probe (the rule code keeps the YAML grammar's)", () => {
    const raw: unknown = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
    assert.ok(typeof raw === 'object' && raw !== null);
    assert.equal(Reflect.get(raw, 'scopeName'), SCOPE);
    const names = scopeNames(Reflect.get(raw, 'patterns')).concat(scopeNames(Reflect.get(raw, 'repository')));
    assert.ok(names.length > 40, `only ${names.length} scope names found`);
    const stray = names.filter((n) => !n.endsWith('.istio-egress-probe') && n !== RULE_CODE);
    assert.deepEqual(stray, []);
  });
});

describe('the heading: Service, namespace and kube context', () => {
  it('scopes the namespace, the Service and the context of `Probe of Service …`', () => {
    const l = line('Probe of Service default/my-httpbin (context kind-egress)');
    assert.deepEqual(l.at('Probe of Service '), [...ROOT, PROBE_HEADING]);
    assert.deepEqual(l.at('default'), [...ROOT, PROBE_HEADING, NAMESPACE]);
    assert.deepEqual(l.at('/'), [...ROOT, PROBE_HEADING, NAMESPACE_SLASH]);
    assert.deepEqual(l.at('my-httpbin'), [...ROOT, PROBE_HEADING, SERVICE]);
    assert.deepEqual(l.at('kind-egress'), [...ROOT, PROBE_HEADING, CONTEXT]);
  });

  it('scopes the Service and the context when the namespace could not be known (no `NS/`)', () => {
    const l = line('Probe of Service my-httpbin (context staging-eu)');
    assert.deepEqual(l.at('staging-eu'), [...ROOT, PROBE_HEADING, CONTEXT]);
    assert.deepEqual(l.at('my-httpbin'), [...ROOT, PROBE_HEADING, SERVICE]);
    assert.deepEqual(l.textsWith(NAMESPACE), []);
  });

  it('scopes the ExternalName target host and the cluster IP of the Service line', () => {
    const external = line('  my-httpbin.default.svc.cluster.local: ExternalName → httpbin.org; the mesh routes to httpbin.org');
    assert.deepEqual(external.at('httpbin.org'), [...ROOT, HOST]);
    assert.deepEqual(external.textsWith(HOST), ['httpbin.org'], 'only the target after the arrow');
    const clusterIp = line('  my-wikipedia.default.svc.cluster.local: ClusterIP, cluster IP 127.0.0.77; the mesh routes to my-wikipedia.default.svc.cluster.local');
    assert.deepEqual(clusterIp.at('127.0.0.77'), [...ROOT, IP]);
  });
});

describe('kubectl command lines', () => {
  it('scopes the prompt, the program, options and the namespace of a read command', () => {
    const l = line('  $ kubectl --request-timeout=10s get pods -n without-istio -l app=curl -o json');
    assert.deepEqual(l.at('$'), [...ROOT, COMMAND, PROMPT]);
    assert.deepEqual(l.at('kubectl'), [...ROOT, COMMAND, RAW, PROGRAM]);
    assert.deepEqual(l.at('--request-timeout'), [...ROOT, COMMAND, RAW, OPTION]);
    assert.deepEqual(l.at('-n'), [...ROOT, COMMAND, RAW, OPTION]);
    assert.deepEqual(l.at('without-istio'), [...ROOT, COMMAND, RAW, NAMESPACE]);
    assert.deepEqual(l.at('-l'), [...ROOT, COMMAND, RAW, OPTION]);
    assert.deepEqual(l.at(' app=curl '), [...ROOT, COMMAND, RAW]);
  });

  it('scopes the pod of `kubectl exec`, `--`, and curl with its options and URL; `envoy` in the pod name is no header', () => {
    const text = '  $ kubectl exec x-envoy-curl-5b8f9c7d4-fghij -n without-istio -c curl -- curl -sS -D - --max-time 10 http://my-httpbin.default.svc.cluster.local/headers';
    const l = line(text);
    assert.deepEqual(l.at('x-envoy-curl-5b8f9c7d4-fghij'), [...ROOT, COMMAND, RAW, POD]);
    assert.deepEqual(l.at('without-istio'), [...ROOT, COMMAND, RAW, NAMESPACE]);
    assert.deepEqual(l.at('--'), [...ROOT, COMMAND, RAW, REMOTE, END_OF_OPTIONS]);
    assert.deepEqual(l.at(' curl '), [...ROOT, COMMAND, RAW], 'the container name');
    assert.deepEqual(l.at('curl', 2), [...ROOT, COMMAND, RAW, REMOTE, PROGRAM]);
    assert.deepEqual(l.at('-sS'), [...ROOT, COMMAND, RAW, REMOTE, OPTION]);
    assert.deepEqual(l.at(' - '), [...ROOT, COMMAND, RAW, REMOTE], 'a lone `-` is a value');
    assert.deepEqual(l.at('http://my-httpbin.default.svc.cluster.local/headers'), [...ROOT, COMMAND, RAW, REMOTE, ...URL_SCOPES]);
    assert.deepEqual(textsWithPrefix(text, ENVOY_HEADER), []);
  });

  it("scopes the cluster IP in curl's --resolve and the https URL", () => {
    const l = line('  $ kubectl exec envoy-debug-7d9c6b8f5-abcde -n default -c curl -- curl -sS -v --max-time 10 --resolve en.wikipedia.org:443:127.0.0.77 https://en.wikipedia.org/');
    assert.deepEqual(l.at('envoy-debug-7d9c6b8f5-abcde'), [...ROOT, COMMAND, RAW, POD]);
    assert.deepEqual(l.at('--resolve'), [...ROOT, COMMAND, RAW, REMOTE, OPTION]);
    assert.deepEqual(l.at('127.0.0.77'), [...ROOT, COMMAND, RAW, REMOTE, IP]);
    assert.deepEqual(l.at('https://en.wikipedia.org/'), [...ROOT, COMMAND, RAW, REMOTE, ...URL_SCOPES]);
  });

  it('scopes the context of `--context=`', () => {
    const l = line('  $ kubectl --kubeconfig=/tmp/cap-xMrL7w/kubeconfig --context=kind-egress --request-timeout=10s get service my-httpbin -n default -o json');
    assert.deepEqual(l.at('--context'), [...ROOT, COMMAND, RAW, OPTION]);
    assert.deepEqual(l.at('kind-egress'), [...ROOT, COMMAND, RAW, CONTEXT]);
    assert.deepEqual(l.at('--kubeconfig'), [...ROOT, COMMAND, RAW, OPTION]);
    assert.deepEqual(l.at('default'), [...ROOT, COMMAND, RAW, NAMESPACE]);
  });

  it("scopes a command logged at column 0 as it starts, with kubectl's full path as the program (its version is no IP)", () => {
    const text =
      '$ /work/main/.tools/kubectl-v1.35.2/kubectl exec curl-7d9c6b8f5-abcde -n default -c curl -- curl -sS -D - --max-time 10 http://my-httpbin.default.svc.cluster.local/headers';
    const l = line(text);
    assert.deepEqual(l.at('$'), [...ROOT, COMMAND, PROMPT]);
    assert.deepEqual(l.at('/work/main/.tools/kubectl-v1.35.2/kubectl'), [...ROOT, COMMAND, RAW, PROGRAM]);
    assert.deepEqual(l.at('curl-7d9c6b8f5-abcde'), [...ROOT, COMMAND, RAW, POD]);
    assert.deepEqual(textsWithPrefix(text, IP), []);
  });
});

describe('the comment under each command', () => {
  it('keeps the purpose a comment and scopes `exit 0` as success', () => {
    const text = '    # HTTP to my-httpbin.default.svc.cluster.local:80 reaches httpbin.org from default/curl-7d9c6b8f5-abcde, through its istio-proxy sidecar: exit 0, 0.1 s';
    const l = line(text);
    assert.deepEqual(l.at('#'), [...ROOT, COMMENT, COMMENT_HASH]);
    assert.deepEqual(
      l.at(' HTTP to my-httpbin.default.svc.cluster.local:80 reaches httpbin.org from default/curl-7d9c6b8f5-abcde, through its istio-proxy sidecar: '),
      [...ROOT, COMMENT],
      'no pod, port or HTTP scope inside the purpose',
    );
    assert.deepEqual(l.at('exit '), [...ROOT, COMMENT, EXIT_OK]);
    assert.deepEqual(l.at('0', 1), [...ROOT, COMMENT, EXIT_OK, EXIT_CODE], 'the 0 of `exit 0` (the first is in :80)');
    assert.deepEqual(l.at(', 0.1 s'), [...ROOT, COMMENT]);
  });

  it('scopes a non-zero exit as failure', () => {
    const l = line(
      '    # HTTP to ghost.default.svc.cluster.local:80 reaches ghost.example.net from without-istio/curl-5b8f9c7d4-fghij, which has no sidecar (the direct path, without Istio): exit 6, 0.1 s',
    );
    assert.deepEqual(l.at('exit '), [...ROOT, COMMENT, EXIT_FAILED]);
    assert.deepEqual(l.at('6'), [...ROOT, COMMENT, EXIT_FAILED, EXIT_CODE]);
    const context = line('    # current context and its namespace: exit 1, 0.0 s');
    assert.deepEqual(context.at('1'), [...ROOT, COMMENT, EXIT_FAILED, EXIT_CODE]);
  });
});

describe('stderr of failed commands (`! …`)', () => {
  for (const [code, text, message] of [
    ['6', '    ! curl: (6) Could not resolve host: ghost.default.svc.cluster.local', ' Could not resolve host: ghost.default.svc.cluster.local'],
    ['28', '    ! curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received', ' Operation timed out after 1001 milliseconds with 0 bytes received'],
  ] as const) {
    it(`scopes curl's error (${code})`, () => {
      const l = line(text);
      assert.deepEqual(l.at('!'), [...ROOT, STDERR, STDERR_MARK]);
      assert.deepEqual(l.at('curl: ('), [...ROOT, STDERR, CURL_ERROR_META, CURL_ERROR]);
      assert.deepEqual(l.at(code), [...ROOT, STDERR, CURL_ERROR_META, CURL_ERROR, EXIT_CODE]);
      assert.deepEqual(l.at(message), [...ROOT, STDERR, CURL_ERROR_META, ERROR_MESSAGE]);
      assert.deepEqual(textsWithPrefix(text, p('meta.http-status')), [], 'no HTTP status in 1001 or 0');
    });
  }

  it("scopes curl's error (7) and the port in its message", () => {
    const l = line("    ! curl: (7) Failed to connect to refused.default.svc.cluster.local port 46331 after 0 ms: Couldn't connect to server");
    assert.deepEqual(l.at('7'), [...ROOT, STDERR, CURL_ERROR_META, CURL_ERROR, EXIT_CODE]);
    assert.deepEqual(l.at('46331'), [...ROOT, STDERR, CURL_ERROR_META, ERROR_MESSAGE, PORT]);
  });

  it("scopes kubectl's errors and its note of the exit code", () => {
    const terminated = line('    ! command terminated with exit code 6');
    assert.deepEqual(terminated.at('command terminated with exit code '), [...ROOT, STDERR, EXIT_FAILED]);
    assert.deepEqual(terminated.at('6'), [...ROOT, STDERR, EXIT_FAILED, EXIT_CODE]);
    const notFound = line('    ! Error from server (NotFound): services "nope" not found');
    assert.deepEqual(notFound.at('Error from server (NotFound)'), [...ROOT, STDERR, KUBECTL_ERROR]);
    assert.deepEqual(notFound.at(': services "nope" not found'), [...ROOT, STDERR]);
    const context = line('    ! error: cannot locate context staging-eu');
    assert.deepEqual(context.at('error:'), [...ROOT, STDERR, KUBECTL_ERROR]);
    const noCurl = line('    ! OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown');
    assert.deepEqual(noCurl.at('OCI runtime exec failed'), [...ROOT, STDERR, KUBECTL_ERROR]);
  });

  it("does not take a pod called x-envoy-… in kubectl's NotFound for an Envoy header", () => {
    const text = '    ! Error from server (NotFound): pods "x-envoy-curl-7d9c6b8f5-abcde" not found';
    assert.deepEqual(line(text).at('Error from server (NotFound)'), [...ROOT, STDERR, KUBECTL_ERROR]);
    assert.deepEqual(textsWithPrefix(text, ENVOY_HEADER), []);
  });

  it("scopes curl -v's marker and the IP of its lines", () => {
    const l = line('    ! * Added en.wikipedia.org:443:127.0.0.77 to DNS cache');
    assert.deepEqual(l.at('*'), [...ROOT, STDERR, TRACE_MARK]);
    assert.deepEqual(l.at('127.0.0.77'), [...ROOT, STDERR, IP]);
  });

  it('ends each region at the end of its line', () => {
    const lines = [
      '  $ /work/main/.tools/kubectl-v1.35.2/kubectl exec curl-5b8f9c7d4-fghij -n without-istio -c curl -- curl -sS -D - --max-time 10 http://ghost.default.svc.cluster.local/headers',
      '    # HTTP to ghost.default.svc.cluster.local:80 reaches ghost.example.net from without-istio/curl-5b8f9c7d4-fghij, which has no sidecar (the direct path, without Istio): exit 6, 0.1 s',
      '    ! curl: (6) Could not resolve host: ghost.default.svc.cluster.local',
      '    ! command terminated with exit code 6',
      '',
      'From without-istio/curl-5b8f9c7d4-fghij (without sidecar, container curl):',
      '  [FAIL] http://ghost.default.svc.cluster.local/headers: DNS: the host name could not be resolved (curl exit 6) (0.1 s)',
      '         curl: Could not resolve host: ghost.default.svc.cluster.local',
      '         Likely cause: The ExternalName target ghost.example.net does not resolve from without-istio/curl-5b8f9c7d4-fghij: check the name in spec.externalName.',
      '         Fix: Service default/ghost spec.externalName',
    ];
    const tokenized = tokenizeLines(lines);
    const at = (lineNo: number, text: string): readonly string[] => scopesOf(tokenized[lineNo] ?? [], lines[lineNo] ?? '', text);
    assert.deepEqual(at(0, 'curl-5b8f9c7d4-fghij'), [...ROOT, COMMAND, RAW, POD]);
    assert.deepEqual(at(1, '#'), [...ROOT, COMMENT, COMMENT_HASH]);
    assert.deepEqual(at(2, '6'), [...ROOT, STDERR, CURL_ERROR_META, CURL_ERROR, EXIT_CODE]);
    assert.deepEqual(at(3, '6'), [...ROOT, STDERR, EXIT_FAILED, EXIT_CODE]);
    assert.deepEqual(at(5, 'curl-5b8f9c7d4-fghij'), [...ROOT, SOURCE_HEADING, POD]);
    assert.deepEqual(at(6, '[FAIL]'), [...ROOT, FAIL]);
    assert.deepEqual(at(7, 'curl:'), [...ROOT, CURL_ERROR_META, CURL_ERROR]);
    assert.deepEqual(at(8, 'curl-5b8f9c7d4-fghij'), [...ROOT, POD]);
    assert.deepEqual(at(9, 'Fix:'), [...ROOT, LABEL]);
    assert.deepEqual(at(9, ' Service default/ghost spec.externalName'), [...ROOT], 'a Service is not a pod');
  });
});

describe('source pods and verdicts', () => {
  it('scopes the namespace and pod of `From NS/POD (…):`; `envoy` in a pod name is no Envoy header', () => {
    const text = 'From without-istio/x-envoy-curl-5b8f9c7d4-fghij (without sidecar, container curl):';
    const l = line(text);
    assert.deepEqual(l.at('From '), [...ROOT, SOURCE_HEADING]);
    assert.deepEqual(l.at('without-istio'), [...ROOT, SOURCE_HEADING, NAMESPACE]);
    assert.deepEqual(l.at('/'), [...ROOT, SOURCE_HEADING, NAMESPACE_SLASH]);
    assert.deepEqual(l.at('x-envoy-curl-5b8f9c7d4-fghij'), [...ROOT, SOURCE_HEADING, POD]);
    assert.deepEqual(textsWithPrefix(text, ENVOY_HEADER), []);
    assert.deepEqual(line('From default/envoy-debug-7d9c6b8f5-abcde (with sidecar, container curl):').at('envoy-debug-7d9c6b8f5-abcde'), [...ROOT, SOURCE_HEADING, POD]);
  });

  it('scopes a pass with its URL and a 2xx status', () => {
    const l = line('  [PASS] http://my-httpbin.default.svc.cluster.local/headers: HTTP 200 without Istio (0.1 s)');
    assert.deepEqual(l.at('[PASS]'), [...ROOT, PASS]);
    assert.deepEqual(l.at('http://my-httpbin.default.svc.cluster.local/headers'), [...ROOT, ...URL_SCOPES]);
    assert.deepEqual(l.at('HTTP'), [...ROOT, HTTP_META, HTTP]);
    assert.deepEqual(l.at('200'), [...ROOT, HTTP_META, ...STATUS_2XX]);
    assert.deepEqual(l.at(' without Istio (0.1 s)'), [...ROOT], 'no reason phrase in lower case');
  });

  it('does not read a status code in a URL path', () => {
    const text = '  [PASS] http://my-httpbin.default.svc.cluster.local/status/200: HTTP 200 through the sidecar (0.1 s)';
    const l = line(text);
    assert.deepEqual(l.at('http://my-httpbin.default.svc.cluster.local/status/200'), [...ROOT, ...URL_SCOPES]);
    assert.deepEqual(textsWithPrefix(text, HTTP_STATUS_PREFIX), ['200']);
    assert.deepEqual(l.at('200', 1), [...ROOT, HTTP_META, ...STATUS_2XX]);
  });

  it('scopes a 5xx status line with its reason phrase, apart from the 503 in the URL', () => {
    const text = '  [FAIL] http://my-httpbin.default.svc.cluster.local/status/503: the server answered HTTP/1.1 503 Service Unavailable (0.1 s)';
    const l = line(text);
    assert.deepEqual(l.at('[FAIL]'), [...ROOT, FAIL]);
    assert.deepEqual(l.at('HTTP/1.1'), [...ROOT, HTTP_META, HTTP]);
    assert.deepEqual(l.at('503', 1), [...ROOT, HTTP_META, ...STATUS_5XX]);
    assert.deepEqual(l.at(' Service Unavailable'), [...ROOT, HTTP_META, p('markup.deleted.http-status.reason-phrase')]);
    assert.deepEqual(textsWithPrefix(text, HTTP_STATUS_PREFIX), ['503']);
  });

  it("scopes Envoy's 503, but not the word Envoy", () => {
    const text =
      '  [FAIL] http://my-httpbin.default.svc.cluster.local/headers: HTTP 503 made by Envoy, not by the server (reset reason: remote connection failure; transport failure: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end) (0.1 s)';
    const l = line(text);
    assert.deepEqual(l.at('503'), [...ROOT, HTTP_META, ...STATUS_5XX]);
    assert.deepEqual(textsWithPrefix(text, ENVOY_HEADER), []);
    assert.deepEqual(textsWithPrefix(text, HTTP_META), ['HTTP', ' ', '503'], 'the reason phrase is not `made by Envoy`');
  });

  it('scopes 4xx apart from 2xx and 5xx, also in `answered 403`', () => {
    const pass403 = line('  [PASS] http://my-httpbin.default.svc.cluster.local/status/403: HTTP 403 without Istio (0.1 s)');
    assert.deepEqual(pass403.at('403', 1), [...ROOT, HTTP_META, ...STATUS_4XX]);
    const note = line(
      '         The server itself answered 403: the path works, but the server refused the request (a virtual-hosted server may reject the Host header http://my-httpbin.default.svc.cluster.local/status/403).',
    );
    assert.deepEqual(note.at('403'), [...ROOT, HTTP_META, ...STATUS_4XX]);
    assert.deepEqual(note.at('http://my-httpbin.default.svc.cluster.local/status/403'), [...ROOT, ...URL_SCOPES], "the `)` and `.` after it are not the URL's");
  });

  it('scopes the TLS pass: IP, 404, and no IP in `TLSv1.3`', () => {
    const text = '  [PASS] https://en.wikipedia.org/: TLS with en.wikipedia.org via the cluster IP 127.0.0.77 succeeded (TLSv1.3), HTTP 404 (0.1 s)';
    const l = line(text);
    assert.deepEqual(l.at('https://en.wikipedia.org/'), [...ROOT, ...URL_SCOPES]);
    assert.deepEqual(l.at('127.0.0.77'), [...ROOT, IP]);
    assert.deepEqual(l.at('404'), [...ROOT, HTTP_META, ...STATUS_4XX]);
    assert.deepEqual(textsWithPrefix(text, IP), ['127.0.0.77']);
  });

  it('scopes the curl exit of a failed step and the error detail, not `curl connected to`', () => {
    const failed = line('  [FAIL] http://ghost.default.svc.cluster.local/headers: DNS: the host name could not be resolved (curl exit 6) (0.1 s)');
    assert.deepEqual(failed.at('curl exit '), [...ROOT, EXIT_FAILED]);
    assert.deepEqual(failed.at('6'), [...ROOT, EXIT_FAILED, EXIT_CODE]);
    const untrusted = line('         curl: SSL certificate problem: unable to get local issuer certificate');
    assert.deepEqual(untrusted.at('curl:'), [...ROOT, CURL_ERROR_META, CURL_ERROR]);
    assert.deepEqual(untrusted.at(' SSL certificate problem: unable to get local issuer certificate'), [...ROOT, CURL_ERROR_META, ERROR_MESSAGE]);
    const connected = '         curl connected to en.wikipedia.org (127.0.0.77) port 46121.';
    const c = line(connected);
    assert.deepEqual(c.at('en.wikipedia.org'), [...ROOT, HOST]);
    assert.deepEqual(c.at('127.0.0.77'), [...ROOT, IP]);
    assert.deepEqual(c.at('46121'), [...ROOT, PORT]);
    assert.deepEqual(textsWithPrefix(connected, CURL_ERROR_META), []);
  });

  it('scopes the pod of an error verdict (`of NS/POD`)', () => {
    const l = line('  [ERROR] container httpbin of without-istio/httpbin-6f4b8c5d7-pqrst has no curl (0.1 s)');
    assert.deepEqual(l.at('[ERROR]'), [...ROOT, FAIL]);
    assert.deepEqual(l.at('without-istio'), [...ROOT, NAMESPACE]);
    assert.deepEqual(l.at('httpbin-6f4b8c5d7-pqrst'), [...ROOT, POD]);
  });

  it("scopes the pod of `exec into NS/POD` and kubectl's error in the summary, and no Envoy header in the pod's name", () => {
    const text = '  [ERROR] kubectl exec into default/x-envoy-curl-7d9c6b8f5-abcde failed (not-found): Error from server (NotFound): pods "x-envoy-curl-7d9c6b8f5-abcde" not found (0.0 s)';
    const l = line(text);
    assert.deepEqual(l.at('x-envoy-curl-7d9c6b8f5-abcde'), [...ROOT, POD]);
    assert.deepEqual(l.at('Error from server (NotFound)'), [...ROOT, KUBECTL_ERROR]);
    assert.deepEqual(l.at(': pods "x-envoy-curl-7d9c6b8f5-abcde" not found (0.0 s)'), [...ROOT], 'the quoted name is plain text');
    assert.deepEqual(textsWithPrefix(text, ENVOY_HEADER), []);
  });

  it('scopes every Envoy header of the sidecar evidence, and `server: envoy`', () => {
    const text = '         Sidecar evidence: X-Envoy-Attempt-Count, X-Envoy-Decorator-Operation, X-Envoy-Peer-Metadata, X-Envoy-Peer-Metadata-Id, server: envoy.';
    const l = line(text);
    assert.deepEqual(l.at('Sidecar evidence:'), [...ROOT, LABEL]);
    for (const header of ['X-Envoy-Attempt-Count', 'X-Envoy-Decorator-Operation', 'X-Envoy-Peer-Metadata', 'X-Envoy-Peer-Metadata-Id']) {
      assert.deepEqual(l.at(header), [...ROOT, ENVOY_HEADER]);
    }
    assert.deepEqual(l.at('server'), [...ROOT, SERVER_ENVOY, ENVOY_HEADER]);
    assert.deepEqual(l.at('envoy'), [...ROOT, SERVER_ENVOY, p('string.unquoted.header-value.envoy')]);
    assert.deepEqual(l.at('.'), [...ROOT], 'the full stop after `envoy`');
  });

  it("scopes labels, not Envoy's word or `disconnect/reset`, in what Envoy said", () => {
    const text =
      '         Envoy said: upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';
    const l = line(text);
    assert.deepEqual(l.at('Envoy said:'), [...ROOT, LABEL]);
    assert.equal(l.tokens.filter((t) => t.scopes.length > 1).length, 1, dump(l.tokens));
  });

  it('scopes the pod in a likely cause, and the file URL and rule code of a fix', () => {
    const cause = line('         Likely cause: The ExternalName target ghost.example.net does not resolve from default/curl-7d9c6b8f5-abcde: check the name in spec.externalName.');
    assert.deepEqual(cause.at('Likely cause:'), [...ROOT, LABEL]);
    assert.deepEqual(cause.at('default'), [...ROOT, NAMESPACE]);
    assert.deepEqual(cause.at('curl-7d9c6b8f5-abcde'), [...ROOT, POD]);
    const fix = line('         Fix: DestinationRule default/my-httpbin spec.trafficPolicy.tls.mode at file:///tmp/cap-NNV7Y7/wiki.yaml:19:13 (EGR402)');
    assert.deepEqual(fix.at('file:///tmp/cap-NNV7Y7/wiki.yaml:19:13'), [...ROOT, ...URL_SCOPES]);
    assert.deepEqual(fix.at('EGR402'), [...ROOT, RULE_CODE]);
    assert.deepEqual(fix.textsWith(POD), []);
  });
});

describe('the end of the transcript', () => {
  it('colours the outcome of the result line like the verdicts', () => {
    const pass = line('Result: PASS (exit 0) in 0.5 s');
    assert.deepEqual(pass.at('Result: '), [...ROOT, RESULT]);
    assert.deepEqual(pass.at('PASS'), [...ROOT, RESULT, PASS]);
    assert.deepEqual(pass.at(' (exit 0) in 0.5 s'), [...ROOT, RESULT]);
    assert.deepEqual(line('Result: FAIL (exit 1) in 0.7 s').at('FAIL'), [...ROOT, RESULT, FAIL]);
    assert.deepEqual(line('Result: ERROR (exit 2) in 0.1 s').at('ERROR'), [...ROOT, RESULT, FAIL]);
  });

  it("scopes an `Error:` line, with its URLs without the sentence's full stop", () => {
    const text =
      'Error: No Running source pod to run curl in (looked with -l app=nothing-here). With a sidecar: kubectl label namespace default istio-injection=enabled; kubectl apply -n default -f https://raw.githubusercontent.com/istio/istio/release-1.24/samples/curl/curl.yaml. Without: kubectl create namespace without-istio; kubectl apply -n without-istio -f https://raw.githubusercontent.com/istio/istio/release-1.24/samples/curl/curl.yaml.';
    const l = line(text);
    assert.deepEqual(l.at('Error:'), [...ROOT, p('invalid.illegal.error')]);
    assert.deepEqual(l.at('https://raw.githubusercontent.com/istio/istio/release-1.24/samples/curl/curl.yaml', 1), [...ROOT, ERROR_MESSAGE, ...URL_SCOPES]);
    assert.deepEqual(l.at('.', text.split('.').length - 2), [...ROOT, ERROR_MESSAGE]);
    assert.deepEqual(line('Error: Service default/nope is not in the cluster.').at(' Service default/nope is not in the cluster.'), [...ROOT, ERROR_MESSAGE]);
  });
});

describe("curl's own output, as a failed step's stderr or `curl -D -` shows it", () => {
  it('scopes status lines by class, with their reason phrase', () => {
    const ok = line('HTTP/1.1 200 OK');
    assert.deepEqual(ok.at('HTTP/1.1'), [...ROOT, HTTP_META, HTTP]);
    assert.deepEqual(ok.at('200'), [...ROOT, HTTP_META, ...STATUS_2XX]);
    assert.deepEqual(ok.at(' OK'), [...ROOT, HTTP_META, p('markup.inserted.http-status.reason-phrase')]);
    assert.deepEqual(line('HTTP/1.1 503 Service Unavailable').at('503'), [...ROOT, HTTP_META, ...STATUS_5XX]);
    assert.deepEqual(line('< HTTP/1.0 200 OK').at('200'), [...ROOT, HTTP_META, ...STATUS_2XX]);
  });

  it('scopes Envoy headers in any case, and `server: envoy` but not another server', () => {
    assert.deepEqual(line('x-envoy-upstream-service-time: 5').at('x-envoy-upstream-service-time'), [...ROOT, ENVOY_HEADER]);
    assert.deepEqual(line('< x-envoy-upstream-service-time: 5').at('x-envoy-upstream-service-time'), [...ROOT, ENVOY_HEADER]);
    assert.deepEqual(line('    "X-Envoy-Attempt-Count": "1",').at('X-Envoy-Attempt-Count'), [...ROOT, ENVOY_HEADER]);
    assert.deepEqual(line('< server: envoy').at('envoy'), [...ROOT, SERVER_ENVOY, p('string.unquoted.header-value.envoy')]);
    assert.deepEqual(line('server: envoy').at('server'), [...ROOT, SERVER_ENVOY, ENVOY_HEADER]);
    assert.deepEqual(textsWithPrefix('< Server: SimpleHTTP/0.6 Python/3.11.7', ENVOY_HEADER), []);
    assert.deepEqual(textsWithPrefix('< x-request-id: 4d9285b2-7c0e-44e1-a4d5-4319b62ddb7d', ENVOY_HEADER), []);
  });

  it('scopes IP:port in `Trying` lines, IPv4 and bracketed IPv6', () => {
    const v4 = line('*   Trying 127.0.0.1:36007...');
    assert.deepEqual(v4.at('127.0.0.1'), [...ROOT, IP]);
    assert.deepEqual(v4.at(':'), [...ROOT, PORT_COLON]);
    assert.deepEqual(v4.at('36007'), [...ROOT, PORT]);
    const v6 = line('*   Trying [::1]:18443...');
    assert.deepEqual(v6.at('::1'), [...ROOT, IP]);
    assert.deepEqual(v6.at('18443'), [...ROOT, PORT]);
  });

  it('scopes host, IP and port of `Connected to`', () => {
    const v4 = line('* Connected to httpbin.org (127.0.0.1) port 36007 (#0)');
    assert.deepEqual(v4.at('httpbin.org'), [...ROOT, HOST]);
    assert.deepEqual(v4.at('127.0.0.1'), [...ROOT, IP]);
    assert.deepEqual(v4.at('36007'), [...ROOT, PORT]);
    const v6 = line('* Connected to en.wikipedia.org (::1) port 18443 (#0)');
    assert.deepEqual(v6.at('::1'), [...ROOT, IP]);
  });

  it("scopes curl's error line outside the transcript too", () => {
    const l = line("curl: (7) Failed to connect to ::1 port 18444 after 0 ms: Couldn't connect to server");
    assert.deepEqual(l.at('curl: ('), [...ROOT, CURL_ERROR_META, CURL_ERROR]);
    assert.deepEqual(l.at('7'), [...ROOT, CURL_ERROR_META, CURL_ERROR, EXIT_CODE]);
    assert.deepEqual(l.at('18444'), [...ROOT, CURL_ERROR_META, ERROR_MESSAGE, PORT]);
  });
});
