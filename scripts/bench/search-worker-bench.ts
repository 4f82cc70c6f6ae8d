/**
 * `npm run bench:search-worker [-- --sets=real,10k,100k] [-- --runs=N]`: measures search as the
 * page runs it, in Debian's Chromium: the findings' index built and queried in the search worker
 * (src/lib/search/search-client.ts), and, for comparison, in the page itself (the fallback when
 * the worker fails, forced here by serving a worker that does not start). Writes
 * bench/search-worker.json.
 *
 * For each data set (the bundled letters, synthetic sets of 10k, 100k and 1M findings made as
 * `npm run bench` makes them, in bench/out/search-worker/) and each place:
 * - `index_ms`: from the engine ready to the index ready (the rows read from the engine as Arrow,
 *   sent to the worker, the index built), the search view open;
 * - `index_longest_task_ms`: the longest task on the page's thread meanwhile (a task over 50 ms
 *   is one the page cannot answer input during);
 * - `search_ms`: Enter pressed to the results drawn (counts and the first 50 findings), p50 and
 *   p95 over the queries, each run `runs` times;
 * - `typing_longest_task_ms`: the longest task on the page's thread while a query is typed
 *   (a key every 60 ms, with the count of the words so far shown as one types);
 * - `similar_ms`: "Findings like this" pressed to its list drawn, p50 and p95.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../lib/chromium';
import { writePrecomputed } from '../precompute';
import { buildSite, realDataSet, siteFor, type DataSetName } from './browser-bench';
import { serveStatic } from './static-server';
import { describeSet, writeSyntheticParquet } from './synthetic-parquet';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SETS: Record<string, number> = { real: 0, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

/** What people look for in these letters, every construct of the query language used. */
const QUERIES = [
  'late assessments',
  'core assess*',
  'threshold* -strategy',
  '"not seen alone"',
  'police OR health',
  'management oversight',
  'case record*',
  '"strategy discussion*"',
  'domestic violence',
  'caseload*',
];

/** Typed key by key while the longest task is watched. */
const TYPED = 'initial assessment* timescale*';

interface Percentiles {
  p50_ms: number;
  p95_ms: number;
}

interface PlaceRun {
  index_ms: number;
  index_longest_task_ms: number;
  search_ms: Percentiles;
  typing_longest_task_ms: number;
  similar_ms: Percentiles;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const percentiles = (values: number[]): Percentiles => ({
  p50_ms: Math.round(percentile(values, 50)),
  p95_ms: Math.round(percentile(values, 95)),
});

/** Notes each long task, and when the engine and the search index became ready. */
const WATCH = () => {
  const w = window as unknown as { __tasks: [number, number][]; __marks: Record<string, number> };
  w.__tasks = [];
  w.__marks = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  // On the document: the script runs before <html> is parsed.
  new MutationObserver(() => {
    const data = document.documentElement?.dataset;
    if (data?.duckdb === 'ready') w.__marks.ready ??= performance.now();
    if (data?.searchIndex) w.__marks.index ??= performance.now();
  }).observe(document, {
    attributes: true,
    subtree: true,
    attributeFilter: ['data-duckdb', 'data-search-index'],
  });
};

async function longestTask(page: Page, from: number, to: number): Promise<number> {
  return page.evaluate(
    ([a, b]) =>
      Math.round(
        Math.max(
          0,
          ...(window as unknown as { __tasks: [number, number][] }).__tasks
            .filter(([start, duration]) => start + duration >= a! && start <= b!)
            .map(([, duration]) => duration),
        ),
      ),
    [from, to],
  );
}

const now = (page: Page) => page.evaluate(() => performance.now());

async function measurePlace(
  browser: Browser,
  url: string,
  place: 'worker' | 'page',
  runs: number,
  timeout: number,
): Promise<PlaceRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    if (place === 'page')
      await context.route('**/search-worker*.js', (route) =>
        route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("no worker");' }),
      );
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    await page.goto(`${url}?view=search`);
    await page.waitForSelector(`html[data-search-index="${place}"]`, {
      state: 'attached',
      timeout,
    });
    const marks = await page.evaluate(
      () => (window as unknown as { __marks: Record<string, number> }).__marks,
    );
    const index_ms = Math.round(marks.index! - marks.ready!);
    const index_longest_task_ms = await longestTask(page, marks.ready!, marks.index!);

