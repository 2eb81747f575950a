/**
 * Go/Helm template actions (`{{ .Values.host }}`, `{{- if … }}`, `{{ include … | nindent 4 }}`) in a document.
 * Such a document is not YAML until rendered: its braces read as flow mappings, its control lines break the
 * indentation. The analysis reads it through a same-length stand-in text, so every range still points at the
 * original, and reports nothing on it but one note per file (docs/rules/EGR005.md).
 */

import { LineIndex, type Range } from '../text';

/**
 * An action: `{{`, anything up to the first `}}` (actions may span lines); or a `%NAME%` placeholder that a script
 * replaces before applying (`hosts: [ %SSO_HOST% ]`), which YAML cannot read either.
 */
const ACTION = /\{\{[\s\S]*?\}\}|%[A-Za-z_][A-Za-z0-9_]*%/g;

/** First and last character of the stand-in for an action inside a line: a scalar no real value holds. */
export const PLACEHOLDER_OPEN = '\u2039';
const PLACEHOLDER_CLOSE = '\u203a';

/** Whether a comment line: `# {{ … }}` explains a template elsewhere and makes no document a template. */
const COMMENT_LINE = /^[ \t]*#/;

/**
 * `{{workflow.name}}`, `{{inputs.parameters.url}}`: Argo Workflows' (and other tools') placeholders in a string a
 * resource carries for that tool. Not a Go template action (a field there starts with `.`), so no template for Helm.
 */
const FOREIGN_PLACEHOLDER = /^\{\{[A-Za-z_][\w-]*(?:\.[\w-]+)+\}\}$/;

/**
 * Whether text before a placeholder on its line puts it inside a string, where YAML reads it as text: after other
 * text of the scalar (`name: wf-{{…}}`, a line of a block scalar), or after an opening quote. Not right after `key: `
 * or `- `, where braces would start a flow mapping.
 */
function insideString(before: string): boolean {
  const t = before.trim();
  return t !== '' && !t.endsWith(':') && t !== '-';
}

/** The first template action outside comment lines, as offsets in `text`; undefined when there is none. */
export function firstTemplateAction(text: string): { readonly start: number; readonly end: number } | undefined {
  if (!text.includes('{{') && !text.includes('%')) return undefined;
  ACTION.lastIndex = 0;
  for (let match = ACTION.exec(text); match; match = ACTION.exec(text)) {
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    if (FOREIGN_PLACEHOLDER.test(match[0]) && insideString(text.slice(lineStart, match.index))) continue;
    if (!COMMENT_LINE.test(text.slice(lineStart, match.index))) return { start: match.index, end: match.index + match[0].length };
  }
  return undefined;
}

/**
 * The text with every action replaced, character for character (line breaks kept): a line holding only actions and
 * white space becomes blank (control flow, `include … | nindent`), an action among other text becomes a placeholder
 * scalar of the same length (`name: {{ .Values.name }}-egress` → `name: ‹_____________›-egress`), an action spanning
 * lines becomes blank. Both branches of an `if` stay in: the result is for reading names and hosts, not for judging.
 */
export function standInText(text: string): string {
  return text.replace(ACTION, (action: string, offset: number) => {
    if (action.includes('\n')) return action.replace(/[^\r\n]/g, ' ');
    return onlyActionsOnLine(text, offset, action.length) ? ' '.repeat(action.length) : placeholder(action.length);
  });
}

function placeholder(length: number): string {
  return `${PLACEHOLDER_OPEN}${'_'.repeat(Math.max(0, length - 2))}${PLACEHOLDER_CLOSE}`;
}

/** Whether the rest of the action's line, apart from other actions and white space, is empty. */
function onlyActionsOnLine(text: string, offset: number, length: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset + length);
  if (lineEnd === -1) lineEnd = text.length;
  return text.slice(lineStart, lineEnd).replace(new RegExp(ACTION.source, 'g'), '').trim() === '';
}

/**
 * A value still to be filled in: a template action's stand-in, or a shell-style variable that `envsubst`, `sed` or a
 * workshop script replaces before `kubectl apply` (`$USER_NAMESPACE-front`, `${TEAM}`).
 */
// `$VAR`, `${VAR}` (envsubst, shell) and `$(VAR)` (kustomize vars, container env expansion).
// `{{workflow.name}}`: another tool's placeholder left in a document that is plain YAML otherwise.
const PLACEHOLDER = new RegExp(`\\$(?:\\{?[A-Za-z_][A-Za-z0-9_]*\\}?|\\([A-Za-z_][A-Za-z0-9_.-]*\\))|${PLACEHOLDER_OPEN}|\\{\\{`);

/** Whether a value still holds a placeholder: it is not known until rendered, so it is never judged. */
export function holdsPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Whether the text a finding points at (document-relative) holds a placeholder: such findings are not reported. */
export function placeholderAt(text: string, range: Range): boolean {
  if (!text.includes('$') && !text.includes(PLACEHOLDER_OPEN) && !text.includes('{{')) return false;
  const lines = new LineIndex(text);
  return holdsPlaceholder(text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end)));
}
