/**
 * The dashboard against its limits, measured in the same run, taking turns (issue 19): its first
 * chart against a plain static page holding the same chart (the built `index.html` with every
 * script taken out: HTML and CSS only), and its `data-duckdb="ready"` against a bare page that only
 * starts DuckDB-WASM and loads the same Parquet files (scripts/bench/bare-engine). Each is loaded
 * cold (a fresh browser context), then, in full mode, on a second visit (the same context: the
 * dashboard's service worker and the HTTP cache) and on a first visit over a throttled link.
 * Served as a static host would (`host` in scripts/bench/static-server.ts): hashed files cached
 * for good, the rest revalidated, precompressed copies sent where they exist.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runNode } from '../lib/run-node';

/** The throttled link of the first-visit figures: Chromium's own network emulation. */
export const THROTTLED_LINK = { mbit_per_s: 20, latency_ms: 40 } as const;

/** The static page's file, beside the dashboard's index.html. */
export const STATIC_PAGE = 'static-chart.html';

/** Medians of one pairing, and their ratio (dashboard ÷ limit). */
export interface Pair {
  dashboard: number;
  limit: number;
  ratio: number;
}

/** One way of loading (cold, second visit, throttled): the two pairings and the dashboard's own. */
export interface SideBySideCase {
  loads: number;
  /** Navigation to the overview's chart drawn in full: the dashboard against the static page. */
  first_chart_ms: Pair;
  /** Navigation to `data-duckdb="ready"`: the dashboard against the bare engine page. */
  duckdb_ready_ms: Pair;
  /** Navigation to the engine instantiated and connected (`duckdb-engine-up`), the same pair. */
  duckdb_engine_up_ms: Pair;
  /** The dashboard's take-over of its prerendered page (the `first-chart` mark). */
  dashboard_takeover_ms: number;
  /** Every load, in the order taken. */
  samples: {
    page: PageKind;
    first_chart_ms?: number;
    engine_up_ms?: number;
    ready_ms?: number;
    takeover_ms?: number;
  }[];
}

/** The side-by-side part of bench/results.json. */
export interface SideBySideResults {
  /** When these were measured (with `--only=side-by-side`, apart from the rest of the run). */
  measured_at: string;
  cold: SideBySideCase;
  second_visit?: SideBySideCase;
  throttled?: SideBySideCase & { link: typeof THROTTLED_LINK };
}

type PageKind = 'dashboard' | 'static' | 'bare';

/**
 * Writes the static page beside the dashboard's (prerendered) index.html: the same document with
 * its scripts, module preloads and data preloads taken out. Throws if no chart is left in it.
 */
export async function writeStaticPage(site: string): Promise<string> {
  const html = await readFile(path.join(site, 'index.html'), 'utf8');
  const bare = html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/g, '')
    .replace(/<link (?:rel="(?:modulepreload|preload)"|data-modulepreload)[^>]*>\s*/g, '')
    .replace('<title>', '<title>Static copy (benchmark): ');
  if (!bare.includes('bar-chart') || bare.includes('<script'))
    throw new Error(`${site}/index.html holds no prerendered chart to copy`);
  const file = path.join(site, STATIC_PAGE);
  await writeFile(file, bare);
  return file;
}

/** Builds the bare engine page into `out/bare-engine` with Vite. */
export async function buildBareEngine(root: string, out: string): Promise<string> {
  const dir = path.join(out, 'bare-engine');
  const { build } = await import('vite');
  await build({
    root: path.join(root, 'scripts/bench/bare-engine'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
    worker: { format: 'es' },
  });
  return dir;
}

/** Writes `.br` and `.gz` copies beside the files of `dirs`, as `npm run build` does. */
export async function compress(root: string, dirs: readonly string[]): Promise<void> {
  for (const dir of dirs)
    await runNode(
      root,
      ['--import', 'tsx', path.join(root, 'scripts/compress-dist.ts'), dir],
      'compress-dist',
    );
}

/**
 * Records, from before the first byte, the time of the first frame that holds the overview's
 * weakness chart with all its bars laid out (`__firstChart`, ms from navigation start). A string,
 * so that nothing of the benchmark's own compilation reaches the page.
 */
export function chartWatch(bars: number): string {
  return `(() => {
    window.__firstChart = null;
    const tick = () => {
      const chart = document.querySelector('.view.overview .bar-chart');
      if (chart && chart.querySelectorAll('[data-bar]').length >= ${bars} && chart.getBoundingClientRect().height > 0) {
        window.__firstChart = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();`;
}

async function newContext(browser: Browser, serviceWorkers: 'allow' | 'block') {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
  });
  await context.addInitScript('globalThis.__name = (target) => target;');
  return context;
}

async function throttle(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const bytesPerS = (THROTTLED_LINK.mbit_per_s * 1_000_000) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: THROTTLED_LINK.latency_ms,
    downloadThroughput: bytesPerS,
    uploadThroughput: bytesPerS,
  });
}

