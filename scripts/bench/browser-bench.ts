import { copyFile, mkdir, readdir, readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { TABLE_NAMES } from '../../src/core/schema';
import { PRECOMPUTED_FILE } from '../../src/lib/precomputed';
import { launchChromium } from '../lib/chromium';
import { runNode } from '../lib/run-node';
import { writePrecomputed } from '../precompute';
import { prerenderSite } from '../prerender';
import {
  buildBareEngine,
  chartWatch,
  compress,
  measureSideBySide,
  STATIC_PAGE,
  type SideBySideResults,
  writeStaticPage,
} from './side-by-side';
import { serveStatic } from './static-server';
import { describeSet, writeSyntheticParquet } from './synthetic-parquet';

/** The data sets the dashboard is measured on: the real letters and synthetic findings. */
export const DATA_SETS = [
  { name: 'real', findings: 0 },
  { name: '10k', findings: 10_000 },
  { name: '100k', findings: 100_000 },
  { name: '1m', findings: 1_000_000 },
] as const;

/** A data set's name as it appears in the results. */
export type DataSetName = (typeof DATA_SETS)[number]['name'];

/**
 * The pause before each timed filter change, as a person reading a chart and picking from a
 * select takes at least this long. (Until session 5 the page prepared the statements one change
 * away in such pauses; it no longer does, and the pause is kept so that runs compare.)
 */
export const THINK_MS = 300;

/** The shared filters' selects, in the order the benchmark prefers to change them. */
const FILTER_SELECTS = ['#filter-region', '#filter-year', '#filter-la_type', '#filter-kind'];

/** Median and 95th percentile of a view's filter-change times, in milliseconds. */
export interface Percentiles {
  p50_ms: number;
  p95_ms: number;
}

/** The browser part of bench/results.json, in the issue's shape. */
export interface BrowserResults {
  first_chart_ms: number;
  duckdb_ready_ms: number;
  initial_js_gzip_bytes: number;
  views: Record<string, Partial<Record<DataSetName, Percentiles | null>>>;
  /** The dashboard against a static page and a bare engine, in the same run (real data). */
  side_by_side?: SideBySideResults;
}

/** What one data set gave, beyond the issue's shape: loads, their medians and every sample. */
export interface DataSetRun {
  letters: number;
  findings: number;
  finding_themes: number;
  parquet_bytes: Record<string, number>;
  /** Medians over the page loads: the overview's chart drawn in full (its prerendered markup). */
  first_chart_ms: number;
  /** The page's code has taken the chart over (the `first-chart` mark). */
  takeover_ms: number;
  duckdb_engine_up_ms: number;
  duckdb_ready_ms: number;
  /** Engine up to tables loaded: the "loading N findings" figure. */
  load_after_engine_ms: number;
  loads: { first_chart_ms: number; takeover_ms: number; engine_up_ms: number; ready_ms: number }[];
  /** The engine's warm-up (src/shell/warm-up.ts): its statements and time, from engine ready. */
  warm_up: { statements: number; ms: number };
  /** Time to open each view from another (its first queries, lazy columns included). */
  view_open_ms: Record<string, number>;
  /** Every timed filter change, per view. */
  view_samples_ms: Record<string, number[]>;
}

/** The whole browser run: the issue's figures and each data set's details. */
export interface BrowserBench {
  browser: BrowserResults;
  runs: Partial<Record<DataSetName, DataSetRun>>;
}

/**
 * Makes bench/out/data-real as `npm run build` makes public/data: the ingest CLI over the bundled
 * letters, the accuracy report and the precomputed overview.
 */
export async function realDataSet(root: string, out: string): Promise<string> {
  const dir = path.join(out, 'data-real');
  await runNode(
    root,
    ['--import', 'tsx', path.join(root, 'scripts/ingest.ts'), '--out', dir, 'data/letters'],
    'ingest',
  );
  await runNode(
    root,
    ['--import', 'tsx', path.join(root, 'scripts/measure-accuracy.ts'), '--out', dir],
    'measure-accuracy',
  );
  await writePrecomputed(dir);
  return dir;
}

/** Builds the site once into bench/out/site-real; other data sets share its files. */
export async function buildSite(root: string, out: string): Promise<string> {
  const dir = path.join(out, 'site-real');
  await runNode(
    root,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    'vite build',
  );
  return dir;
}

/**
 * Makes bench/out/site-<name>: the built site's files with the data set copied into `data/`
 * (the real set's other files, such as the accuracy report, beside it).
 */
export async function siteFor(
  built: string,
  out: string,
  name: DataSetName,
  dataDir: string,
  realDir: string,
): Promise<string> {
  const site = path.join(out, `site-${name}`);
  if (site !== built) {
    await rm(site, { recursive: true, force: true });
    await mkdir(site, { recursive: true });
    // The page and the files beside it (the service worker, the build's manifest), and its code.
    for (const entry of await readdir(built, { withFileTypes: true }))
      if (entry.isFile()) await copyFile(path.join(built, entry.name), path.join(site, entry.name));
    await symlink(path.join(built, 'assets'), path.join(site, 'assets'), 'dir');
  }
  const data = path.join(site, 'data');
  await rm(data, { recursive: true, force: true });
  await mkdir(data, { recursive: true });
  for (const file of await readdir(realDir))
    if (file.endsWith('.json')) await copyFile(path.join(realDir, file), path.join(data, file));
  for (const file of [...TABLE_NAMES.map((t) => `${t}.parquet`), PRECOMPUTED_FILE])
    await copyFile(path.join(dataDir, file), path.join(data, file));
  return site;
}

/** Gzip size (default level) of the JS index.html loads at once: the entry and its preloads. */
export async function initialJsGzipBytes(site: string): Promise<number> {
  const html = await readFile(path.join(site, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g))
    files.add(match[1]!);
  // A prerendered page holds its preloads back until the first paint (`data-modulepreload`).
  for (const match of html.matchAll(
    /<link[^>]*(?:rel="modulepreload"|data-modulepreload)[^>]*href="([^"]+)"/g,
  ))
    files.add(match[1]!);
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(path.join(site, file))).length;
  return total;
}