    const box = page.getByLabel('Search every finding');
    const total = page.getByTestId('search-total');
    const search: number[] = [];
    for (let r = 0; r < runs; r++)
      for (const query of QUERIES) {
        await box.fill(query);
        await page.waitForTimeout(200);
        const started = Date.now();
        await box.press('Enter');
        await page.waitForFunction(
          (q) =>
            document.querySelector('[data-testid="search-total"]')?.textContent?.includes(`“${q}”`),
          query,
          { timeout, polling: 'raf' },
        );
        search.push(Date.now() - started);
      }
    await total.waitFor();

    await box.fill('');
    const typingFrom = await now(page);
    await box.pressSequentially(TYPED, { delay: 60 });
    await page.waitForTimeout(500);
    const typing_longest_task_ms = await longestTask(page, typingFrom, await now(page));

    await box.fill('assessment*');
    await box.press('Enter');
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="search-total"]')
          ?.textContent?.includes('“assessment*”'),
      null,
      { timeout },
    );
    const similar: number[] = [];
    const items = page.locator('.evidence-item');
    for (let i = 0; i < Math.min(5, await items.count()); i++) {
      const item = items.nth(i);
      const started = Date.now();
      await item.getByRole('button', { name: /Findings like this/ }).click();
      await item.locator('.similar-list > li').first().waitFor({ timeout });
      similar.push(Date.now() - started);
    }
    return {
      index_ms,
      index_longest_task_ms,
      search_ms: percentiles(search),
      typing_longest_task_ms,
      similar_ms: percentiles(similar),
    };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const arg = (name: string) =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sets = (arg('sets') ?? 'real,10k,100k').split(',');
  const runs = Number(arg('runs') ?? 3);
  // A folder of its own under bench/out: `npm run bench`'s sets and site are left alone.
  const mine = path.join(ROOT, 'bench/out/search-worker');
  await mkdir(mine, { recursive: true });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('bench:search-worker: ingesting the bundled letters and building the site…');
  const realDir = await realDataSet(ROOT, mine);
  const built = await buildSite(ROOT, mine);
  const server = await serveStatic(mine, '/', { noStore: true });
  const browser = await launchChromium();
  const results: Record<string, unknown> = {};
  try {
    for (const name of sets) {
      const target = SETS[name];
      if (target === undefined) throw new Error(`no data set ${name}`);
      const dataDir =
        name === 'real'
          ? realDir
          : (await writeSyntheticParquet(realDir, target, path.join(mine, `data-${name}`))).dir;
      if (name !== 'real') await writePrecomputed(dataDir);
      const described = await describeSet(dataDir);
      const site = await siteFor(built, mine, name as DataSetName, dataDir, realDir);
      const url = `${server.url}${path.relative(mine, site)}/`;
      const timeout = target >= 500_000 ? 600_000 : 180_000;
      const places: Record<string, PlaceRun> = {};
      for (const place of ['worker', 'page'] as const) {
        log(`bench:search-worker: ${name} (${described.findings} findings), in the ${place}…`);
        places[place] = await measurePlace(browser, url, place, runs, timeout);
        log(`  ${JSON.stringify(places[place])}`);
      }
      results[name] = { findings: described.findings, ...places };
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const file = path.join(ROOT, 'bench/search-worker.json');
  await writeFile(
    file,
    `${JSON.stringify({ measured_at: new Date().toISOString(), runs, queries: QUERIES, results }, null, 2)}\n`,
  );
  log(`bench:search-worker: wrote ${path.relative(ROOT, file)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
