import {
  getLanguageService,
  SchemaPriority,
  type LanguageService,
} from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CompletionList,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Position,
} from 'vscode-languageserver-types';
import type { ParsedDocument } from '../analysis/documents/parsedDocument';
import { LineIndex } from '../analysis/text';
import egressSchema from '../../../schemas/egress.schema.json';

/** The bundled schema's id; nothing is ever fetched from it. */
export const EGRESS_SCHEMA_URI = 'istio-egress:/schemas/egress.schema.json';

/** All documents are handed to yaml-language-server under this one name, so its per-uri cache stays one entry. */
const DOCUMENT_URI = 'istio-egress:/document.yaml';

/**
 * yaml-language-server's language service, fed one YAML document at a time: requests cost one small document's
 * work whatever the file's size, and positions are moved by the document's first line on the way in and out.
 */
export class YamlService {
  private readonly service: LanguageService;
  private readonly serials = new WeakMap<ParsedDocument, number>();
  private nextSerial = 1;

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
      schemas: [
        { uri: EGRESS_SCHEMA_URI, fileMatch: ['*', '**/*'], schema: egressSchema, priority: SchemaPriority.Settings, name: 'Istio Egress' },
      ],
    });
  }

  private textDocument(doc: ParsedDocument): TextDocument {
    let serial = this.serials.get(doc);
    if (serial === undefined) {
      serial = this.nextSerial++;
      this.serials.set(doc, serial);
    }
    return TextDocument.create(DOCUMENT_URI, 'yaml', serial, doc.text);
  }

  complete(doc: ParsedDocument, startLine: number, position: Position): Promise<CompletionList> {
    if (tooCostly(doc)) return Promise.resolve({ items: [], isIncomplete: false });
    return guarded(async () => shiftDeep(await this.service.doComplete(this.textDocument(doc), toLocal(doc, position, startLine), false), startLine), { items: [], isIncomplete: false });
  }

  hover(doc: ParsedDocument, startLine: number, position: Position): Promise<Hover | null> {
    if (tooCostly(doc)) return Promise.resolve(null);
    return guarded(async () => shiftDeep((await this.service.doHover(this.textDocument(doc), toLocal(doc, position, startLine))) ?? null, startLine), null);
  }

  symbols(doc: ParsedDocument, startLine: number): DocumentSymbol[] {
    if (tooCostly(doc)) return [];
    return guardedSync(() => shiftDeep(this.service.findDocumentSymbols2(this.textDocument(doc), {}), startLine), []);
  }

  foldingRanges(doc: ParsedDocument, startLine: number): FoldingRange[] {
    if (tooCostly(doc)) return [];
    const ranges = guardedSync(() => this.service.getFoldingRanges(this.textDocument(doc), { rangeLimit: 5000 }) ?? [], []);
    return ranges.map((r) => ({ ...r, startLine: r.startLine + startLine, endLine: r.endLine + startLine }));
  }
}

/**
 * yaml-language-server can throw on pathological documents (a stack overflow on 1 000-deep nesting, a missing node on
 * half-typed text); for an editor that is no answer from it, not an error: our own features still answer.
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
 * Documents that yaml-language-server would spend too long on: many aliases (it expands them) or very deep nesting.
 * They get no schema completion, hover, symbols or folding from it; the egress analysis still runs.
 */
function tooCostly(doc: ParsedDocument): boolean {
  let aliases = 0;
  for (const _ of doc.text.matchAll(/(?:^|[\s,[{:-])\*[^\s,\]}]+/g)) if (++aliases > 16) return true;
  return /[[{]{200}/.test(doc.text.replace(/\s+/g, '')) || /^ {400}/m.test(doc.text);
}

/** Moves every `{line, character}` inside an LSP result down by `lines` (ranges in edits, symbols, hovers). */
export function shiftDeep<T>(value: T, lines: number): T {
  if (lines === 0) return value;
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
      record.line += lines;
      return;
    }
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(value);
  return value;
}
