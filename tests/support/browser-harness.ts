import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ensureBuilt, ROOT, SUB_PATH } from './built-site';
import { openDatabase } from './parquet-fixture';
import { launchChromium } from '../../scripts/lib/chromium';

export { SUB_PATH };

/** Where screenshots go: `test-results/view-<id>.png`. */
export const SHOTS_DIR = join(ROOT, 'test-results');

/** The built site as the tests see it: its URL on loopback and the Parquet files behind it. */
export interface BuiltSite {
  url: string;
  dataDir: string;
  distDir: string;
}

/** The site served by the global set-up, built on first use and shared by every test file. */
export async function builtSite(): Promise<BuiltSite> {
  const site = inject('browserSite');
  await ensureBuilt(site);
  return { url: site.url, dataDir: site.dataDir, distDir: site.distDir };
}

/** A page whose every request is routed, and the problems seen on it so far. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /**
   * Requests leaving loopback, failed requests, HTTP ≥ 400, console errors and page errors, as
   * they happen; cancelled requests (`net::ERR_ABORTED`) are judged only by {@link close}.
   */
  problems: string[];
  /** Closes the context and gives every problem seen: {@link problems} and cancelled requests. */
  close(): Promise<string[]>;
}

/** A request Chromium cancelled: which document made it, and whether the page was closing. */
interface Cancelled {
  line: string;
  madeIn: number | undefined;
  whileClosing: boolean;
}

/**
 * The cancelled requests that are problems: those of the page's last document, cancelled before
 * it was closed. The others were left behind: the site loads every view's code in the background,
 * so a test that reloads, navigates or ends soon after opening cuts some of those loads short, and
 * that is no fault of the site. (Chromium may report them before or after the new document
 * commits, so this is decided at the end, once the last document is known.) The page aborting one
 * of its own requests still counts, and a file that is missing shows as its HTTP status.
 */
function cancelledProblems(cancelled: readonly Cancelled[], lastDocument: number): string[] {
  return cancelled.filter((c) => !c.whileClosing && c.madeIn === lastDocument).map((c) => c.line);
}

/** How {@link newWatchedPage} sets its page up. */
export interface WatchedPageOptions {
  /**
   * Whether the page does its background work once the engine is up (the warm-up and the answers
   * prepared one click ahead, src/main.tsx). Off unless asked for: it costs a page several seconds
   * of CPU, which the tests that do not look at it need not spend. The warm-up's, prepared clicks',
   * first paint's and the dashboard's tests keep it on.
   */
  backgroundWork?: boolean;
}

/**
 * A fresh context and page that route every request: one leaving loopback is recorded and not
 * sent; failed requests, HTTP errors, console errors and page errors are recorded too.
 */
