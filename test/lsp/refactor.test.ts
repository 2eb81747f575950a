import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import { LspTestClient, messageText } from '../support/lspClient';
import { PROJECT_ROOT } from '../support/paths';

const EXTERNAL_NAME_SEED = readFileSync(path.join(PROJECT_ROOT, 'examples', '1-externalname-seed.yaml'), 'utf8');
const SELECTORLESS_SEED = readFileSync(path.join(PROJECT_ROOT, 'examples', '3-selectorless-endpoints.yaml'), 'utf8');

const ECHO_SERVICE = 'kind: Service\napiVersion: v1\nmetadata:\n  name: my-echo\nspec:\n  type: ExternalName\n  externalName: postman-echo.com\n  ports:\n  - name: http\n    port: 80\n';
const ECHO_RULE =
  '# TLS origination toward the echo service\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: my-echo\nspec:\n  host: my-echo\n' +
  '  trafficPolicy:\n    portLevelSettings:\n    - port:\n        number: 80\n      tls:\n        mode: SIMPLE\n        sni: postman-echo.com\n';
const WITH_SELECTOR = 'kind: Service\napiVersion: v1\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n';

/** The line of `kind: Service` in a text: where a user's cursor asks for the refactoring. */
function serviceLine(text: string): number {
  return text.split('\n').indexOf('kind: Service');
}

