/**
 * Seeded benchmark inputs (`bench/run.ts`), also used by tests that want a large realistic file: the same seed and
 * size always give the same bytes. The documents come from `manifestWriter.ts`.
 *
 * Two groups are pinned so the driver always finds the same kind of place to work at: a clean selector-less group in
 * the middle of the file (its DestinationRule's `mode: DISABLE` is the value the edit benchmark toggles) and an
 * ExternalName group at the very end.
 *
 * Run on its own (`node --import tsx bench/generate.ts [outDir]`) it writes the benchmark inputs and prints a summary.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../test/support/random';
import { ManifestWriter, NAMESPACES, render, type Anchor, type Doc, type MistakeKind } from './manifestWriter';

export type { Anchor, MistakeKind } from './manifestWriter';

export const DEFAULT_SEED = 20_240_611;
export const SINGLE_FILE_SIZES: readonly number[] = [10, 100, 1000, 10_000];

export interface GeneratedFile {
  readonly text: string;
  readonly documents: number;
  readonly anchors: readonly Anchor[];
  /** Deliberate mistakes placed, by kind. */
  readonly mistakes: Readonly<Record<MistakeKind, number>>;
}

/** One file of exactly `documents` documents (at least 6 for the pinned groups to fit). */
export function generateFile(documents: number, seed = DEFAULT_SEED): GeneratedFile {
  if (documents < 6) throw new Error('a generated file needs at least 6 documents');
  const writer = new ManifestWriter(new Random(seed + documents));
  const middleStart = Math.floor(documents / 2) - 1;
  const docs: Doc[] = [...writer.fill(middleStart), ...writer.selectorlessGroup('middle'), ...writer.fill(documents - middleStart - 6), ...writer.externalNameGroup('end')];
  const { text, anchors } = render(docs, writer.rng);
  return { text, documents: docs.length, anchors, mistakes: { ...writer.mistakes } };
}

export interface GeneratedWorkspace {
  readonly files: number;
  readonly documents: number;
  readonly bytes: number;
  readonly mistakes: Readonly<Record<MistakeKind, number>>;
  /** The first file with a `mode: DISABLE`, for the edit-in-a-workspace benchmark. */
  readonly probe: { readonly path: string; readonly text: string; readonly anchor: Anchor } | undefined;
}

/** A folder of `files` files of `perFile` documents each, spread over one sub-folder per namespace. */
export function writeWorkspace(dir: string, files: number, perFile: number, seed = DEFAULT_SEED): GeneratedWorkspace {
  rmSync(dir, { recursive: true, force: true });
  const writer = new ManifestWriter(new Random(seed ^ 0x5eed));
  let bytes = 0;
  let probe: GeneratedWorkspace['probe'];
  for (let i = 0; i < files; i++) {
    const folder = path.join(dir, writer.rng.pick(NAMESPACES));
    mkdirSync(folder, { recursive: true });
    const { text, anchors } = render(writer.fill(perFile), writer.rng);
    const file = path.join(folder, `egress-${String(i).padStart(4, '0')}.yaml`);
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    const anchor = anchors.find((a) => a.type === 'modeValue' && a.value === 'DISABLE');
    if (!probe && anchor) probe = { path: file, text, anchor };
  }
  return { files, documents: files * perFile, bytes, mistakes: { ...writer.mistakes }, probe };
}

export function singleFilePath(outDir: string, documents: number): string {
  return path.join(outDir, 'manifests', `egress-${documents}.yaml`);
}

/** Writes the single-file inputs and returns them, text included. */
export function writeSingleFile(outDir: string, documents: number, seed = DEFAULT_SEED): GeneratedFile & { path: string } {
  const file = generateFile(documents, seed);
  const target = singleFilePath(outDir, documents);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.text);
  return { ...file, path: target };
}

function main(): void {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, 'out'));
  for (const size of SINGLE_FILE_SIZES) {
    const file = writeSingleFile(outDir, size);
    console.log(`${path.relative(process.cwd(), file.path)}: ${file.documents} documents, ${(Buffer.byteLength(file.text) / 1e6).toFixed(2)} MB, mistakes ${JSON.stringify(file.mistakes)}`);
  }
  const ws = writeWorkspace(path.join(outDir, 'workspace'), 2000, 5);
  console.log(
    `${path.relative(process.cwd(), path.join(outDir, 'workspace'))}: ${ws.files} files, ${ws.documents} documents, ${(ws.bytes / 1e6).toFixed(2)} MB, mistakes ${JSON.stringify(ws.mistakes)}`,
  );
}

if (require.main === module) main();
