/**
 * `npm run bench:view -- --set=100k --view=overview [--changes=12] [--build] [--cpu] [--queries] [--far]`: opens one view of
 * the built site on one of the benchmark's data sets in Debian's Chromium, makes the benchmark's
 * filter changes and prints, for each, the time to the chart painted beside the time DuckDB-WASM
 * took to answer each query it started and the time the page took to turn the answers into rows.
 * What is left is the page's own work (rendering); `--cpu` adds where the page's main thread spent
 * it, function by function; `--queries` times the view's SQL builders alone in the page's engine;
 * `--far` makes the first choices four apart rather than in turn ({@link farApart}). A tool for finding where a view's time goes;
 * the budgets are judged by `npm run bench`. Reuses bench/out/ (run `npm run bench` or pass
 * `--build` first); writes nothing else.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { QueryLogEntry } from '../../src/lib/duckdb';
import type { Filters } from '../../src/lib/filters';
import { launchChromium } from '../lib/chromium';
import { writePrecomputed } from '../precompute';
import {
  DATA_SETS,
  THINK_MS,
  awaitWarmUp,
  buildSite,
  filterChanges,
  newContext,
  percentile,
  realDataSet,
  settle,
  siteFor,
  timeFilterChange,
  watch,
} from './browser-bench';
import { serveStatic } from './static-server';
import { VIEW_QUERIES } from '../../src/shell/view-statements';
import { writeSyntheticParquet } from './synthetic-parquet';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/**
 * The benchmark's changes with the first run of one select's choices taken four apart instead of
 * in turn (`--far`): no change picks the choice next to the one before, which is what the page
 * prepares first (src/app/neighbour-prefetch.ts). The rest stay in order.
 */
function farApart(changes: [string, string][]): [string, string][] {
  const first = changes[0]?.[0];
  let run = changes.findIndex(([selector]) => selector !== first);
  if (run < 0) run = changes.length;
  const head = changes.slice(0, run);
  const reordered = head.map((_, i) => head[(i * 4) % head.length]!);
  // A stride that shares a factor with the length repeats itself: then keep the order.
  return new Set(reordered).size === head.length ? [...reordered, ...changes.slice(run)] : changes;
}

/** The first words of a statement, enough to tell a view's queries apart. */
function label(sql: string): string {
  const compact = sql.replace(/\s+/g, ' ').trim();
  const named = /^--\s*(\S+)/.exec(sql.trim());
  return named ? named[1]! : compact.slice(0, 60);
}

