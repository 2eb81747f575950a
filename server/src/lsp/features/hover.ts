import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { shiftRange } from '../../analysis/text';
import type { ServerContext } from '../context';
import { runSafe } from '../runner';

function markdownOf(hover: Hover | null): string {
  if (!hover) return '';
  const c = hover.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n\n');
  return c.value;
}

/** Facts computed from the workspace, above the schema's description of the key. */
export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover((params, token) =>
    runSafe(ctx.connection, 'hover', token, null, async (): Promise<Hover | null> => {
      const uri = params.textDocument.uri;
      // Keystrokes not parsed yet are answered from the document under the cursor alone (assist/quickAssist.ts).
      const pending = ctx.open.pendingText(uri);
      const quick = pending === undefined ? undefined : ctx.analysis.quickHoverAt(uri, pending, params.position);
      const found = quick ?? (ctx.open.model(uri) ? ctx.analysis.hoverAt(uri, params.position) : undefined);
      if (!found) return null;
      const { assist, facts } = found;
      const schema = quick?.skeleton
        ? await ctx.yaml.hoverSkeleton(quick.skeleton, assist.placed.startLine, params.position)
        : await ctx.yaml.hover(assist.placed.doc, assist.placed.startLine, params.position);
      if (!facts) return schema;
      const described = markdownOf(schema);
      return {
        contents: { kind: MarkupKind.Markdown, value: described ? `${facts.markdown}\n\n---\n\n${described}` : facts.markdown },
        range: shiftRange(facts.range, assist.placed.startLine),
      };
    }),
  );
}