/** Nearest-rank percentile of a sample. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** A fresh browser context; tsx names functions with a `__name` helper the page lacks. */
export async function newContext(browser: Browser) {
  // A cold load is measured without the service worker, which would answer a repeat from its
  // cache (a second visit is another figure).
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  await context.addInitScript('globalThis.__name = (target) => target;');
  return context;
}

/** Fails the run (not a timing) on a page error or an engine that reports an error. */
export function watch(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
}

function check(problems: string[], where: string): void {
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
}

/**
 * One cold page load: navigation to the first frame holding the overview's chart in full (`bars`
 * bars), to the page's take-over of it, to engine up and to data-duckdb="ready".
 */
async function measureLoad(browser: Browser, url: string, bars: number, timeoutMs: number) {
  const context = await newContext(browser);
  const problems: string[] = [];
  try {
    await context.addInitScript(chartWatch(bars));
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const html = document.documentElement;
        return (
          html.dataset.duckdb === 'error' ||
          (html.dataset.duckdb === 'ready' && html.dataset.firstChart === 'painted')
        );
      },
      null,
      { timeout: timeoutMs, polling: 50 },
    );
    const marks = await page.evaluate(() => {
      const marks: Record<string, number | undefined> = Object.fromEntries(
        performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
      );
      marks['chart-drawn'] = (window as { __firstChart?: number | null }).__firstChart ?? undefined;
      return marks;
    });
    if ((await page.getAttribute('html', 'data-duckdb')) === 'error')
      problems.push(`engine error: ${await page.textContent('.engine-status')}`);
    check(problems, `loading ${url}`);
    const at = (name: string) => {
      const value = marks[name];
      if (value === undefined) throw new Error(`loading ${url}: no "${name}" performance mark`);
      return Math.round(value);
    };
    return {
      first_chart_ms: at('chart-drawn'),
      takeover_ms: at('first-chart'),
      engine_up_ms: at('duckdb-engine-up'),
      ready_ms: at('duckdb-ready'),
    };
  } finally {
    await context.close();
  }
}

