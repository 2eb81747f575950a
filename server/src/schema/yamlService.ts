import { getLanguageService, SchemaPriority, type LanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, DocumentSymbol, FoldingRange, Hover, Position } from 'vscode-languageserver-types';
import type { ParsedDocument } from '../analysis/documents/parsedDocument';
import type { Skeleton } from '../analysis/documents/skeleton';
import { standInText } from '../analysis/documents/templates';
import { LineIndex } from '../analysis/text';
import { entryCount, nestsDeeperThan } from '../analysis/documents/nestingDepth';
import egressSchema from '../../../schemas/egress.schema.json';

/** The bundled schema's id; nothing is ever fetched from it. */
export const EGRESS_SCHEMA_URI = 'istio-egress:/schemas/egress.schema.json';

/** All documents are handed to yaml-language-server under this one name, so its per-uri cache stays one entry. */
const DOCUMENT_URI = 'istio-egress:/document.yaml';

/**
 * Deeper documents (by `nestingDepth`) get nothing from yaml-language-server. Its parser, AST conversion and features
 * recurse once or more per level, and from about 1 000 levels on a stack overflow somewhere inside is caught part way:
 * the answer then depends on how deep the stack already was, so the same text could get two answers. 200 (a tree up
 * to 400 deep, see `nestingDepth`) is well below that whatever the caller's stack, and far above real manifests
 * (under 20 levels).
 */
export const MAX_YAML_SERVICE_DEPTH = 200;

/**
 * Documents with more entries (lines plus flow-collection commas, see `entryCount`) get no completion, hover or
 * symbols from yaml-language-server: these take a time that grows faster than the document (completion matches the
 * schema against all of it: 3 to 4 s on a 28 000-item `ports: [1, 1, …` sequence; symbols, 1.7 s for a map of 20 000
 * keys). At 4 000 entries they answer within about 0.3 s. Our own completions and hovers still run; folding ranges
 * from it stay on, a linear walk.
 */
export const MAX_YAML_SERVICE_ENTRIES = 4000;

/** Alias uses beyond this: yaml-language-server expands every alias it meets, so a few can cost a lot. */
const MAX_ALIASES = 16;

/** What yaml-language-server may do with a document: everything, only its linear-time features, or nothing. */
type Reach = 'all' | 'linear' | 'none';

/**
 * yaml-language-server's language service, fed one YAML document at a time: requests cost one small document's
 * work whatever the file's size, and positions are moved by the document's first line on the way in and out.
 */
export class YamlService {
  private readonly service: LanguageService;
  private readonly serials = new WeakMap<ParsedDocument, number>();
  private nextSerial = 1;
  private readonly reaches = new WeakMap<ParsedDocument, Reach>();

  constructor() {
    this.service = getLanguageService({
      // Offline by design: any schema other than the bundled one is refused.
      schemaRequestService: (uri) => Promise.reject(new Error(`istio-egress does not fetch schemas (${uri})`)),
      workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
    });
    this.service.configure({
      // Validation is the analysis core's (EGR001, EGR002): far faster, and the same in the CLI.
      validate: false,
      hover: true,
      completion: true,
      format: false,
      isKubernetes: false,
      hoverSchemaSource: false,
      yamlVersion: '1.2',
      schemas: [{ uri: EGRESS_SCHEMA_URI, fileMatch: ['*', '**/*'], schema: egressSchema, priority: SchemaPriority.Settings, name: 'Istio Egress' }],
    });
  }

  private textDocument(doc: ParsedDocument): TextDocument {
    let serial = this.serials.get(doc);
    if (serial === undefined) {
      serial = this.nextSerial++;
      this.serials.set(doc, serial);
    }
    return TextDocument.create(DOCUMENT_URI, 'yaml', serial, yamlText(doc));
  }

  /** How far yaml-language-server may go with this document: a function of its text alone, so answers are too. */
  /**
   * Whether yaml-language-server may answer requests in the document: a line count first, which settles most large
   * documents at once (typing in one re-parses it per keystroke, and the nesting scan costs a parse of its own).
   */
  private reachesAll(doc: ParsedDocument): boolean {
    if (entryCount(doc.text, MAX_YAML_SERVICE_ENTRIES) > MAX_YAML_SERVICE_ENTRIES) return false;
    return this.reach(doc) === 'all';
  }

  private reach(doc: ParsedDocument): Reach {
    let reach = this.reaches.get(doc);
    if (reach === undefined) {
      reach = reachOf(yamlText(doc));
      this.reaches.set(doc, reach);
    }
    return reach;
  }

  complete(doc: ParsedDocument, startLine: number, position: Position): Promise<CompletionList> {
    if (!this.reachesAll(doc)) return Promise.resolve({ items: [], isIncomplete: false });
    return guarded(async () => toFile(await this.service.doComplete(this.textDocument(doc), toLocal(doc, position, startLine), false), doc, startLine), { items: [], isIncomplete: false });
  }

  hover(doc: ParsedDocument, startLine: number, position: Position): Promise<Hover | null> {
    if (!this.reachesAll(doc)) return Promise.resolve(null);
    return guarded(async () => toFile((await this.service.doHover(this.textDocument(doc), toLocal(doc, position, startLine))) ?? null, doc, startLine), null);
  }

