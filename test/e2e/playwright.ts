/**
 * playwright-core, loaded from `.tools/e2e/node_modules` (installed by scripts/e2e-setup.sh, not a project
 * dependency), typed by the small structural subset of its API these tests use. Declaring the subset here keeps
 * `npm run typecheck` independent of whether the E2E tools are installed; each member mirrors playwright-core's own
 * declaration (types/types.d.ts of the version the setup script pins).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * The few DOM members the page-side functions given to `evaluate` use (the project compiles without the DOM lib;
 * those functions run in the page, never in Node).
 */
export interface DomElement {
  readonly innerText: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

export interface Locator {
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  all(): Promise<Locator[]>;
  count(): Promise<number>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number; force?: boolean }): Promise<void>;
  hover(options?: { timeout?: number; force?: boolean }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  allInnerTexts(): Promise<string[]>;
  allTextContents(): Promise<string[]>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  isVisible(): Promise<boolean>;
  /**
   * Runs `fn` in the page on the (first matching) element: one snapshot of the DOM, with no rendering in between.
   * `fn` is serialized, so it must not use anything outside its own body.
   */
  evaluate<R>(fn: (element: DomElement) => R): Promise<R>;
}

export interface FrameLocator {
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
}

export interface Keyboard {
  press(key: string, options?: { delay?: number }): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
  insertText(text: string): Promise<void>;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Request {
  url(): string;
}

export interface Page {
  readonly keyboard: Keyboard;
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit' }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  screenshot(options: { path: string; fullPage?: boolean; timeout?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  setDefaultTimeout(ms: number): void;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
  on(event: 'console', listener: (message: ConsoleMessage) => void): unknown;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
  on(event: 'request', listener: (request: Request) => void): unknown;
}

export interface LaunchPersistentOptions {
  executablePath: string;
  args: string[];
  headless: boolean;
  timeout: number;
  viewport: { width: number; height: number };
  env: Record<string, string>;
  handleSIGINT: boolean;
  handleSIGTERM: boolean;
  handleSIGHUP: boolean;
}

export interface BrowserType {
  launchPersistentContext(userDataDir: string, options: LaunchPersistentOptions): Promise<BrowserContext>;
}

interface PlaywrightModule {
  chromium: BrowserType;
}

function isPlaywright(value: unknown): value is PlaywrightModule {
  if (typeof value !== 'object' || value === null || !('chromium' in value)) return false;
  const chromium: unknown = value.chromium;
  return typeof chromium === 'object' && chromium !== null && 'launchPersistentContext' in chromium;
}

/** playwright-core's `chromium`, from the tools folder's node_modules. */
export function loadChromium(toolsDir: string): BrowserType {
  const requireFromTools = createRequire(path.join(toolsDir, 'package.json'));
  const loaded: unknown = requireFromTools('playwright-core');
  if (!isPlaywright(loaded)) throw new Error(`playwright-core in ${toolsDir} does not export chromium.launchPersistentContext`);
  return loaded.chromium;
}
