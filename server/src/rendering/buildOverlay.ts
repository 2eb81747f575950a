/**
 * Builds one kustomize overlay with `kubectl kustomize <folder>` (the user's kubectl, `istioEgress.kubectlPath` or
 * `--kubectl`) and turns the outcome into what the analysis takes (`Analysis.setOverlay`). Shared by the CLI's
 * `--kustomize` and the language server. Remote bases are never fetched: an overlay that names one is not built.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readKustomization } from '../analysis/kustomize/kustomization';
import type { ChartProblem } from '../analysis/render/chartFindings';
import { lineRange } from '../analysis/render/helmErrors';
import { kustomizeProblem } from '../analysis/render/kustomizeErrors';
import type { OverlayState } from '../analysis/render/overlayFindings';
import { runKubectl } from '../shared/kubectlRunner';
import { readIfExists } from './chartFiles';

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** A resource kustomize would download: a URL, or the `github.com/…` and `git@…` shorthands. */
const REMOTE = /:\/\/|^github\.com\/|^git@|^gitlab\.com\/|^bitbucket\.org\//;

export interface OverlayRequest {
  /** The overlay's folder (absolute). */
  readonly dir: string;
  readonly kubectlPath: string;
  readonly signal?: AbortSignal;
}

export interface OverlayOutcome {
  /** undefined when cancelled, or when the folder holds no kustomization. */
  readonly state: OverlayState | undefined;
  readonly command: string;
  readonly durationMs: number;
  readonly documents: number;
  /** Why kubectl could not build the overlay (missing, too slow): a CI run that named its kubectl must not pass. */
  readonly unavailable?: string;
}

/** The kustomization file of a folder, if it has one. */
export async function kustomizationIn(dir: string): Promise<{ readonly file: string; readonly text: string } | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    const text = await readIfExists(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

export async function buildOverlay(request: OverlayRequest): Promise<OverlayOutcome> {
  const command = `kubectl kustomize ${request.dir}`;
  const root = await kustomizationIn(request.dir);
  if (!root) return { state: undefined, command, durationMs: 0, documents: 0 };
  const kustomization = pathToFileURL(root.file).toString();
  const problem = (message: string, severity: ChartProblem['severity'], uri = kustomization, range = lineRange(root.text, 0)): OverlayState => ({
    status: 'failed',
    kustomization,
    problems: [{ uri, range, message, severity }],
  });
  const { remote } = await buildFiles(request.dir);
  if (remote) {
    const why = `it names the remote base '${remote.entry}', which is not fetched here`;
    const entryLine = remote.text.split(/\r?\n/).findIndex((l) => l.includes(remote.entry));
    return {
      state: problem(
        `This overlay is not built, so it is checked only as far as its files tell: ${why}.`,
        'info',
        pathToFileURL(remote.file).toString(),
        lineRange(remote.text, Math.max(0, entryLine)),
      ),
      command,
      durationMs: 0,
      documents: 0,
    };
  }
  const result = await runKubectl({
    kubectlPath: request.kubectlPath,
    args: ['kustomize', request.dir],
    timeoutMs: TIMEOUT_MS,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const base = { command, durationMs: result.durationMs };
  if (result.cancelled) return { ...base, state: undefined, documents: 0 };
  const notRun =
    result.spawnError ??
    (result.timedOut
      ? `kubectl kustomize did not finish within ${TIMEOUT_MS / 1000} s`
      : result.truncated
        ? `kubectl kustomize wrote more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`
        : undefined);
  if (notRun) return { ...base, state: problem(`This overlay is not built, so it is checked only as far as its files tell: ${notRun}.`, 'info'), documents: 0, unavailable: notRun };
  if (result.exitCode !== 0) return { ...base, state: await blame(result.stderr, request.dir, root, kustomization), documents: 0 };
  return { ...base, state: { status: 'built', kustomization, output: result.stdout }, documents: result.stdout.split(/^---$/m).filter((d) => d.trim() !== '').length };
}

/** kubectl's complaint where kustomize puts the blame: the innermost kustomization, on the entry at fault. */
async function blame(stderr: string, dir: string, root: { readonly file: string; readonly text: string }, kustomization: string): Promise<OverlayState> {
  const problem = kustomizeProblem(stderr);
  const at = (problem.folder && (await kustomizationIn(problem.folder))) || root;
  const line = problem.entry ? at.text.split(/\r?\n/).findIndex((l) => l.includes(problem.entry ?? '')) : -1;
  return {
    status: 'failed',
    kustomization,
    problems: [
      {
        uri: pathToFileURL(at.file).toString(),
        range: lineRange(at.text, Math.max(0, line)),
        message: `kubectl kustomize ${path.basename(dir)} fails here: ${problem.message}`,
        severity: 'error',
      },
    ],
  };
}

/** What an overlay's build reads, as far as its local kustomizations tell. */
export interface BuildFiles {
  /** Kustomization, resource and patch files, absolute. */
  readonly files: readonly string[];
  /** The first remote base it names, with the kustomization that names it. */
  readonly remote?: { readonly file: string; readonly text: string; readonly entry: string };
}

/** The files an overlay's build reads: its kustomizations, their resource files and patch files, recursively. */
export async function buildFiles(dir: string): Promise<BuildFiles> {
  const files: string[] = [];
  let remote: BuildFiles['remote'];
  const seen = new Set<string>();
  const visit = async (folder: string): Promise<void> => {
    if (seen.has(folder) || seen.size > 100) return;
    seen.add(folder);
    const found = await kustomizationIn(folder);
    if (!found) return;
    files.push(found.file);
    const k = readKustomization(found.text);
    for (const patch of k.patchFiles) if (!REMOTE.test(patch)) files.push(path.resolve(folder, patch));
    for (const entry of k.resources) {
      if (REMOTE.test(entry)) {
        remote ??= { ...found, entry };
        continue;
      }
      const target = path.resolve(folder, entry);
      if (/\.ya?ml$/i.test(entry)) files.push(target);
      else await visit(target);
    }
  };
  await visit(dir);
  return { files: [...new Set(files)], ...(remote ? { remote } : {}) };
}