  /** Completion in a large document read through its skeleton (`documents/skeleton.ts`): asked and answered in it. */
  completeSkeleton(skeleton: Skeleton, startLine: number, position: Position): Promise<CompletionList> {
    const empty = { items: [], isIncomplete: false };
    const local = this.inSkeleton(skeleton, startLine, position);
    if (!local) return Promise.resolve(empty);
    return guarded(async () => fromSkeleton(await this.service.doComplete(local.document, local.position, false), skeleton, startLine, position), empty);
  }

  /** Hover in a large document read through its skeleton. */
  hoverSkeleton(skeleton: Skeleton, startLine: number, position: Position): Promise<Hover | null> {
    const local = this.inSkeleton(skeleton, startLine, position);
    if (!local) return Promise.resolve(null);
    return guarded(async () => fromSkeleton((await this.service.doHover(local.document, local.position)) ?? null, skeleton, startLine, position), null);
  }

  private inSkeleton(skeleton: Skeleton, startLine: number, position: Position): { readonly document: TextDocument; readonly position: Position } | undefined {
    const line = skeleton.lines.indexOf(position.line - startLine);
    if (line < 0 || reachOf(skeleton.text) !== 'all') return undefined;
    const lines = new LineIndex(skeleton.text);
    return {
      document: TextDocument.create(DOCUMENT_URI, 'yaml', this.nextSerial++, skeleton.text),
      position: lines.positionAt(lines.offsetAt({ line, character: Math.max(0, position.character) })),
    };
  }

  symbols(doc: ParsedDocument, startLine: number): DocumentSymbol[] {
    if (this.reach(doc) !== 'all') return [];
    return guardedSync(() => toFile(this.service.findDocumentSymbols2(this.textDocument(doc), {}), doc, startLine), []);
  }

  foldingRanges(doc: ParsedDocument, startLine: number): FoldingRange[] {
    if (this.reach(doc) === 'none') return [];
    const ranges = guardedSync(() => this.service.getFoldingRanges(this.textDocument(doc), { rangeLimit: 5000 }) ?? [], []);
    return ranges.map((r) => ({ ...r, startLine: r.startLine + startLine, endLine: r.endLine + startLine }));
  }
}

/**
 * yaml-language-server can throw on pathological documents (a missing node on half-typed text; deep nesting, where it
 * would overflow the stack, is kept from it: see `reachOf`); for an editor that is no answer from it, not an error:
 * our own features still answer.
 */
async function guarded<T>(work: () => Promise<T>, neutral: T): Promise<T> {
  try {
    return await work();
  } catch {
    return neutral;
  }
}

function guardedSync<T>(work: () => T, neutral: T): T {
  try {
    return work();
  } catch {
    return neutral;
  }
}

/** The position inside the document, clamped to its text as LSP requires (past a line's end → its end). */
function toLocal(doc: ParsedDocument, position: Position, startLine: number): Position {
  const lines = new LineIndex(doc.text);
  return lines.positionAt(lines.offsetAt({ line: Math.max(0, position.line - startLine), character: Math.max(0, position.character) }));
}

/**
 * Documents that yaml-language-server would spend too long on (many aliases, many entries) or answer at random
 * (very deep nesting). The egress analysis and our own completions and hovers still run on them.
 */
function reachOf(text: string): Reach {
  let aliases = 0;
  for (const _ of text.matchAll(/(?:^|[\s,[{:-])\*[^\s,\]}]+/g)) if (++aliases > MAX_ALIASES) return 'none';
  // It expands each alias where it stands: a path down the tree can pass through every alias's anchored node.
  if (nestsDeeperThan(text, Math.floor(MAX_YAML_SERVICE_DEPTH / (aliases + 1)))) return 'none';
  return entryCount(text, MAX_YAML_SERVICE_ENTRIES) > MAX_YAML_SERVICE_ENTRIES ? 'linear' : 'all';
}

/**
 * An answer of yaml-language-server, made to fit the file: every position clamped into the document (it can answer
 * with a range one past a line's end, after trailing spaces) and moved down by the document's first line.
 */
function toFile<T>(value: T, doc: ParsedDocument, startLine: number): T {
  const lines = new LineIndex(doc.text);
  return shiftDeep(value, startLine, (p) => lines.positionAt(lines.offsetAt(p)));
}

/** An answer given in a skeleton, put back on the document's lines (a stood-in item's line: the cursor's). */
function fromSkeleton<T>(value: T, skeleton: Skeleton, startLine: number, position: Position): T {
  const lines = new LineIndex(skeleton.text);
  return shiftDeep(value, startLine, (p) => {
    const clamped = lines.positionAt(lines.offsetAt(p));
    const line = skeleton.lines[clamped.line] ?? -1;
    return { line: line >= 0 ? line : position.line - startLine, character: clamped.character };
  });
}

/**
 * Moves every `{line, character}` inside an LSP result down by `lines` (ranges in edits, symbols, hovers), after
 * `adjust` (identity by default).
 */
export function shiftDeep<T>(value: T, lines: number, adjust: (p: Position) => Position = (p) => p): T {
  // yaml-language-server shares Position objects between ranges (an edit's insert and replace ranges, a symbol's
  // range and selection range): each object is moved once.
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') {
      const adjusted = adjust({ line: record.line, character: record.character });
      record.line = adjusted.line + lines;
      record.character = adjusted.character;
      return;
    }
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(value);
  return value;
}

/**
 * What yaml-language-server reads: a template's stand-in (its actions blanked or turned into same-length scalars, as
 * helm-ls does), so that schema completion and hover work on the YAML around `{{ … }}`; positions are unchanged.
 */
function yamlText(doc: ParsedDocument): string {
  return doc.template ? standInText(doc.text) : doc.text;
}
