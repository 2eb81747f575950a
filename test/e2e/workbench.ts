/**
 * Drives the VS Code workbench in the page as a person would — Quick Open, Go to Line, Ctrl+Space, the command
 * palette, the light bulb, mouse hovers — and reads back what is on the screen: Problems panel rows, suggest widget
 * rows, hover text, editor lines, dialogs, notifications, the Output panel and webviews.
 */
import type { FrameLocator, Locator, Page } from './playwright';
import { sleep } from './processes';

export interface ProblemRow {
  readonly file: string;
  readonly severity: 'error' | 'warning' | 'info' | 'unknown';
  readonly message: string;
  readonly source: string;
  readonly code: string;
  /** "[Ln 21, Col 9]" */
  readonly position: string;
}

export interface SuggestRow {
  readonly label: string;
  /** The row's accessible label: label, detail and kind ("DISABLE, Enum Member"). */
  readonly ariaLabel: string;
  readonly detail: string;
  readonly focused: boolean;
}

/** Text as Monaco renders it: non-breaking spaces for indentation. */
function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

let scenarioSignal: AbortSignal | undefined;

/**
 * The signal of the scenario now running: once it is aborted (the scenario ran out of time), polling stops, so a
 * timed-out scenario does not go on typing into the workbench while the next one runs.
 */
export function bindScenarioSignal(signal: AbortSignal): void {
  scenarioSignal = signal;
}