/** One page load in `page`, timed from its navigation start. */
async function measure(page: Page, kind: PageKind, url: string, timeoutMs: number) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'commit' });
  if (kind === 'static') {
    await page.waitForFunction(
      () => (window as { __firstChart?: number | null }).__firstChart,
      null,
      {
        timeout: timeoutMs,
        polling: 20,
      },
    );
  } else {
    await page.waitForFunction(
      (dashboard) => {
        const html = document.documentElement;
        if (html.dataset.duckdb === 'error') return true;
        return (
          html.dataset.duckdb === 'ready' && (!dashboard || html.dataset.firstChart === 'painted')
        );
      },
      kind === 'dashboard',
      { timeout: timeoutMs, polling: 50 },
    );
    if ((await page.getAttribute('html', 'data-duckdb')) === 'error')
      problems.push(`${kind}: the engine failed`);
  }
  const figures = await page.evaluate(() => {
    const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
    return {
      first_chart_ms: (window as { __firstChart?: number | null }).__firstChart ?? undefined,
      engine_up_ms: mark('duckdb-engine-up'),
      ready_ms: mark('duckdb-ready'),
      takeover_ms: mark('first-chart'),
    };
  });
  if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
  return {
    page: kind,
    first_chart_ms: round(figures.first_chart_ms),
    engine_up_ms: round(figures.engine_up_ms),
    ready_ms: round(figures.ready_ms),
    takeover_ms: round(figures.takeover_ms),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? NaN;
}

function summarise(samples: SideBySideCase['samples']): SideBySideCase {
  const of = (
    kind: PageKind,
    key: 'first_chart_ms' | 'engine_up_ms' | 'ready_ms' | 'takeover_ms',
  ) =>
    median(
      samples.filter((s) => s.page === kind).flatMap((s) => (s[key] === undefined ? [] : [s[key]])),
    );
  const pair = (dashboard: number, limit: number): Pair => ({
    dashboard,
    limit,
    ratio: Math.round((dashboard / limit) * 100) / 100,
  });
  return {
    loads: samples.length,
    first_chart_ms: pair(of('dashboard', 'first_chart_ms'), of('static', 'first_chart_ms')),
    duckdb_ready_ms: pair(of('dashboard', 'ready_ms'), of('bare', 'ready_ms')),
    duckdb_engine_up_ms: pair(of('dashboard', 'engine_up_ms'), of('bare', 'engine_up_ms')),
    dashboard_takeover_ms: of('dashboard', 'takeover_ms'),
    samples,
  };
}

/** Where the three pages are, as URLs on the host-like server. */
export interface SideBySidePages {
  dashboard: string;
  static: string;
  bare: string;
  /** Bars of the overview's weakness chart in the data served. */
  bars: number;
}

/** Options of {@link measureSideBySide}. */
export interface SideBySideOptions {
  /** Rounds of cold loads (each round loads the three pages, in turn, in a rotating order). */
  rounds: number;
  /** Rounds of second visits and of throttled first visits; 0 leaves them out. */
  secondVisitRounds: number;
  throttledRounds: number;
  timeoutMs: number;
  log: (line: string) => void;
}

const ORDER: readonly PageKind[] = ['dashboard', 'static', 'bare'];

/** Loads in turn: round r starts at the r-th page, so that no page always goes first. */
async function rounds(
  count: number,
  load: (kind: PageKind) => Promise<SideBySideCase['samples'][number]>,
) {
  const samples: SideBySideCase['samples'] = [];
  for (let r = 0; r < count; r++)
    for (let i = 0; i < ORDER.length; i++) samples.push(await load(ORDER[(r + i) % ORDER.length]!));
  return samples;
}

/** The side-by-side measurements; see the module's comment. */
export async function measureSideBySide(
  browser: Browser,
  pages: SideBySidePages,
  options: SideBySideOptions,
): Promise<SideBySideResults> {
  const urlOf = (kind: PageKind) => pages[kind];
  const coldLoad = async (kind: PageKind, throttled = false) => {
    // A first visit as a visitor's: the dashboard registers its service worker (a fresh context
    // holds none, so nothing comes from its cache), and whatever that costs is in the figures.
    const context = await newContext(browser, 'allow');
    try {
      await context.addInitScript(chartWatch(pages.bars));
      const page = await context.newPage();
      if (throttled) await throttle(context, page);
      return await measure(page, kind, urlOf(kind), options.timeoutMs);
    } finally {
      await context.close();
    }
  };
  options.log(`bench: side by side, ${options.rounds} rounds of cold loads…`);
  const results: SideBySideResults = {
    measured_at: new Date().toISOString(),
    cold: summarise(await rounds(options.rounds, (kind) => coldLoad(kind))),
  };

  if (options.secondVisitRounds > 0) {
    options.log(`bench: side by side, ${options.secondVisitRounds} rounds of second visits…`);
    const secondVisit = async (kind: PageKind) => {
      const context = await newContext(browser, 'allow');
      try {
        await context.addInitScript(chartWatch(pages.bars));
        const first = await context.newPage();
        await measure(first, kind, urlOf(kind), options.timeoutMs);
        // The dashboard's service worker keeps what the page needs once the engine is up.
        if (kind === 'dashboard')
          await first.waitForSelector('html[data-offline-ready]', {
            state: 'attached',
            timeout: options.timeoutMs,
          });
        await first.close();
        return await measure(await context.newPage(), kind, urlOf(kind), options.timeoutMs);
      } finally {
        await context.close();
      }
    };
    results.second_visit = summarise(await rounds(options.secondVisitRounds, secondVisit));
  }

  if (options.throttledRounds > 0) {
    options.log(
      `bench: side by side, ${options.throttledRounds} rounds of first visits at ${THROTTLED_LINK.mbit_per_s} Mbit/s, ${THROTTLED_LINK.latency_ms} ms…`,
    );
    const throttled = await rounds(options.throttledRounds, (kind) => coldLoad(kind, true));
    results.throttled = { ...summarise(throttled), link: THROTTLED_LINK };
  }
  return results;
}