/** Waits until no query runs and no loading state shows, then for the next painted frame. */
export async function settle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () =>
      document.documentElement.dataset.queryFetching === '0' &&
      !document.querySelector('main .state-loading'),
    null,
    { timeout: timeoutMs, polling: 20 },
  );
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );
}

/**
 * Changes one filter select and times, inside the page, the change event to the first frame
 * painted once the view shows the new filters, every query it started has answered and no loading
 * state is left: answers the page had prepared (src/app/neighbour-prefetch.ts) are timed the same
 * way, to the frame that shows them.
 */
export async function timeFilterChange(
  page: Page,
  selector: string,
  value: string,
  timeoutMs: number,
): Promise<number> {
  return page.evaluate(
    async ({ selector, value, timeoutMs }) => {
      const html = document.documentElement;
      const select = document.querySelector<HTMLSelectElement>(selector);
      if (!select) throw new Error(`no ${selector}`);
      const afterPaint = () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
        );
      const main = document.getElementById('main');
      const started = performance.now();
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      // Settled: the view shows the new URL (src/shell/app.tsx marks <main> with the query string
      // it shows, which lags the URL while the change's answers are due), no query is running and
      // nothing is loading. Then the next frame painted is the updated chart's.
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          const shown = main?.dataset.shownSearch === window.location.search;
          const idle =
            html.dataset.queryFetching === '0' && !document.querySelector('main .state-loading');
          if (shown && idle) return finish();
          if (performance.now() - started > timeoutMs)
            fail(new Error(`${selector}=${value}: not settled after ${timeoutMs} ms`));
        };
        const observer = new MutationObserver(check);
        const timer = setInterval(check, 10);
        const stop = () => {
          observer.disconnect();
          clearInterval(timer);
        };
        const finish = () => {
          stop();
          resolve();
        };
        const fail = (error: Error) => {
          stop();
          reject(error);
        };
        observer.observe(html, { attributes: true, childList: true, subtree: true });
      });
      const painted = await afterPaint();
      return painted - started;
    },
    { selector, value, timeoutMs },
  );
}

/**
 * Filter changes that each lead to a state not seen before (so that no answer comes from the
 * query cache): every value of the first enabled filter, then the next value of the second and
 * every value of the first again, and so on.
 */
export async function filterChanges(page: Page, count: number): Promise<[string, string][]> {
  const enabled: { selector: string; values: string[] }[] = [];
  for (const selector of FILTER_SELECTS) {
    const info = await page.$eval(selector, (el) => ({
      disabled: (el as HTMLSelectElement).disabled,
      values: [...(el as HTMLSelectElement).options].map((o) => o.value).filter(Boolean),
    }));
    if (!info.disabled && info.values.length > 0) enabled.push({ selector, values: info.values });
  }
  const [first, second] = enabled;
  if (!first) return [];
  const changes: [string, string][] = [];
  let current = '';
  for (const outer of ['', ...(second?.values ?? [])]) {
    if (outer) changes.push([second!.selector, outer]);
    const start = first.values.indexOf(current) + 1;
    const rotated = [...first.values.slice(start), ...first.values.slice(0, start)];
    for (const value of rotated) {
      if (value === current) continue;
      changes.push([first.selector, value]);
      current = value;
    }
    if (changes.length >= count) break;
  }
  return changes.slice(0, count);
}

/** Opens every view in the navigation and times filter changes on it. */
async function measureViews(browser: Browser, url: string, reps: number, timeoutMs: number) {
  const context = await newContext(browser);
  const problems: string[] = [];
  const samples: Record<string, number[]> = {};
  const opened: Record<string, number> = {};
  try {
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(url);
    await page.waitForSelector('html[data-duckdb="ready"]', {
      state: 'attached',
      timeout: timeoutMs,
    });
    await settle(page, timeoutMs);
    const warmUp = await awaitWarmUp(page, timeoutMs);
    const views = await page.$$eval('nav[aria-label="Views"] a', (links) =>
      links.map((a) => new URLSearchParams(a.getAttribute('href') ?? '').get('view') ?? ''),
    );
    for (const view of views.filter(Boolean)) {
      const started = Date.now();
      await page.click(`nav[aria-label="Views"] a[href*="view=${view}"]`);
      await page.waitForFunction((id) => location.search.includes(`view=${id}`), view);
      const clear = page.getByRole('button', { name: 'Clear filters' });
      if (await clear.isVisible()) await clear.click();
      await settle(page, timeoutMs);
      opened[view] = Date.now() - started;
      check(problems, `opening ${view}`);
      const times: number[] = [];
      for (const [selector, value] of await filterChanges(page, reps)) {
        await page.waitForTimeout(THINK_MS);
        times.push(Math.round(await timeFilterChange(page, selector, value, timeoutMs)));
        check(problems, `${view}: ${selector}=${value}`);
      }
      samples[view] = times;
    }
    return { samples, opened, warmUp };
  } finally {
    await context.close();
  }
}

