import { CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import type { Suggestion } from '../../analysis/assist/completions';
import { shiftRange } from '../../analysis/text';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

const KIND: Readonly<Record<Suggestion['kind'], CompletionItemKind>> = {
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Reference,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

function toItem(s: Suggestion, startLine: number): CompletionItem {
  return {
    label: s.label,
    kind: KIND[s.kind],
    sortText: `0${s.sortText}`,
    filterText: s.insertText,
    textEdit: { range: shiftRange(s.range, startLine), newText: s.insertText },
    insertTextFormat: InsertTextFormat.PlainText,
    ...(s.detail ? { detail: s.detail } : {}),
    ...(s.documentation ? { documentation: { kind: MarkupKind.Markdown, value: s.documentation } } : {}),
    ...(s.preselect ? { preselect: true } : {}),
  };
}

/** Our workspace-aware suggestions first, then yaml-language-server's schema completions it does not duplicate. */
export function registerCompletion(ctx: ServerContext): void {
  ctx.connection.onCompletion((params, token) =>
    runSafe(ctx.connection, 'completion', token, CompletionList.create([], false), async () => {
      const uri = params.textDocument.uri;
      // Keystrokes not parsed yet are answered from the document under the cursor alone (assist/quickAssist.ts).
      const pending = ctx.open.pendingText(uri);
      const quick = pending === undefined ? undefined : ctx.analysis.quickCompletionsAt(uri, pending, params.position);
      const found = quick ?? (ctx.open.model(uri) ? ctx.analysis.completionsAt(uri, params.position) : undefined);
      if (!found) return CompletionList.create([], false);
      const { assist, suggestions } = found;
      const ours = suggestions.map((s) => toItem(s, assist.placed.startLine));
      const schema = quick?.skeleton
        ? await ctx.yaml.completeSkeleton(quick.skeleton, assist.placed.startLine, params.position)
        : await ctx.yaml.complete(assist.placed.doc, assist.placed.startLine, params.position);
      const taken = new Set(ours.map((i) => i.label));
      const rest = schema.items.filter((i) => !taken.has(i.label)).map((i) => ({ ...i, sortText: `1${i.sortText ?? i.label}` }));
      return CompletionList.create([...ours, ...rest], schema.isIncomplete);
    }),
  );
}
