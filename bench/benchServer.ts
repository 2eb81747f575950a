/**
 * A language server under benchmark: the tests' LSP client (`test/support/lspClient.ts`) started from a ServerSpec,
 * with the benchmark's client capabilities, a time limit on every step, and the process's peak memory.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ClientCapabilities, CompletionItem, Hover, Position } from 'vscode-languageserver-protocol/node';
import { bounded, StepTimeout } from '../test/support/bounded';
import { LspTestClient, type Publication } from '../test/support/lspClient';
import { track } from './processes';

/** How to start one of the servers, and what it is told about settings. */
export interface ServerSpec {
  /** Short name used in tables. */
  readonly name: string;
  readonly args: readonly string[];
  /** Settings sent with `workspace/didChangeConfiguration`. */
  readonly pushedSettings: unknown;
  /** The answer to one `workspace/configuration` item, by section. */
  configuration(section: string | undefined): unknown;
}

/**
 * Narrower than the tests' (no watched files, no document symbols): what both servers are offered has stayed the
 * same since the first recorded results, so runs remain comparable.
 */
const BENCH_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

/** A fresh server process; protocol steps go through `lsp`, the bounded and measured ones through this class. */
export class BenchServer {
  readonly lsp: LspTestClient;

  constructor(
    readonly spec: ServerSpec,
    cwd: string,
  ) {
    this.lsp = new LspTestClient({ args: spec.args, cwd, name: spec.name });
    this.lsp.configuration = (section) => spec.configuration(section);
    track(this.lsp.child);
  }

  /** Initializes with one workspace folder, or none (`null`: a file opened on its own), then pushes the settings. */
  async initialize(workspaceUri: string | null, timeoutMs: number): Promise<void> {
    await bounded(
      'initialize',
      timeoutMs,
      this.lsp.initializeWith({
        processId: process.pid,
        rootUri: workspaceUri,
        workspaceFolders: workspaceUri ? [{ uri: workspaceUri, name: 'bench' }] : null,
        capabilities: BENCH_CAPABILITIES,
      }),
    );
    await this.lsp.changeConfiguration(this.spec.pushedSettings);
  }

  completion(uri: string, position: Position, timeoutMs: number): Promise<CompletionItem[]> {
    return bounded('completion', timeoutMs, this.lsp.completion(uri, position));
  }

  hover(uri: string, position: Position, timeoutMs: number): Promise<Hover | null> {
    return bounded('hover', timeoutMs, this.lsp.hover(uri, position));
  }

  /**
   * The last publication for `uri` after `afterSeq` once `quietMs` have passed without another: a server that
   * publishes in stages (ours, on large files) sends its complete set last.
   */
  async waitForQuiet(uri: string, afterSeq: number, quietMs: number, timeoutMs: number): Promise<Publication> {
    const deadline = performance.now() + timeoutMs;
    let last = await this.lsp.waitForPublication(uri, { after: afterSeq, timeoutMs });
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining < quietMs) throw new StepTimeout(`quiet after diagnostics for ${uri}`, timeoutMs);
      try {
        last = await this.lsp.waitForPublication(uri, { after: last.seq, timeoutMs: quietMs });
      } catch (error) {
        if (error instanceof StepTimeout) return last;
        throw error;
      }
    }
  }

  /** Peak resident set size so far (VmHWM), in KiB, or undefined when /proc does not say. */
  peakRssKiB(): number | undefined {
    const pid = this.lsp.pid;
    return pid === undefined ? undefined : readVmHwmKiB(pid);
  }

  /** Shuts the server down, killing it if it has not gone within `graceMs` (a profile is written at a normal exit). */
  stop(graceMs = 3000): Promise<void> {
    return this.lsp.stop(graceMs);
  }

  /** Kills the process at once (after a timeout the server's state is unknown). */
  kill(): void {
    this.lsp.kill();
  }
}

function readVmHwmKiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
