import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DIST, PROJECT_ROOT } from '../support/paths';
import { run } from '../support/run';

const NVIM = ['/usr/bin/nvim', '/usr/local/bin/nvim'].find((p) => existsSync(p));

/** Headless Neovim, its built-in LSP client, our server: the set-up the README shows, as a user would run it. */
describe('the language server in Neovim', () => {
  it('reports our finding with its code and line', { skip: NVIM ? false : 'nvim is not installed (apt-get install neovim); .ci/run installs it' }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istio-egress-nvim-'));
    const manifest = path.join(dir, 'seed.yaml');
    writeFileSync(manifest, readFileSync(path.join(PROJECT_ROOT, 'examples', '4-common-mistakes.yaml'), 'utf8'));
    const out = path.join(dir, 'diagnostics.txt');
    const lua = path.join(dir, 't.lua');
    writeFileSync(
      lua,
      `
local client_id = vim.lsp.start_client({
  name = 'istio-egress',
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(DIST, 'server.js'))}, '--stdio' },
  root_dir = ${JSON.stringify(dir)},
})
vim.cmd('edit ' .. ${JSON.stringify(manifest)})
vim.lsp.buf_attach_client(0, client_id)
local ok = vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == 'EGR402' then return true end
  end
  return false
end, 100)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%s %d %s', tostring(d.code), d.lnum + 1, d.source or ''))
end
table.sort(lines)
vim.fn.writefile(lines, ${JSON.stringify(out)})
vim.lsp.stop_client(client_id, true)
vim.cmd(ok and 'qall!' or 'cquit! 3')
`,
    );
    const result = await run(NVIM ?? 'nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${lua}`], { cwd: dir, env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir } });
    assert.equal(result.code, 0, `nvim exited ${String(result.code)}: ${result.stderr}`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.ok(lines.includes('EGR402 43 istio-egress'), lines.join('\n'));
    assert.ok(lines.includes('EGR110 28 istio-egress'), lines.join('\n'));
  });
});
