// Runs inside a real VS Code extension host (npm run test:vscode); bundled by runTests.mjs.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tests: [string, () => Promise<void>][] = [
  [
    'diagnostics appear for the mistakes example',
    async () => {
      const uri = vscode.Uri.file(path.join(EXAMPLES, '4-common-mistakes.yaml'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostics = await waitFor('istio-egress diagnostics', () => {
        const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'istio-egress');
        return ours.length >= 3 ? ours : undefined;
      });
      const codes = diagnostics.map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code))).sort();
      assert.deepEqual(codes, ['EGR101', 'EGR110', 'EGR402']);
    },
  ],
  [
    'tls.mode completion offers the four modes',
    async () => {
      const document = await vscode.workspace.openTextDocument({
        language: 'yaml',
        content: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n  host: d\n  trafficPolicy:\n    tls:\n      mode: \n',
      });
      await vscode.window.showTextDocument(document);
      // The server starts on the first relevant document, so the first answers may come before it is ready.
      let labels: string[] = [];
      const end = Date.now() + 20_000;
      while (!labels.includes('ISTIO_MUTUAL') && Date.now() < end) {
        const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(8, 12));
        labels = result.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        if (!labels.includes('ISTIO_MUTUAL')) await new Promise((r) => setTimeout(r, 200));
      }
      for (const mode of ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']) assert.ok(labels.includes(mode), mode);
    },
  ],
  [
    'the probe command is registered',
    async () => {
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('istioEgress.probeService'));
    },
  ],
];

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, test] of tests) {
    try {
      await test();
      console.log(`ok - ${name}`);
    } catch (error) {
      failures.push(name);
      console.log(`not ok - ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`${tests.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} VS Code test(s) failed`);
}
