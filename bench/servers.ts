/** The build under test, the two servers compared, and how each is started and checked before the clock starts. */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { StepTimeout } from '../test/support/bounded';
import { BenchServer, type ServerSpec } from './benchServer';
import { DIST, OUT, ROOT, SCHEMA, SNAPSHOT, YAML_LS } from './paths';

export const OURS = 'ours';
export const YLS = 'yaml-language-server';

export interface Build {
  readonly server: string;
  readonly cli: string;
  /** dist/server.js's modification time when it was copied. */
  readonly builtAt: Date;
}

/** Copies the build under test to bench/out/dist/; a message when it is missing. */
export function snapshotBuild(): Build | string {
  mkdirSync(SNAPSHOT, { recursive: true });
  for (const name of ['server.js', 'cli.js']) {
    const source = path.join(DIST, name);
    if (!existsSync(source)) return `dist/${name} is missing: run \`npm run build\` first`;
  }
  const builtAt = statSync(path.join(DIST, 'server.js')).mtime;
  // The source maps come along so that the profile can name original files.
  for (const name of ['server.js', 'server.js.map', 'cli.js', 'cli.js.map', 'client.js']) {
    if (existsSync(path.join(DIST, name))) copyFileSync(path.join(DIST, name), path.join(SNAPSHOT, name));
  }
  return { server: path.join(SNAPSHOT, 'server.js'), cli: path.join(SNAPSHOT, 'cli.js'), builtAt };
}

const YAML_SETTINGS = {
  schemas: { [pathToFileURL(SCHEMA).toString()]: '*.yaml' },
  validate: true,
  completion: true,
  hover: true,
  // Offline and like for like: no schema store catalogue or CRD catalogue from the network, only our schema.
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
};

export function oursSpec(serverJs: string, nodeFlags: readonly string[] = []): ServerSpec {
  return {
    name: OURS,
    args: [...nodeFlags, serverJs, '--stdio'],
    pushedSettings: { istioEgress: {} },
    configuration: (section) => (section === 'istioEgress' ? {} : null),
  };
}

const YLS_SPEC: ServerSpec = {
  name: YLS,
  args: [YAML_LS, '--stdio'],
  pushedSettings: { yaml: YAML_SETTINGS },
  configuration: (section) => {
    switch (section) {
      case 'yaml':
        return YAML_SETTINGS;
      case 'http':
        return { proxy: '', proxyStrictSSL: false };
      case '[yaml]':
      case 'editor':
      case 'istioEgress':
        return {};
      default:
        return null;
    }
  },
};

/** Both servers by name, ours from the snapshot of the build. */
export function serverSpecs(build: Build): Record<string, ServerSpec> {
  return { [OURS]: oursSpec(build.server), [YLS]: YLS_SPEC };
}

/** A DestinationRule whose `mode: DISABLED` (line 8) only a server validating against our schema reports. */
const PREFLIGHT_TEXT = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: preflight
spec:
  host: preflight.example.com
  trafficPolicy:
    tls:
      mode: DISABLED
`;
const PREFLIGHT_LINE = 8;

/** What our server logs when its background walk of the workspace folders is done. */
export const INDEXED_LOG = /indexed (\d+) workspace files/;

/** Starts a server, lets `beforePreflight` run, checks it validates with our schema, and leaves it idle. */
export async function startVerified(spec: ServerSpec, workspaceUri: string | null, timeoutMs: number, beforePreflight?: (server: BenchServer) => Promise<void>): Promise<BenchServer> {
  const server = new BenchServer(spec, ROOT);
  const lsp = server.lsp;
  try {
    await server.initialize(workspaceUri, timeoutMs);
    if (beforePreflight) await beforePreflight(server);
    const uri = pathToFileURL(path.join(OUT, 'manifests', 'preflight.yaml')).toString();
    const since = lsp.lastSeq;
    await lsp.open(uri, PREFLIGHT_TEXT);
    // Both report the schema error through our schema; the first publish may come before settings are applied.
    await lsp.waitForPublication(uri, { after: since, timeoutMs: Math.min(timeoutMs, 30_000), accept: (p) => p.diagnostics.some((d) => d.range.start.line === PREFLIGHT_LINE) });
    const closing = lsp.lastSeq;
    await lsp.close(uri);
    await lsp.waitForPublication(uri, { after: closing, timeoutMs: 5000, accept: (p) => p.diagnostics.length === 0 }).catch(() => undefined);
    // Let anything pending (yaml-language-server debounces validation by 200 ms) drain before the clock starts.
    await sleep(300);
    return server;
  } catch (error) {
    server.kill();
    if (error instanceof StepTimeout) throw new Error(`${spec.name} did not validate the preflight document against schemas/egress.schema.json`, { cause: error });
    throw error;
  }
}