/** The main thread's cumulative times (seconds) Chromium reports, by the name printed. */
const WORK_METRICS = {
  tasks: 'TaskDuration',
  script: 'ScriptDuration',
  style: 'RecalcStyleDuration',
  layout: 'LayoutDuration',
};

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Adds each function's self time in a CPU profile of the page's main thread to `into`. */
function addSelfTimes(into: Map<string, number>, profile: CpuProfile): void {
  const names = new Map(
    profile.nodes.map((n) => {
      const { functionName, url, lineNumber } = n.callFrame;
      const file = url.split('/').pop() ?? '';
      return [n.id, `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`];
    }),
  );
  profile.samples?.forEach((id, i) => {
    const name = names.get(id) ?? '?';
    into.set(name, (into.get(name) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
}

/**
 * Runs the view's SQL builders (`VIEW_QUERIES`) one by one in the page's DuckDB-WASM, for the
 * benchmark's filter changes, without rendering: the engine's share of a change, statement by
 * statement, to set beside `npm run bench:queries` in node.
 */
async function timeBuilders(page: Page, view: string, changes: number): Promise<void> {
  const builders = VIEW_QUERIES[view];
  if (!builders) throw new Error(`bench:view: no queries listed for ${view}`);
  const sequence: Filters[] = [{}];
  const regions: string[] = await page.$$eval('#filter-region option', (options) =>
    options.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
  );
  const years: string[] = await page.$$eval('#filter-year option', (options) =>
    options.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
  );
  for (const year of [undefined, ...years])
    for (const region of regions)
      if (sequence.length <= changes) sequence.push(year ? { year, region } : { region });
  const times: Record<string, number[]> = {};
  for (const [i, filters] of sequence.entries()) {
    for (const [name, build] of Object.entries(builders)) {
      const { sql, params } = build(filters);
      const ms = await page.evaluate(
        async ({ sql, params }) => {
          const started = performance.now();
          await globalThis.__duckdbQuery!(sql, params);
          return performance.now() - started;
        },
        { sql, params: [...params] },
      );
      // The first, unfiltered, plans the statement as the page's first render does.
      if (i > 0) (times[name] ??= []).push(ms);
    }
  }
  for (const [name, ms] of Object.entries(times))
    console.log(
      `  ${name.padEnd(30)} ${percentile(ms, 50).toFixed(1).padStart(7)} / ${percentile(ms, 95).toFixed(1).padStart(7)} ms`,
    );
}

async function main(): Promise<void> {
  const cpu = process.argv.includes('--cpu');
  const setName = option('set') ?? '100k';
  const view = option('view') ?? 'overview';
  const changes = Number(option('changes') ?? '12');
  const far = process.argv.includes('--far');
  const set = DATA_SETS.find((s) => s.name === setName);
  if (!set) throw new Error(`bench:view: unknown set ${setName}`);
  const out = path.join(root, 'bench/out');
  let built = path.join(out, 'site-real');
  const realDir = path.join(out, 'data-real');
  if (process.argv.includes('--build') || !existsSync(path.join(built, 'index.html'))) {
    await realDataSet(root, out);
    built = await buildSite(root, out);
  }
  let dataDir = realDir;
  if (set.name !== 'real') {
    dataDir = path.join(out, `data-${set.name}`);
    if (!existsSync(path.join(dataDir, 'findings.parquet'))) {
      await writeSyntheticParquet(realDir, set.findings, dataDir);
      await writePrecomputed(dataDir);
    }
  }
  // The set's index.html is copied from the build, so it is made afresh each time.
  const site = await siteFor(built, out, set.name, dataDir, realDir);
  const server = await serveStatic(out, '/', { noStore: true });
  const browser = await launchChromium();
  try {
    const context = await newContext(browser);
    await context.addInitScript('globalThis.__duckdbQueryLog = [];');
    const page = await context.newPage();
    const problems: string[] = [];
    watch(page, problems);
    await page.goto(`${server.url}${path.relative(out, site)}/?view=${view}`);
    await page.waitForSelector('html[data-duckdb="ready"], html[data-duckdb="error"]', {
      state: 'attached',
      timeout: 300_000,
    });
    if ((await page.getAttribute('html', 'data-duckdb')) === 'error' || problems.length > 0)
      throw new Error(`the engine did not start: ${problems.join('; ')}`);
    await settle(page, 300_000);
    const warmUp = await awaitWarmUp(page, 300_000);
    console.log(`the engine's warm-up: ${warmUp.statements} statements in ${warmUp.ms} ms`);
    if (process.argv.includes('--queries')) {
      await timeBuilders(page, view, changes);
      return;
    }
    const totals: number[] = [];
    const queryMs: number[] = [];
    const cdp = await context.newCDPSession(page);
    const selfMs = new Map<string, number>();
    await cdp.send('Performance.enable');
    if (cpu) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    const metrics = async () =>
      Object.fromEntries(
        (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
      );
    const work: Record<string, number[]> = {};
    const planned = await filterChanges(page, changes);
    for (const [selector, value] of far ? farApart(planned) : planned) {
      await page.waitForTimeout(THINK_MS);
      await page.evaluate(() => (globalThis.__duckdbQueryLog = []));
      const started = await page.evaluate(() => performance.now());
      // How many neighbours of the state before the change the page had prepared by then.
      const prepared = await page.getAttribute('html', 'data-prepared-states');
      if (cpu) await cdp.send('Profiler.start');
      const before = await metrics();
      const total = await timeFilterChange(page, selector, value, 300_000);
      const after = await metrics();
      if (cpu) addSelfTimes(selfMs, (await cdp.send('Profiler.stop')).profile);
      const spent = Object.entries(WORK_METRICS).map(([name, metric]) => {
        const ms = Math.round(((after[metric] ?? 0) - (before[metric] ?? 0)) * 1000);
        (work[name] ??= []).push(ms);
        return `${name} ${ms}`;
      });
      const log = await page.evaluate(() => globalThis.__duckdbQueryLog ?? []);
      const parts = log.map(
        (q: QueryLogEntry) =>
          `${label(q.sql)}: sent +${Math.round(q.started - started)}, ` +
          `answer ${Math.round(q.answered - q.started)}, rows ${Math.round(q.converted - q.answered)} (${q.rows})`,
      );
      const lastAnswer = Math.max(0, ...log.map((q) => q.converted - started));
      totals.push(total);
      queryMs.push(lastAnswer);
      console.log(
        `${selector}=${value}: ${Math.round(total)} ms (${prepared ?? 0} neighbours prepared), ` +
          `last answer at ${Math.round(lastAnswer)}; ` +
          `main thread: ${spent.join(', ')}\n  ${parts.join('\n  ')}`,
      );
      if (problems.length > 0) throw new Error(problems.join('; '));
    }
    console.log(
      `\n${view} on ${set.name}: change to painted p50 ${Math.round(percentile(totals, 50))} / p95 ${Math.round(percentile(totals, 95))} ms; ` +
        `to last answer p50 ${Math.round(percentile(queryMs, 50))} / p95 ${Math.round(percentile(queryMs, 95))} ms`,
    );
    console.log(
      `main thread, p50 per change (ms): ${Object.entries(work)
        .map(([name, ms]) => `${name} ${percentile(ms, 50)}`)
        .join(', ')}`,
    );
    if (cpu) {
      const top = [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, 40);
      console.log(`\nmain thread, self time over all ${changes} changes (ms):`);
      for (const [where, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)}  ${where}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
