/** The generated inputs, and the scenarios run on them: where each server gets its requests and edits. */
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver-protocol/node';
import { DEFAULT_SEED, generateFile, writeSingleFile, writeWorkspace, type Anchor, type GeneratedFile, type GeneratedWorkspace } from './generate';
import type { Options } from './options';
import { OUT, ROOT } from './paths';
import { formatBytes } from './stats';

export const WORKSPACE_PER_FILE = 5;

export type SingleFile = GeneratedFile & { readonly path: string };

export interface Inputs {
  /** By size (documents), in the order of `--sizes`. */
  readonly files: ReadonlyMap<number, SingleFile>;
  /** The largest file again, alone in a folder the server is started on. */
  readonly inside: SingleFile | undefined;
  /** The largest file again, in a folder beside `BIG_NEIGHBOURS` other files of its size (other seeds). */
  readonly beside: SingleFile | undefined;
  readonly workspaceDir: string;
  /** Not written when neither the workspace runs nor the CLI need it. */
  readonly workspace: GeneratedWorkspace | undefined;
}

/** One way of exercising a server: which folder it gets, which file is opened, where requests and edits go. */
export interface Scenario {
  readonly kind: 'single' | 'workspace';
  /** Size column of the table. */
  readonly label: string;
  readonly workspaceUri: string | null;
  readonly uri: string;
  readonly text: string;
  readonly completionAt: readonly Position[];
  readonly hoverAt: readonly Position[];
  /**
   * Opened 300 ms after start while the server still indexes the folder it sits in (the file among them), as when a
   * person opens a folder and then a big file in it; otherwise opened once indexing is done.
   */
  readonly openWhileIndexing?: boolean;
  /** The value toggled `from` ⇄ `to`; our server must report `code` on that line exactly when the value is `to`. */
  readonly edit: { readonly line: number; readonly character: number; readonly from: string; readonly to: string; readonly code: string };
}

export function writeInputs(options: Options, log: (line: string) => void): Inputs {
  const files = new Map<number, SingleFile>();
  for (const size of options.sizes) files.set(size, writeSingleFile(OUT, size));
  for (const f of files.values()) log(`input: ${path.relative(ROOT, f.path)} — ${f.documents} documents, ${formatBytes(Buffer.byteLength(f.text))}`);
  const largest = Math.max(...options.sizes);
  const inside = options.profileOnly ? undefined : writeSingleFile(path.join(OUT, 'inside'), largest);
  const beside = options.profileOnly ? undefined : writeBeside(path.join(OUT, 'beside'), largest);
  if (beside) log(`input: ${path.relative(ROOT, path.dirname(beside.path))}/ — the ${largest}-document file beside ${BIG_NEIGHBOURS} others of its size`);
  const workspaceDir = path.join(OUT, 'workspace');
  let workspace: GeneratedWorkspace | undefined;
  if (!options.profileOnly && !(options.skipCli && options.skipWorkspace)) {
    workspace = writeWorkspace(workspaceDir, options.workspaceFiles, WORKSPACE_PER_FILE);
    log(`input: ${path.relative(ROOT, workspaceDir)}/ — ${workspace.files} files, ${workspace.documents} documents, ${formatBytes(workspace.bytes)}`);
  }
  return { files, inside, beside, workspaceDir, workspace };
}

/** Every single file, then the workspace (unless skipped); none for a profile-only run. */
export function scenariosFor(inputs: Inputs, options: Options): Scenario[] {
  if (options.profileOnly) return [];
  const scenarios = [...inputs.files.values()].map(singleFileScenario);
  if (inputs.inside) {
    const inside = singleFileScenario(inputs.inside);
    scenarios.push({ ...inside, label: `${inside.label} in its folder`, workspaceUri: pathToFileURL(path.dirname(inputs.inside.path)).toString(), openWhileIndexing: true });
  }
  if (inputs.beside) {
    const beside = singleFileScenario(inputs.beside);
    scenarios.push({
      ...beside,
      label: `${beside.label} beside ${BIG_NEIGHBOURS} more`,
      workspaceUri: pathToFileURL(path.dirname(inputs.beside.path)).toString(),
      openWhileIndexing: true,
    });
  }
  const workspace = inputs.workspace && !options.skipWorkspace ? workspaceScenario(inputs.workspaceDir, inputs.workspace) : undefined;
  if (workspace) scenarios.push(workspace);
  return scenarios;
}

/** Neighbours of the same size beside the opened file: an install manifest and a rendered chart kept in a repository. */
export const BIG_NEIGHBOURS = 3;

/** The opened file (the benchmark's seed) and `BIG_NEIGHBOURS` files of other seeds, in one fresh folder. */
function writeBeside(dir: string, documents: number): SingleFile {
  rmSync(dir, { recursive: true, force: true });
  const opened = writeSingleFile(dir, documents);
  for (let i = 1; i <= BIG_NEIGHBOURS; i++) {
    const neighbour = generateFile(documents, DEFAULT_SEED + 7919 * i);
    writeFileSync(path.join(path.dirname(opened.path), `neighbour-${i}.yaml`), neighbour.text);
  }
  return opened;
}

function anchor(file: GeneratedFile, type: Anchor['type'], role: NonNullable<Anchor['role']>): Anchor {
  const found = file.anchors.find((a) => a.type === type && a.role === role);
  if (!found) throw new Error(`generated file has no ${role} ${type} anchor`);
  return found;
}

export function singleFileScenario(file: SingleFile): Scenario {
  const at = (type: Anchor['type'], role: 'middle' | 'end', shift = 0): Position => {
    const a = anchor(file, type, role);
    return { line: a.line, character: a.character + shift };
  };
  const target = anchor(file, 'modeValue', 'middle');
  return {
    kind: 'single',
    label: file.documents.toLocaleString('en-US'),
    workspaceUri: null,
    uri: pathToFileURL(file.path).toString(),
    text: file.text,
    // Completion at a `mode:` value and at a key of the middle and the last DestinationRule; hover inside those keys.
    completionAt: [at('modeValue', 'middle'), at('hostKey', 'middle'), at('modeValue', 'end'), at('hostKey', 'end')],
    hoverAt: [at('modeKey', 'middle', 1), at('hostKey', 'middle', 1), at('modeKey', 'end', 1), at('hostKey', 'end', 1)],
    // DISABLE ⇄ ISTIO_MUTUAL on a DestinationRule for a selector-less Service: EGR402 comes and goes.
    edit: { line: target.line, character: target.character, from: target.value ?? 'DISABLE', to: 'ISTIO_MUTUAL', code: 'EGR402' },
  };
}

function workspaceScenario(dir: string, ws: GeneratedWorkspace): Scenario | undefined {
  const probe = ws.probe;
  if (!probe) return undefined;
  return {
    kind: 'workspace',
    label: `${ws.files.toLocaleString('en-US')} files × ${WORKSPACE_PER_FILE}`,
    workspaceUri: pathToFileURL(dir).toString(),
    uri: pathToFileURL(probe.path).toString(),
    text: probe.text,
    completionAt: [],
    hoverAt: [],
    // DISABLE ⇄ DISABLED: a schema error (EGR002) comes and goes, so every edit changes the diagnostics.
    edit: { line: probe.anchor.line, character: probe.anchor.character, from: 'DISABLE', to: 'DISABLED', code: 'EGR002' },
  };
}