/** Polls `read` until `accept` holds; returns the last value read, throwing with it when `timeoutMs` passes. */
export async function eventually<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  const signal = scenarioSignal;
  for (;;) {
    if (signal?.aborted) throw new Error(`${what}: abandoned (the scenario timed out)`);
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      const mapsAsObjects = (_key: string, value: unknown): unknown => (value instanceof Map ? Object.fromEntries(value) : value);
      const seen = last === undefined ? `error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : JSON.stringify(last, mapsAsObjects, 1);
      throw new Error(`${what}: not seen within ${Math.round(timeoutMs / 1000)} s; last seen: ${seen}`);
    }
    await sleep(intervalMs);
  }
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Loads the workbench at `url` and waits for the Explorer to show the folder. */
  async load(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Escape a few times: closes widgets, quick inputs and notifications' focus left by a previous step. */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  // ---------------------------------------------------------------- editor

  /** Quick Open (Ctrl+P) → file name → Enter on the focused match; waits until its tab is the active one. */
  async openFile(name: string): Promise<void> {
    const active = this.page.locator('.tabs-container .tab.active', { hasText: name });
    await eventually(
      `editor tab ${name}`,
      async () => {
        await this.dismiss();
        await this.page.keyboard.press('Control+P');
        const input = this.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor();
        await input.fill(name);
        // Quick Open first lists recently opened files: wait for the filtered list's focused row to be this file.
        await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 5000 });
        await this.page.keyboard.press('Enter');
        await active.waitFor({ timeout: 5000 });
        return true;
      },
      (ok) => ok,
      20_000,
      200,
    );
    await this.activeEditor().locator('.view-line').first().waitFor();
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Go to Line/Column (Ctrl+G), 1-based like the status bar; waits for the status bar to show it. */
  async goTo(line: number, column: number): Promise<void> {
    await this.dismiss();
    await this.activeEditor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` })
      .first()
      .waitFor({ timeout: 5000 });
  }

  /**
   * The active editor's rendered lines by line number (only those on screen), read in one go inside the page: line
   * numbers and line texts come from the same frame, even while the editor re-renders (an edit, a scroll, a CodeLens
   * appearing above a line and pushing the rest down).
   */
  async editorLines(): Promise<Map<number, string>> {
    // Serialized into the page: no helpers from outside, no named inner functions (tsx would wrap them in __name).
    const pairs = await this.activeEditor().evaluate((editor) => {
      const numbers: Record<string, string> = {};
      const margins = editor.querySelectorAll('.margin-view-overlays > div');
      for (let i = 0; i < margins.length; i++) {
        const top = /top:\s*(-?\d+(?:\.\d+)?)px/.exec(margins[i]?.getAttribute('style') ?? '')?.[1];
        if (top !== undefined) numbers[String(Number(top))] = margins[i]?.innerText ?? '';
      }
      const out: [string, string][] = [];
      const views = editor.querySelectorAll('.view-lines > .view-line');
      for (let i = 0; i < views.length; i++) {
        const top = /top:\s*(-?\d+(?:\.\d+)?)px/.exec(views[i]?.getAttribute('style') ?? '')?.[1];
        if (top !== undefined) out.push([numbers[String(Number(top))] ?? '', views[i]?.innerText ?? '']);
      }
      return out;
    });
    const lines = new Map<number, string>();
    for (const [numberText, text] of pairs) {
      const number = Number(numberText.trim());
      if (numberText.trim() !== '' && Number.isInteger(number) && number > 0) lines.set(number, plain(text));
    }
    return lines;
  }

  /** The active editor's visible text, lines joined. */
  async editorText(): Promise<string> {
    const lines = await this.editorLines();
    return [...lines.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text)
      .join('\n');
  }

  // ---------------------------------------------------------------- suggest widget

  async suggestRows(): Promise<SuggestRow[]> {
    const rows: (SuggestRow & { index: number })[] = [];
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    for (const row of await widget.locator('.monaco-list-row').all()) {
      rows.push({
        index: Number(await row.getAttribute('data-index')),
        label: plain((await row.locator('.label-name').first().textContent()) ?? ''),
        ariaLabel: (await row.getAttribute('aria-label')) ?? '',
        detail: plain((await row.locator('.details-label').first().textContent()) ?? ''),
        focused: ((await row.getAttribute('class')) ?? '').split(/\s+/).includes('focused'),
      });
    }
    // Rows are absolutely positioned: data-index is their order on screen, whatever their order in the DOM.
    return rows.sort((a, b) => a.index - b.index).map(({ index: _index, ...row }) => row);
  }

  /**
   * Ctrl+Space until the suggest widget lists what `accept` wants (the language server may still be starting on
   * the first try), then returns the rows in on-screen order.
   */
  async suggest(accept: (rows: SuggestRow[]) => boolean, timeoutMs = 20_000): Promise<SuggestRow[]> {
    return eventually(
      'suggest widget',
      async () => {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+Space');
        try {
          await this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').first().waitFor({ timeout: 3000 });
        } catch {
          return [];
        }
        await sleep(300);
        return this.suggestRows();
      },
      accept,
      timeoutMs,
      500,
    );
  }

  // ---------------------------------------------------------------- hover

  /** Moves the mouse over `target` and returns the hover's text once it contains `expected`. */
  async hover(target: Locator, expected: RegExp, timeoutMs = 15_000): Promise<string> {
    return eventually(
      'hover',
      async () => {
        await this.page.keyboard.press('Escape');
        await target.hover();
        const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents');
        await hover.first().waitFor({ timeout: 3000 });
        return plain((await hover.allInnerTexts()).join('\n'));
      },
      (text) => expected.test(text),
      timeoutMs,
      500,
    );
  }

  // ---------------------------------------------------------------- Problems panel

  /** Opens the Problems panel (if it is not showing) and sets its filter box to `filter`. */
  async showProblems(filter: string): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor();
    }
    const input = this.page.locator('input[aria-label="Filter Problems"]');
    await input.fill(filter);
  }

  /** The Problems panel's rows, as shown with the filter `filter` (a file glob such as `**\/1-*.yaml`). */
  async problems(filter: string): Promise<ProblemRow[]> {
    await this.showProblems(filter);
    await sleep(300);
    const rows: ProblemRow[] = [];
    let file = '';
    for (const row of await this.page.locator('.markers-panel .monaco-list-row').all()) {
      const level = await row.getAttribute('aria-level');
      if (level === '1') {
        file = plain((await row.locator('.label-name').first().textContent()) ?? '');
        continue;
      }
      if (level !== '2') continue; // related information
      const icon = (await row.locator('.marker-icon').first().getAttribute('class')) ?? '';
      const severity = /\berror\b/.test(icon) ? 'error' : /\bwarning\b/.test(icon) ? 'warning' : /\binfo\b/.test(icon) ? 'info' : 'unknown';
      const text = async (selector: string): Promise<string> => ((await row.locator(selector).count()) ? plain((await row.locator(selector).first().textContent()) ?? '') : '');
      rows.push({ file, severity, message: await text('.marker-message'), source: await text('.marker-source'), code: await text('.marker-code'), position: await text('.marker-line') });
    }
    return rows;
  }

  async clearProblemsFilter(): Promise<void> {
    const input = this.page.locator('input[aria-label="Filter Problems"]');
    if (await input.isVisible()) await input.fill('');
  }

  // ---------------------------------------------------------------- commands, dialogs, notifications

  /** Command palette (Ctrl+Shift+P) → `query`; the rows it lists. Leaves the palette open. */
  async paletteRows(query: string): Promise<string[]> {
    await this.dismiss();
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${query}`);
    await sleep(600);
    return (await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).map(plain);
  }

  /** Runs a command by its palette title (exact row). */
  async runCommand(title: string): Promise<void> {
    const rows = await eventually(
      'command palette',
      () => this.paletteRows(title),
      (r) => r.some((row) => row.split('\n')[0] === title),
      10_000,
      500,
    );
    const index = rows.findIndex((row) => row.split('\n')[0] === title);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').nth(index);
    await row.click();
  }

  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map(plain);
  }

  // ---------------------------------------------------------------- output panel and webviews

  /** The Output panel's selected channel name and its visible text. */
  async output(): Promise<{ channel: string; text: string }> {
    const view = this.page.locator('.part.panel .output-view');
    await view.waitFor();
    const selected = this.page.locator('.part.panel .title-actions select.monaco-select-box option:checked').first();
    const channel = (await selected.count()) ? plain((await selected.textContent()) ?? '') : '';
    const lines = (await view.locator('.view-lines > .view-line').allInnerTexts()).map(plain);
    return { channel, text: lines.join('\n') };
  }

  /** Toggles the maximized panel (more Output lines on screen). */
  async toggleMaximizedPanel(): Promise<void> {
    await this.page.locator('.part.panel .codicon-panel-maximize, .part.panel .codicon-panel-restore').first().click();
  }

  /** The content frame of the webview editor whose tab reads `title`. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  tab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title });
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file, timeout: 10_000 });
  }
}
