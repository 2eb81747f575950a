import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';
import { editorEnv, readmeSnippet } from './readme';

const NVIM = ['/usr/bin/nvim', '/usr/local/bin/nvim'].find((p) => existsSync(p));
const SKIP = NVIM ? false : 'nvim is not installed (apt-get install neovim); .ci/run installs it';

interface Report {
  found: boolean;
  diagnostics: string[];
  buffers: number[];
  clients: { name: string; attached: boolean[] }[];
  symbols: number;
  errmsg: string;
  messages: string;
}

/**
 * Runs once Neovim has opened the YAML files (as a user would: from its command line, so an error in the snippet's
 * FileType callback is printed, not swallowed by a Lua `vim.cmd`): waits for our findings, writes what it saw as JSON.
 */
const CHECK_LUA = `
local files, out, wait_ms = ...
local report = { found = true, diagnostics = {}, buffers = {}, clients = {}, symbols = -1 }
for _, file in ipairs(files) do
  local buf = vim.fn.bufnr(file)
  table.insert(report.buffers, buf)
  report.found = vim.wait(wait_ms, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'EGR402' then return true end
    end
    return false
  end, 100) and report.found
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(report.diagnostics, string.format('%s %s %d %s', vim.fn.fnamemodify(file, ':t'), tostring(d.code), d.lnum + 1, d.source or ''))
  end
end
table.sort(report.diagnostics)
local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
for _, client in ipairs(clients) do
  local attached = {}
  for _, buf in ipairs(report.buffers) do table.insert(attached, vim.lsp.buf_is_attached(buf, client.id)) end
  table.insert(report.clients, { name = client.name, attached = attached })
end
if #clients > 0 then
  local answers = vim.lsp.buf_request_sync(0, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params() }, 10000) or {}
  for _, answer in pairs(answers) do
    if answer.result then report.symbols = #answer.result end
  end
end
report.errmsg = vim.v.errmsg
report.messages = vim.fn.execute('messages')
vim.fn.writefile({ vim.fn.json_encode(report) }, out)
for _, client in ipairs(clients) do client.stop(true) end
`;

/** Headless Neovim with a clean config whose init file is exactly the README's snippet (clone path filled in). */
async function runReadmeSnippet(dir: string, env: NodeJS.ProcessEnv, waitMs = 20_000): Promise<{ report: Report; stderr: string; code: number | null }> {
  const init = path.join(dir, 'init.lua');
  writeFileSync(init, readmeSnippet('neovim', 'lua'));
  const mistakes = readFileSync(path.join(PROJECT_ROOT, 'examples', '4-common-mistakes.yaml'), 'utf8');
  const files = ['seed.yaml', 'other.yaml'].map((name) => path.join(dir, 'work', name));
  mkdirSync(path.join(dir, 'work'));
  for (const file of files) writeFileSync(file, mistakes);
  const check = path.join(dir, 'check.lua');
  writeFileSync(check, CHECK_LUA);
  const out = path.join(dir, 'report.json');
  const lua = `loadfile(${JSON.stringify(check)})({ ${files.map((f) => JSON.stringify(f)).join(', ')} }, ${JSON.stringify(out)}, ${waitMs})`;
  // If the check itself fails, `cquit! 4` still ends Neovim (with a failing code) instead of leaving it waiting.
  const [first, second] = files as [string, string];
  const args = ['--headless', '--clean', '-u', init, first, '-c', `edit ${second}`, '-c', `lua ${lua}`, '-c', 'qall!', '-c', 'cquit! 4'];
  const result = await run(NVIM ?? 'nvim', args, { cwd: path.join(dir, 'work'), env });
  assert.equal(result.code, 0, `nvim exited ${String(result.code)}: ${result.stderr}`);
  assert.ok(existsSync(out), `the check wrote no report: ${result.stderr}`);
  return { report: JSON.parse(readFileSync(out, 'utf8')) as Report, stderr: result.stderr + result.stdout, code: result.code };
}

function assertNoLuaError(report: Report, output: string): void {
  for (const text of [output, report.messages, report.errmsg]) {
    assert.doesNotMatch(text, /stack traceback|Error executing|E5108|expected number, got nil/, `Neovim printed an error:\n${text}`);
  }
  assert.equal(report.errmsg, '', `v:errmsg: ${report.errmsg}`);
}

/** Headless Neovim, its built-in LSP client, our server: the README's own snippet, as a user who cloned the repository runs it. */
describe("the README's Neovim set-up", () => {
  it('attaches the server to each YAML buffer and shows our findings with their codes and lines', { skip: SKIP, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-nvim-'));
    const { report, stderr } = await runReadmeSnippet(dir, editorEnv(dir));
    assertNoLuaError(report, stderr);
    assert.ok(report.found, `no EGR402 in Neovim's diagnostics:\n${report.diagnostics.join('\n')}\n${report.messages}`);
    for (const file of ['seed.yaml', 'other.yaml']) {
      assert.ok(report.diagnostics.includes(`${file} EGR402 43 istio-egress`), report.diagnostics.join('\n'));
      assert.ok(report.diagnostics.includes(`${file} EGR110 28 istio-egress`), report.diagnostics.join('\n'));
    }
    // One server for both buffers, attached to each.
    assert.deepEqual(report.clients, [{ name: 'istio-egress', attached: [true, true] }]);
    assert.ok(report.symbols > 0, `the server did not answer textDocument/documentSymbol (${report.symbols})`);
  });

  it('prints no Lua error when the server cannot start (node missing from PATH)', { skip: SKIP, timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-nvim-'));
    const emptyBin = path.join(dir, 'bin');
    mkdirSync(emptyBin);
    const { report, stderr } = await runReadmeSnippet(dir, editorEnv(dir, { PATH: emptyBin }), 1_000);
    assertNoLuaError(report, stderr);
    assert.deepEqual(report.clients, []);
    assert.equal(report.found, false);
  });
});