export async function newWatchedPage(
  browser: Browser,
  options: WatchedPageOptions = {},
): Promise<WatchedPage> {
  const problems: string[] = [];
  // The site's service worker answers requests past the routing below (Playwright cannot see
  // them): blocked here, and tested on its own (tests/browser/offline-second-visit.test.ts).
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      problems.push(`request left loopback: ${url.href}`);
      await route.abort('blockedbyclient');
    } else {
      await route.continue();
    }
  });
  // Whatever the page's Content-Security-Policy refuses (a script, a worker, a style, a fetch) is
  // a problem too: the built site must work entirely under it.
  await context.exposeBinding('__reportCspViolation', (_source, line: string) => {
    problems.push(`CSP violation: ${line}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation?: (line: string) => void })
        .__reportCspViolation;
      void report?.(
        `${event.effectiveDirective} refused ${event.blockedURI || 'inline'} ` +
          `(${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  if (options.backgroundWork !== true) {
    await context.addInitScript(() => {
      (window as unknown as { __dashboardNoBackgroundWork?: boolean }).__dashboardNoBackgroundWork =
        true;
    });
  }
  const page = await context.newPage();
  // A request remembers the document that made it. A new document begins when a main-frame
  // navigation commits, not when its request starts: until the answer comes, the old document
  // is still running and can still make requests, which the commit then cuts short.
  let documentNo = 0;
  let navigating = false;
  let closing = false;
  const madeIn = new WeakMap<Request, number>();
  const cancelled: Cancelled[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigating = true;
    madeIn.set(request, documentNo);
  });
  // Also emitted for a navigation within the document (the history API); only one that follows
  // a main-frame navigation request is taken as a new document.
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame() || !navigating) return;
    navigating = false;
    documentNo += 1;
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? '';
    const line = `request failed: ${request.url()} ${errorText}`;
    if (errorText === 'net::ERR_ABORTED') {
      cancelled.push({ line, madeIn: madeIn.get(request), whileClosing: closing });
    } else {
      problems.push(line);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const close = async () => {
    closing = true;
    await context.close();
    return [...problems, ...cancelledProblems(cancelled, documentNo)];
  };
  return { context, page, problems, close };
}

/** Opens the site with a query string (e.g. `?view=heatmap`) and waits for the data engine. */
export async function openView(page: Page, site: BuiltSite, search: string): Promise<void> {
  await page.goto(`${site.url}${search}`);
  await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
}

/** Fails on any serious or critical axe-core violation on the page as it stands. */
export async function expectNoSeriousAxeViolations(page: Page, within?: string): Promise<void> {
  // Legacy mode runs axe in the page itself, without the blank page it otherwise opens to put the
  // results of each frame together: the site has no frames, and it saves seconds a check.
  const builder = new AxeBuilder({ page }).setLegacyMode(true);
  const results = await (within === undefined ? builder : builder.include(within)).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

/** How {@link saveScreenshot} takes its picture. */
export interface ScreenshotOptions {
  /** The whole page (the default), or only what the window shows. */
  fullPage?: boolean;
  /** How long the picture may take; Playwright's 30 s unless given. */
  timeout?: number;
}

/** Saves a screenshot (of the full page unless told otherwise) as `test-results/view-<id>.png`. */
export async function saveScreenshot(
  page: Page,
  id: string,
  { fullPage = true, timeout }: ScreenshotOptions = {},
): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `view-${id}.png`);
  await page.screenshot({ path, fullPage, ...(timeout === undefined ? {} : { timeout }) });
  return path;
}

/**
 * Moves an open page to another view as the site's own links and the Back button do, with a
 * history entry and no reload, so the data engine stays up: for a test that looks at several
 * views and is not about a page being opened (that is {@link openView}). The page must already
 * show the site.
 */
export async function visitView(page: Page, search: string): Promise<void> {
  await page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, search);
}

/** What a browser test file gets from {@link useBrowserHarness}; fields are set by its hooks. */
export interface BrowserHarness {
  readonly site: BuiltSite;
  readonly browser: Browser;
  /** node-api DuckDB over the same Parquet files the site serves. */
  readonly db: DuckDBConnection;
  readonly page: Page;
  readonly problems: string[];
  open(search: string): Promise<void>;
  /** {@link visitView}: another view in the page already open, without reloading it. */
  visit(search: string): Promise<void>;
  /** Axe on the whole page, or only on what `within` (a CSS selector) selects. */
  expectNoSeriousAxeViolations(within?: string): Promise<void>;
  screenshot(id: string, options?: ScreenshotOptions): Promise<string>;
}

/**
 * Registers the hooks a browser test file needs: the shared site and one browser per file, a
 * watched page per test, and after each test the assertion that no problem was recorded.
 */
export function useBrowserHarness(options: WatchedPageOptions = {}): BrowserHarness {
  let site: BuiltSite | undefined;
  let browser: Browser | undefined;
  let db: DuckDBConnection | undefined;
  let watched: WatchedPage | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`browser harness: ${what} is not set up`);
    return value;
  };

  beforeAll(async () => {
    site = await builtSite();
    [browser, db] = await Promise.all([launchChromium(), openDatabase(site.dataDir)]);
  });

  afterAll(async () => {
    await browser?.close();
    db?.closeSync();
  });

  beforeEach(async () => {
    watched = await newWatchedPage(need(browser, 'the browser'), options);
  });

  afterEach(async () => {
    const current = need(watched, 'the page');
    watched = undefined;
    expect(await current.close()).toEqual([]);
  });

  return {
    get site() {
      return need(site, 'the site');
    },
    get browser() {
      return need(browser, 'the browser');
    },
    get db() {
      return need(db, 'the database');
    },
    get page() {
      return need(watched, 'the page').page;
    },
    get problems() {
      return need(watched, 'the page').problems;
    },
    open: (search) => openView(need(watched, 'the page').page, need(site, 'the site'), search),
    expectNoSeriousAxeViolations: (within?: string) =>
      expectNoSeriousAxeViolations(need(watched, 'the page').page, within),
    visit: (search) => visitView(need(watched, 'the page').page, search),
    screenshot: (id, shot) => saveScreenshot(need(watched, 'the page').page, id, shot),
  };
}