function problems(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => `${String(d.code)} ${messageText(d)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function resources(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).flatMap((doc) => {
    assert.deepEqual(doc.errors, []);
    const value: unknown = doc.toJS();
    return isRecord(value) ? [value] : [];
  });
}

function kinds(text: string): string[] {
  return resources(text).map((r) => String(r.kind));
}

describe('refactoring a Service into a ServiceEntry (dist/server.js)', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-refactor-'));
    writeFileSync(path.join(dir, 'echo-rule.yaml'), ECHO_RULE);
    writeFileSync(path.join(dir, 'wikipedia-endpoints.yaml'), SELECTORLESS_SEED.slice(SELECTORLESS_SEED.indexOf('kind: Endpoints'), SELECTORLESS_SEED.indexOf('---\napiVersion')));
    client = new LspTestClient();
    const init = await client.initialize([pathToFileURL(dir).toString()]);
    const provider = init.capabilities.codeActionProvider;
    assert.ok(typeof provider === 'object' && provider.codeActionKinds?.includes('refactor.rewrite'), 'the server announces refactor.rewrite');
    // Workspace findings are published once the folder is indexed; the tests compare versions against them.
    await client.waitForLog(/indexed \d+ workspace files/, 10_000);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(client.stderr.join(''), '', 'nothing written to stderr');
  });

  const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();

  /** Code actions at a position; `only: null` sends no `only`. */
  async function codeActionsAt(uri: string, line: number, only: string[] | null = ['refactor.rewrite'], character = 2): Promise<CodeAction[]> {
    const position = { line, character };
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
    return (result ?? []).filter((a): a is CodeAction => 'kind' in a);
  }

  /** The refactorings once they reach `files` files: files on disk are indexed in the background after start-up. */
  async function refactoringsAcross(uri: string, line: number, files: number): Promise<CodeAction[]> {
    let actions = await codeActionsAt(uri, line);
    for (const end = Date.now() + 5000; Object.keys(actions[0]?.edit?.changes ?? {}).length < files && Date.now() < end;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      actions = await codeActionsAt(uri, line);
    }
    return actions;
  }

  /** The action's edits for one file, applied to its text. */
  function applied(action: CodeAction | undefined, uri: string, text: string): string {
    const edits: TextEdit[] = action?.edit?.changes?.[uri] ?? [];
    return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
  }

  it('converts the seed ExternalName Service and its DestinationRule in one file', async () => {
    const uri = uriOf('httpbin.yaml');
    await client.open(uri, EXTERNAL_NAME_SEED);
    await client.waitForDiagnostics(uri);
    // On the externalName value there is a finding too (EGR408), so quick fixes exist there: `only` decides.
    const line = EXTERNAL_NAME_SEED.split('\n').indexOf('  externalName: httpbin.org');
    const everything = await codeActionsAt(uri, line, null, 20);
    assert.deepEqual([...new Set(everything.map((a) => a.kind))], ['quickfix', 'refactor.rewrite']);
    assert.deepEqual(
      (await codeActionsAt(uri, line, ['refactor'], 20)).map((a) => a.kind),
      ['refactor.rewrite'],
    );
    const actions = await codeActionsAt(uri, line, ['refactor.rewrite'], 20);
    assert.deepEqual(
      actions.map((a) => [a.kind, a.title]),
      [['refactor.rewrite', "Convert to a ServiceEntry for 'httpbin.org' and move its DestinationRule to 'httpbin.org': workloads then call httpbin.org, not my-httpbin"]],
    );
    assert.deepEqual(Object.keys(actions[0]?.edit?.changes ?? {}), [uri]);
    const fixed = applied(actions[0], uri, EXTERNAL_NAME_SEED);
    assert.deepEqual(kinds(fixed), ['ServiceEntry', 'DestinationRule']);
    assert.match(fixed, /\n {2}host: httpbin\.org\n {2}trafficPolicy:\n {4}tls:\n {6}mode: DISABLE\n$/);
    const version = await client.replaceAll(uri, fixed);
    assert.deepEqual(problems(await client.diagnosticsOfVersion(uri, version)), []);
    await client.close(uri);
  });

  it('moves a DestinationRule that lives in another file on disk, its TLS settings intact', async () => {
    const uri = uriOf('echo.yaml');
    const ruleUri = uriOf('echo-rule.yaml');
    await client.open(uri, ECHO_SERVICE);
    await client.waitForDiagnostics(uri);
    const quickFixesOnly = await codeActionsAt(uri, 0, ['quickfix']);
    assert.ok(
      quickFixesOnly.every((a) => a.kind === 'quickfix'),
      'only: quickfix gets no refactoring',
    );
    // The rule file is not open: the server knows it from the workspace folder.
    const [action, ...others] = await refactoringsAcross(uri, 0, 2);
    assert.equal(others.length, 0);
    assert.deepEqual(Object.keys(action?.edit?.changes ?? {}).sort(), [ruleUri, uri].sort());
    const fixedService = applied(action, uri, ECHO_SERVICE);
    const fixedRule = applied(action, ruleUri, ECHO_RULE);
    assert.equal(fixedRule, ECHO_RULE.replace('  host: my-echo\n', '  host: postman-echo.com\n'), 'only the host changed');
    // As an editor applies a workspace edit: the other file is opened with its new text.
    writeFileSync(path.join(dir, 'echo-rule.yaml'), fixedRule);
    await client.watchedFilesChanged([{ uri: ruleUri, type: 2 }]);
    await client.open(ruleUri, fixedRule);
    const version = await client.replaceAll(uri, fixedService);
    assert.deepEqual(kinds(fixedService), ['ServiceEntry']);
    assert.deepEqual(problems(await client.diagnosticsOfVersion(uri, version)), []);
    assert.deepEqual(problems(await client.diagnosticsOfVersion(ruleUri, 1)), []);
    await client.close(uri);
    await client.close(ruleUri);
  });

  it('converts the seed selector-less Service, deleting its Endpoints in another file', async () => {
    const uri = uriOf('wikipedia.yaml');
    const endpointsUri = uriOf('wikipedia-endpoints.yaml');
    const text = SELECTORLESS_SEED.replace(/kind: Endpoints[\s\S]*?---\n/, '');
    assert.deepEqual(kinds(text), ['Service', 'DestinationRule']);
    await client.open(uri, text);
    await client.waitForDiagnostics(uri);
    const [action, ...others] = await refactoringsAcross(uri, serviceLine(text), 2);
    assert.equal(others.length, 0);
    assert.match(action?.title ?? '', /workloads keep calling my-wikipedia\.default\.svc\.cluster\.local, which then resolves only with Istio DNS proxying/);
    const endpointsText = readFileSync(path.join(dir, 'wikipedia-endpoints.yaml'), 'utf8');
    assert.equal(applied(action, endpointsUri, endpointsText), '', 'the Endpoints file held only the Endpoints');
    const fixed = applied(action, uri, text);
    const [entry, rule] = resources(fixed);
    assert.deepEqual(entry?.spec, {
      hosts: ['my-wikipedia.default.svc.cluster.local'],
      location: 'MESH_EXTERNAL',
      resolution: 'STATIC',
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      endpoints: [{ address: '91.198.174.192' }, { address: '198.35.26.96' }],
    });
    assert.deepEqual(rule?.spec, { host: 'my-wikipedia.default.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } });
    rmSync(path.join(dir, 'wikipedia-endpoints.yaml'));
    await client.watchedFilesChanged([{ uri: endpointsUri, type: 3 }]);
    const version = await client.replaceAll(uri, fixed);
    assert.deepEqual(problems(await client.diagnosticsOfVersion(uri, version)), []);
    await client.close(uri);
  });

  it('offers nothing for a Service with a selector', async () => {
    const uri = uriOf('web.yaml');
    await client.open(uri, WITH_SELECTOR);
    assert.deepEqual(await codeActionsAt(uri, 0), []);
    assert.deepEqual(await codeActionsAt(uri, 0, ['refactor']), []);
    await client.close(uri);
  });
});
