import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createProtocolConnection, ExitNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { DIST } from '../support/paths';

describe('language server transports', () => {
  it('answers initialize over node IPC, as the VS Code client starts it', async () => {
    const child = fork(path.join(DIST, 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.equal(result.serverInfo?.name, 'istio-egress-language-server');
      assert.ok(result.capabilities.hoverProvider);
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0, 'exit after shutdown ends the process cleanly');
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
