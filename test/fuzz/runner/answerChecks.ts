/**
 * Checks on what the server sends: every range in a publication or an answer must lie inside the document as the
 * client has it. Each function lists the problems it finds, as text (see `problemClass` for how they are grouped).
 */
import {
  InsertReplaceEdit,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { lineLengths, type DocView, type Random } from '../generate';
import { oneLine } from './failures';
import { contains, fmtRange, isValidPosition, rangeProblem, type Geometry } from './geometry';

export function diagnosticProblem(d: Diagnostic, uri: string, g: Geometry): string | undefined {
  const own = rangeProblem(d.range, g, `range ${d.range ? fmtRange(d.range) : ''}`.trim());
  if (own) return own;
  for (const r of d.relatedInformation ?? []) {
    if (r.location.uri !== uri) continue;
    const related = rangeProblem(r.location.range, g, `related range ${fmtRange(r.location.range)}`);
    if (related) return related;
  }
  return undefined;
}

export function symbolsProblems(value: DocumentSymbol[] | SymbolInformation[] | null, g: Geometry): string[] {
  const out: string[] = [];
  const push = (p: string | undefined): void => {
    if (p) out.push(p);
  };
  const visit = (s: DocumentSymbol | SymbolInformation): void => {
    const name = `symbol "${oneLine(s.name ?? '', 60)}"`;
    if (!s.name) out.push(`symbol with an empty name`);
    if ('location' in s) {
      push(rangeProblem(s.location.range, g, `${name} range`));
      return;
    }
    const problem = rangeProblem(s.range, g, `${name} range ${fmtRange(s.range)}`) ?? rangeProblem(s.selectionRange, g, `${name} selectionRange ${fmtRange(s.selectionRange)}`);
    push(problem);
    if (!contains(s.range, s.selectionRange)) out.push(`${name}: selectionRange ${fmtRange(s.selectionRange)} is not inside range ${fmtRange(s.range)}`);
    for (const child of s.children ?? []) visit(child);
  };
  for (const s of value ?? []) visit(s);
  return out;
}

export function foldingProblems(value: FoldingRange[] | null, g: Geometry): string[] {
  const out: string[] = [];
  for (const f of value ?? []) {
    if (!Number.isInteger(f.startLine) || !Number.isInteger(f.endLine) || f.startLine < 0) out.push(`folding range ${f.startLine}-${f.endLine} is not a valid line range`);
    else if (f.endLine >= g.length) out.push(`folding range ${f.startLine}-${f.endLine} is past the last line (${g.length} lines)`);
    else if (f.startLine > f.endLine) out.push(`folding range ${f.startLine}-${f.endLine} ends before it starts`);
  }
  return out;
}

export function completionProblems(value: CompletionList | CompletionItem[] | null, position: Position, g: Geometry): string[] {
  const out: string[] = [];
  const items = !value ? [] : Array.isArray(value) ? value : value.items;
  const valid = isValidPosition(position, g);
  for (const item of items) {
    const label = oneLine(item.label, 60);
    const edit = item.textEdit;
    if (edit) {
      const ranges = InsertReplaceEdit.is(edit) ? [edit.insert, edit.replace] : [edit.range];
      for (const r of ranges) {
        const problem = rangeProblem(r, g, `item "${label}" edit range ${fmtRange(r)}`);
        if (problem) out.push(problem);
        else if (r.start.line !== r.end.line) out.push(`item "${label}" edit range ${fmtRange(r)} spans lines`);
        else if (valid && !contains(r, { start: position, end: position })) out.push(`item "${label}" edit range ${fmtRange(r)} does not hold the position`);
      }
    }
    for (const extra of item.additionalTextEdits ?? []) {
      const problem = rangeProblem(extra.range, g, `item "${label}" additional edit range ${fmtRange(extra.range)}`);
      if (problem) out.push(problem);
    }
  }
  return out;
}

export function hoverProblems(value: Hover | null, g: Geometry): string[] {
  const problem = value?.range ? rangeProblem(value.range, g, `hover range ${fmtRange(value.range)}`) : undefined;
  return problem ? [problem] : [];
}

export function codeActionsProblems(value: (Command | CodeAction)[] | null, uri: string, g: Geometry): string[] {
  const out: string[] = [];
  for (const action of value ?? []) {
    if (!('edit' in action) || !action.edit) continue;
    for (const [target, edits] of Object.entries(action.edit.changes ?? {})) {
      if (target !== uri) continue;
      for (const e of edits) {
        const problem = rangeProblem(e.range, g, `code action "${oneLine(action.title, 60)}" edit range ${fmtRange(e.range)}`);
        if (problem) out.push(problem);
      }
    }
  }
  return out;
}

/** Mostly valid positions; sometimes a line's end, past a line's end, or past the document's end. */
export function randomPosition(rng: Random, doc: DocView): Position {
  const text = doc.getText();
  return rng.weighted<() => Position>([
    [70, () => doc.positionAt(rng.int(text.length + 1))],
    [
      10,
      () => {
        const line = rng.int(doc.lineCount);
        return { line, character: lineLengths(text)[line] ?? 0 };
      },
    ],
    [10, () => ({ line: rng.int(doc.lineCount), character: rng.between(1, 400) + 200 })],
    [5, () => ({ line: doc.lineCount + rng.int(1000), character: rng.int(80) })],
    [5, () => ({ line: doc.lineCount, character: 0 })],
  ])();
}