/**
 * Waits for the engine's warm-up to end and every view's code to be loaded (as a reader looks at
 * the first chart before changing a filter) and returns what the warm-up did: its statements, and
 * its time from start to end. A warm-up that failed, or a view not loaded, is a broken run.
 */
export async function awaitWarmUp(
  page: Page,
  timeoutMs: number,
): Promise<{ statements: number; ms: number }> {
  await page.waitForFunction(
    () =>
      ['done', 'failed'].includes(document.documentElement.dataset.duckdbWarmUp ?? '') &&
      document.documentElement.dataset.viewsLoaded !== undefined,
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  const views = await page.getAttribute('html', 'data-views-loaded');
  if (views !== 'all') throw new Error(`the views' code was not all loaded: ${views}`);
  const state = await page.getAttribute('html', 'data-duckdb-warm-up');
  const result = await page.evaluate(() => globalThis.__duckdbWarmUp);
  if (state !== 'done' || !result) {
    throw new Error(`the engine's warm-up failed: ${result?.firstError ?? 'no result'}`);
  }
  return { statements: result.statements, ms: result.ms };
}

/** Options of the browser benchmark. */
export interface BrowserBenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

/**
 * Builds the site, prepares the data sets (real letters; synthetic 10k, 100k and 1M findings
 * made straight as Parquet rows), serves each on loopback and measures it in Debian's Chromium.
 */
export async function benchBrowser(
  root: string,
  options: BrowserBenchOptions,
): Promise<BrowserBench> {
  const out = path.join(root, 'bench/out');
  await mkdir(out, { recursive: true });
  const sets = options.quick ? DATA_SETS.slice(0, 2) : DATA_SETS;
  options.log('bench: browser, ingesting the bundled letters and building the site…');
  const realDir = await realDataSet(root, out);
  const built = await buildSite(root, out);
  const initialJs = await initialJsGzipBytes(built);
  const server = await serveStatic(out, '/', { noStore: true });
  const browser = await launchChromium();
  const runs: Partial<Record<DataSetName, DataSetRun>> = {};
  let sideBySide: SideBySideResults | undefined;
  try {
    for (const set of sets) {
      const dataDir =
        set.name === 'real'
          ? realDir
          : (await writeSyntheticParquet(realDir, set.findings, path.join(out, `data-${set.name}`)))
              .dir;
      if (set.name !== 'real') await writePrecomputed(dataDir);
      const described = await describeSet(dataDir);
      const site = await siteFor(built, out, set.name, dataDir, realDir);
      // As `npm run build` does: the overview of this set's data prerendered into index.html.
      await prerenderSite(site);
      const bars = await weaknessBars(site);
      const url = `${server.url}${path.relative(out, site)}/`;
      const big = set.findings >= 500_000;
      const timeoutMs = big ? 300_000 : 120_000;
      const loadCount = options.quick ? 3 : big ? 3 : 5;
      options.log(
        `bench: browser, ${set.name} (${described.findings} findings): ${loadCount} cold loads…`,
      );
      const loads = [];
      for (let i = 0; i < loadCount; i++)
        loads.push(await measureLoad(browser, url, bars, timeoutMs));
      if (set.name === 'real') sideBySide = await sideBySideRun(root, out, site, bars, options);
      options.log(`bench: browser, ${set.name}: filter changes on every view…`);
      const views = await measureViews(browser, url, options.quick ? 5 : 12, timeoutMs);
      options.log(
        `bench: browser, ${set.name}: the engine's warm-up ran ${views.warmUp.statements} statements in ${views.warmUp.ms} ms`,
      );
      const ready = median(loads.map((l) => l.ready_ms));
      const engineUp = median(loads.map((l) => l.engine_up_ms));
      runs[set.name] = {
        letters: described.letters,
        findings: described.findings,
        finding_themes: described.finding_themes,
        parquet_bytes: described.parquet_bytes,
        first_chart_ms: median(loads.map((l) => l.first_chart_ms)),
        takeover_ms: median(loads.map((l) => l.takeover_ms)),
        duckdb_engine_up_ms: engineUp,
        duckdb_ready_ms: ready,
        load_after_engine_ms: median(loads.map((l) => l.ready_ms - l.engine_up_ms)),
        loads,
        warm_up: views.warmUp,
        view_open_ms: views.opened,
        view_samples_ms: views.samples,
      };
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const viewIds = [...new Set(Object.values(runs).flatMap((r) => Object.keys(r.view_samples_ms)))];
  const views: BrowserResults['views'] = {};
  for (const view of viewIds) {
    views[view] = {};
    for (const set of sets) {
      const times = runs[set.name]?.view_samples_ms[view] ?? [];
      views[view][set.name] =
        times.length === 0
          ? null
          : { p50_ms: percentile(times, 50), p95_ms: percentile(times, 95) };
    }
  }
  return {
    browser: {
      first_chart_ms: runs.real!.first_chart_ms,
      duckdb_ready_ms: runs.real!.duckdb_ready_ms,
      initial_js_gzip_bytes: initialJs,
      views,
      ...(sideBySide ? { side_by_side: sideBySide } : {}),
    },
    runs,
  };
}

/**
 * The side-by-side measurements alone (`npm run bench -- --only=side-by-side`): the real data
 * set and the site as `benchBrowser` makes them, then {@link sideBySideRun}.
 */
export async function benchSideBySide(
  root: string,
  options: BrowserBenchOptions,
): Promise<SideBySideResults> {
  const out = path.join(root, 'bench/out');
  await mkdir(out, { recursive: true });
  options.log('bench: side by side, ingesting the bundled letters and building the site…');
  const realDir = await realDataSet(root, out);
  const built = await buildSite(root, out);
  const site = await siteFor(built, out, 'real', realDir, realDir);
  await prerenderSite(site);
  return sideBySideRun(root, out, site, await weaknessBars(site), options);
}

/** Bars of the overview's weakness chart in a site's data (one per theme). */
async function weaknessBars(site: string): Promise<number> {
  const file = JSON.parse(await readFile(path.join(site, 'data', PRECOMPUTED_FILE), 'utf8')) as {
    queries: Record<string, unknown[]>;
  };
  return file.queries['weakness-themes']?.length ?? 0;
}

/**
 * The side-by-side measurements on the real data (scripts/bench/side-by-side.ts), served as a
 * static host would: cold loads in both modes; second visits and throttled first visits, over
 * precompressed files, in full mode only.
 */
async function sideBySideRun(
  root: string,
  out: string,
  site: string,
  bars: number,
  options: BrowserBenchOptions,
): Promise<SideBySideResults> {
  options.log('bench: side by side, making the static page and the bare engine page…');
  await writeStaticPage(site);
  const bare = await buildBareEngine(root, out);
  if (!options.quick) await compress(root, [site, bare]);
  const server = await serveStatic(out, '/', { host: true });
  const browser = await launchChromium();
  try {
    const at = (dir: string) => `${server.url}${path.relative(out, dir)}/`;
    return await measureSideBySide(
      browser,
      {
        dashboard: at(site),
        static: `${at(site)}${STATIC_PAGE}`,
        bare: `${at(bare)}?data=${encodeURIComponent(`../${path.relative(out, site)}/data/`)}`,
        bars,
      },
      {
        rounds: options.quick ? 2 : 5,
        secondVisitRounds: options.quick ? 0 : 3,
        throttledRounds: options.quick ? 0 : 2,
        timeoutMs: 180_000,
        log: options.log,
      },
    );
  } finally {
    await browser.close();
    await server.close();
  }
}
