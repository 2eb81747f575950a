import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { PROJECT_ROOT } from '../support/paths';
import { editorEnv, readmeSnippet } from './readme';
import { parseToml, type TomlTable, type TomlValue } from './toml';

const strings = (v: TomlValue | undefined): string[] | undefined => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined);
const table = (v: TomlValue | undefined): TomlTable | undefined => (typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** The README's Helix `languages.toml`, clone path filled in: the server it defines and the YAML language that uses it. */
function helixConfig(): { command: string; args: string[]; servers: string[]; parsed: TomlTable } {
  const parsed = parseToml(readmeSnippet('helix', 'toml'));
  const server = table(table(parsed['language-server'])?.['istio-egress']);
  assert.ok(server, '[language-server.istio-egress] is missing');
  assert.equal(typeof server.command, 'string', 'language-server.istio-egress.command must be a string');
  const args = strings(server.args ?? []);
  assert.ok(args, 'language-server.istio-egress.args must be an array of strings');
  const languages = parsed.language;
  assert.ok(Array.isArray(languages), '[[language]] is missing');
  const yaml = languages.map(table).find((l) => l?.name === 'yaml');
  const servers = strings(yaml?.['language-servers']);
  assert.ok(servers, 'the yaml [[language]] needs a language-servers list');
  return { command: server.command as string, args, servers, parsed };
}

const python = spawnSync('python3', ['-c', 'import tomllib'], { stdio: 'ignore' });
const HAS_TOMLLIB = python.status === 0;

/** Helix itself is not in Debian: the snippet is checked as TOML, and the command it names is started and spoken LSP to, as Helix would. */
describe("the README's Helix set-up", () => {
  it('is TOML that defines the istio-egress server and adds it to YAML', () => {
    const { command, args, servers } = helixConfig();
    assert.ok(servers.includes('istio-egress'), servers.join(', '));
    assert.deepEqual([command, ...args], ['node', path.join(PROJECT_ROOT, 'dist', 'server.js'), '--stdio']);
  });

  it("parses the same with Python's tomllib", { skip: HAS_TOMLLIB ? false : "python3 with tomllib (3.11+) is not installed; the project's own TOML check above still runs" }, () => {
    const result = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: readmeSnippet('helix', 'toml'), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), helixConfig().parsed);
  });

  it('names a command that starts the server over stdio, answers initialize and reports our findings', { timeout: 60_000 }, async () => {
    const { command, args } = helixConfig();
    const workspace = mkdtempSync(path.join(tmpdir(), 'istio-egress-helix-'));
    // Exactly the snippet's command and arguments, from the workspace as Helix starts them, with node on PATH as after `npm ci`.
    const child = spawn(command, args, { cwd: workspace, env: editorEnv(workspace), stdio: 'pipe' });
    const stderr: string[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    // What Helix answers when languages.toml gives the server no `config`.
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    const uri = pathToFileURL(path.join(workspace, 'seed.yaml')).href;
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => {
      connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
        if (p.uri === uri && p.diagnostics.some((d) => d.code === 'EGR402')) resolve(p);
      });
    });
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'helix' },
        rootUri: pathToFileURL(workspace).href,
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
          textDocument: { publishDiagnostics: { versionSupport: true } },
        },
      });
      assert.ok(result.capabilities.textDocumentSync !== undefined, JSON.stringify(result.capabilities));
      await connection.sendNotification(InitializedNotification.type, {});
      const text = readFileSync(path.join(PROJECT_ROOT, 'examples', '4-common-mistakes.yaml'), 'utf8');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const published = await diagnostics;
      const found = published.diagnostics.map((d) => `${String(d.code)} ${d.range.start.line + 1} ${d.source ?? ''}`);
      assert.ok(found.includes('EGR402 43 istio-egress'), found.join('\n'));
      assert.ok(found.includes('EGR110 28 istio-egress'), found.join('\n'));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0, stderr.join(''));
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});

describe('the TOML subset parser the Helix test uses', () => {
  it('reads tables, arrays of tables, strings, numbers, booleans and arrays', () => {
    assert.deepEqual(parseToml('# c\ntop = 1\n[a.b]\nx = "q\\"\\u00e9" # c\n\'y z\' = [true, \'lit\\\', [2]]\n[[l]]\nn = "1"\n[[l]]\nn = "2"\n'), {
      top: 1,
      a: { b: { x: 'q"é', 'y z': [true, 'lit\\', [2]] } },
      l: [{ n: '1' }, { n: '2' }],
    });
  });
  it('rejects what it does not understand, duplicate keys and unterminated strings', () => {
    for (const bad of ['a = """x"""', 'a = 1\na = 2', '[t]\n[t]', 'a = "x', 'a = [1, 2', 'a = 1 b', 'a = {}', 'a = 1.5', '[[t]]\n[t.x]\ny=1\n[t]']) {
      assert.throws(() => parseToml(bad), /TOML line/, bad);
    }
  });
});
