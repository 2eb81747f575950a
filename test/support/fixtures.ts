import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_OPTIONS, type AnalysisOptions, type OutboundTrafficPolicy } from '../../server/src/analysis/options';
import { PROJECT_ROOT } from './paths';

export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');

/** One fixture case: a YAML file, or a folder whose YAML files are analysed together. */
export interface FixtureCase {
  readonly rule: string;
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly uri: string; readonly text: string }[];
  readonly options: AnalysisOptions;
  /** `relative/path.yaml:line CODE severity`, one per expected finding (1-based line). */
  readonly expected: readonly string[];
}

const EXPECT = /#\s*expect:\s*(.+)$/;
const OPTIONS = /^#\s*fixture-options:\s*(.+)$/m;

/** The YAML files of a fixture folder, its subfolders included (a chart's templates/, scenario folders). */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const full = path.join(dir, f);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(f) ? [full] : [];
    });
}

function optionsOf(texts: readonly string[]): AnalysisOptions {
  const settings: Record<string, string> = {};
  for (const text of texts) {
    const line = OPTIONS.exec(text)?.[1];
    for (const pair of line?.split(/[\s,]+/) ?? []) {
      const [key, value] = pair.split('=');
      if (key && value) settings[key] = value;
    }
  }
  return {
    clusterDomain: settings.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain,
    istioVersion: settings.istioVersion ?? DEFAULT_OPTIONS.istioVersion,
    outboundTrafficPolicy: (settings.outboundTrafficPolicy as OutboundTrafficPolicy | undefined) ?? DEFAULT_OPTIONS.outboundTrafficPolicy,
    addressAutoAllocation: settings.addressAutoAllocation === undefined ? DEFAULT_OPTIONS.addressAutoAllocation : settings.addressAutoAllocation === 'true',
  };
}

function expectations(relative: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = EXPECT.exec(line)?.[1];
    if (!match) return;
    for (const one of match.split(',')) {
      const [code, severity] = one.trim().split(/\s+/);
      out.push(`${relative}:${i + 1} ${code ?? '?'} ${severity ?? '?'}`);
    }
  });
  return out;
}

export function loadFixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    const ruleDir = path.join(FIXTURES, rule);
    if (!statSync(ruleDir).isDirectory()) continue;
    const entries = readdirSync(ruleDir).sort();
    for (const entry of entries) {
      const full = path.join(ruleDir, entry);
      const paths = statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(entry) ? [full] : [];
      if (paths.length === 0) continue;
      const files = paths.map((p) => ({ path: p, uri: pathToFileURL(p).toString(), text: readFileSync(p, 'utf8') }));
      cases.push({
        rule,
        name: `${rule}/${entry}`,
        files,
        options: optionsOf(files.map((f) => f.text)),
        expected: files.flatMap((f) => expectations(path.relative(FIXTURES, f.path), f.text)).sort(),
      });
    }
  }
  return cases;
}
