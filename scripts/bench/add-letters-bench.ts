/**
 * The "add letters" part of `npm run bench` (issue 16 part 5): adds synthetic letters through the
 * built page's file input in Chromium and records what the page's main thread went through
 * meanwhile: its long tasks (PerformanceObserver 'longtask', every task over 50 ms), the long
 * animation frames with the scripts they ran (to see where the time goes), the whole batch's
 * time, and the time from a click on a filter, made during the add, to the next painted frame.
 */
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { launchChromium } from '../lib/chromium';
import { runNode } from '../lib/run-node';
import { newContext, percentile, realDataSet, watch } from './browser-bench';
import { serveStatic } from './static-server';
import { makeSyntheticLetters, type SyntheticLetter } from './synthetic-letters';

/** How many letters a run adds: the issue's figure. */
export const ADD_LETTERS_COUNT = 300;

/** Where the reader is while the letters are added. */
export type AddLettersPassName = 'stay' | 'browse' | 'control';

/** A long animation frame and the scripts that ran in it, longest first. */
export interface LongFrame {
  at_ms: number;
  duration_ms: number;
  blocking_ms: number;
  /**
   * Of its duration: its rendering's callbacks (animation frames, observers), then style, layout
   * and paint (the rest is its tasks).
   */
  frame_callbacks_ms: number;
  style_layout_ms: number;
  scripts: { invoker: string; source: string; ms: number }[];
}

/** One add of the letters in a fresh page. */
export interface AddLettersPass {
  /**
   * `stay`: the reader watches the Add letters view to the end (its report and the list of
   * added letters render there); `browse`: once reading has begun they open the overview and
   * click a filter again and again until the add is over; `control`: the same opening and
   * clicks (as many as `browse` made) with no letters added, for the views' own cost.
   */
  pass: AddLettersPassName;
  letters_added: number;
  /** Files handed to the page's input → the batch over (its report shown, or the header's count). */
  total_ms: number;
  /** The batch's own figure (`data-ms`: files picked → every open view's queries answered). */
  page_ms: number | null;
  longest_task_ms: number;
  tasks_over_50ms: number;
  tasks_over_100ms: number;
  /** Every long task's duration, in the order they ran. */
  long_tasks_ms: number[];
  /**
   * `browse`: the long tasks of opening the overview (the click on its link to the first frame
   * after its filters show), among `long_tasks_ms`: the view's own drawing, which costs as much
   * without a batch; and the longest task outside it.
   */
  view_switch_tasks_ms: number[];
  longest_task_outside_view_switch_ms: number;
  /** A click's input (its event's time stamp) to the next painted frame, per click. */
  clicks_input_to_paint_ms: number[];
  /** The longest animation frames (over 50 ms) with their scripts: where the time went. */
  longest_frames: LongFrame[];
}

/** `addLetters` in bench/results.json. */
export interface AddLettersBench {
  letters: number;
  /** Over both passes. */
  longest_task_ms: number;
  tasks_over_50ms: number;
  tasks_over_100ms: number;
  /** Over both passes, leaving out the tasks of opening the overview in `browse`. */
  longest_task_outside_view_switch_ms: number;
  /** The `stay` pass's total. */
  total_ms: number;
  click_input_to_paint_ms: { p50: number; max: number; clicks: number };
  passes: AddLettersPass[];
  /** No letters added: the same opening of the overview and clicks as `browse`. */
  control: AddLettersPass;
}

/** The bundled letters, parsed: the pool synthetic letters recombine. */
async function realLetters(root: string) {
  const dir = path.join(root, 'data/letters');
  const names = (await readdir(dir)).filter((n) => /\.(txt|md)$/.test(n)).sort();
  return Promise.all(
    names.map(async (n) => parseLetter(await readFile(path.join(dir, n), 'utf8'), n)),
  );
}

/** `count` synthetic letters (`synthetic-*.txt`, each with its banner), as the pipeline bench makes. */
export async function syntheticLetterFiles(
  root: string,
  count: number,
): Promise<SyntheticLetter[]> {
  return makeSyntheticLetters(await realLetters(root), count);
}

/** What the page records while letters are added; set up before the site's own code runs. */
function recorder(): void {
  interface Rec {
    tasks: { start: number; duration: number }[];
    frames: {
      start: number;
      duration: number;
      blocking: number;
      renderStart: number;
      styleAndLayoutStart: number;
      scripts: { invoker: string; source: string; ms: number }[];
    }[];
    clicks: number[];
    armed: boolean;
  }
  const rec: Rec = { tasks: [], frames: [], clicks: [], armed: false };
  (globalThis as unknown as { __addBench: Rec }).__addBench = rec;
  new PerformanceObserver((list) => {
    if (!rec.armed) return;
    for (const e of list.getEntries()) rec.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: false });
  try {
    new PerformanceObserver((list) => {
      if (!rec.armed) return;
      for (const e of list.getEntries() as unknown as {
        startTime: number;
        duration: number;
        blockingDuration: number;
        renderStart: number;
        styleAndLayoutStart: number;
        scripts: {
          invoker: string;
          sourceURL: string;
          sourceFunctionName: string;
          duration: number;
        }[];
      }[]) {
        rec.frames.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          renderStart: e.renderStart,
          styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: e.scripts
            .map((s) => ({
              invoker: s.invoker,
              source: `${s.sourceURL.split('/').pop()}${s.sourceFunctionName ? ` ${s.sourceFunctionName}` : ''}`,
              ms: Math.round(s.duration),
            }))
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 4),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // A browser without long-animation-frame entries still gives the long tasks.
  }
  // A click's input to the next frame painted after it (a frame's callbacks, then its paint,
  // then the task after it).
  document.addEventListener(
    'click',
    (event) => {
      if (!rec.armed || !event.isTrusted) return;
      const input = event.timeStamp;
      requestAnimationFrame(() =>
        setTimeout(() => rec.clicks.push(Math.round(performance.now() - input)), 0),
      );
    },
    { capture: true },
  );
}

interface Recorded {
  tasks: { start: number; duration: number }[];
  frames: LongFrame[];
  clicks: number[];
}

async function readRecord(page: Page): Promise<Recorded> {
  return page.evaluate(() => {
    const rec = (
      globalThis as unknown as {
        __addBench: {
          tasks: { start: number; duration: number }[];
          frames: {
            start: number;
            duration: number;
            blocking: number;
            renderStart: number;
            styleAndLayoutStart: number;
            scripts: { invoker: string; source: string; ms: number }[];
          }[];
          clicks: number[];
          armed: boolean;
        };
      }
    ).__addBench;
    rec.armed = false;
    return {
      tasks: rec.tasks,
      frames: rec.frames.map((f) => ({
        at_ms: Math.round(f.start),
        duration_ms: Math.round(f.duration),
        blocking_ms: Math.round(f.blocking),
        style_layout_ms: f.styleAndLayoutStart
          ? Math.round(f.start + f.duration - f.styleAndLayoutStart)
          : 0,
        frame_callbacks_ms:
          f.renderStart && f.styleAndLayoutStart
            ? Math.round(f.styleAndLayoutStart - f.renderStart)
            : 0,
        scripts: f.scripts,
      })),
      clicks: rec.clicks,
    };
  });
}

/** The header's "N added by you", once the batch's letters are counted in the session. */
async function waitForHeaderCount(page: Page, count: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      (document.querySelector('[data-testid="add-letters-entry"]')?.textContent ?? '').includes(
        `${n} added by you`,
      ),
    count,
    { timeout: timeoutMs, polling: 100 },
  );
}

/** One add of `letters` in a fresh page on `url`. */
async function runPass(
  browser: Browser,
  url: string,
  letters: readonly SyntheticLetter[],
  pass: AddLettersPassName,
  timeoutMs: number,
  options: { clicks?: number } = {},
): Promise<AddLettersPass> {
  const context = await newContext(browser);
  const problems: string[] = [];
  try {
    await context.addInitScript(recorder);
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(`${url}?view=add-letters`);
    await page.waitForSelector('html[data-duckdb="ready"]', { timeout: timeoutMs });
    const input = page.getByTestId('add-letters-input');
    await input.waitFor({ timeout: timeoutMs });
    // Every view's code is fetched once the engine is up: let that and the warm-up end first.
    await page.waitForFunction(
      () =>
        ['done', 'failed'].includes(document.documentElement.dataset.duckdbWarmUp ?? '') &&
        document.documentElement.dataset.viewsLoaded !== undefined,
      null,
      { timeout: timeoutMs, polling: 50 },
    );
    // The files are made in the page beforehand, as the file picker hands them over: the
    // driver's own work of making them (Playwright's setInputFiles, on the page's thread) is then
    // not counted as the page's.
    await page.evaluate((files) => {
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(new File([f.text], f.name, { type: 'text/plain' }));
      (globalThis as unknown as { __addBenchFiles: FileList }).__addBenchFiles = transfer.files;
    }, letters);
    await page.waitForTimeout(500);
    const started = Date.now();
    await input.evaluate((element, add) => {
      const rec = (globalThis as unknown as { __addBench: { armed: boolean } }).__addBench;
      rec.armed = true;
      if (!add) return;
      const picker = element as HTMLInputElement;
      picker.files = (globalThis as unknown as { __addBenchFiles: FileList }).__addBenchFiles;
      picker.dispatchEvent(new Event('change', { bubbles: true }));
    }, pass !== 'control');
    let pageMs: number | null = null;
    let viewSwitch: [number, number] | null = null;
    if (pass === 'stay') {
      const result = page.getByTestId('add-letters-result');
      await result.waitFor({ timeout: timeoutMs });
      pageMs = Number(await result.getAttribute('data-ms'));
    } else {
      if (pass === 'browse')
        await page.getByTestId('add-letters-progress').waitFor({ timeout: timeoutMs });
      const now = () => page.evaluate(() => performance.now());
      const switchStart = await now();
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Overview', exact: true })
        .click();
      const tags = page.locator('#filter-tags');
      await tags.waitFor({ timeout: timeoutMs });
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
      );
      viewSwitch = [switchStart, await now()];
      const deadline = Date.now() + timeoutMs;
      const counted = () =>
        page.evaluate(
          (n) =>
            (
              document.querySelector('[data-testid="add-letters-entry"]')?.textContent ?? ''
            ).includes(`${n} added by you`),
          letters.length,
        );
      for (let click = 0; ; click++) {
        if (pass === 'browse' ? await counted() : click >= (options.clicks ?? 8)) break;
        if (Date.now() > deadline) throw new Error('the add did not end');
        await page.waitForTimeout(400);
        await tags.click({ timeout: timeoutMs });
      }
    }
    if (pass !== 'control') await waitForHeaderCount(page, letters.length, timeoutMs);
    const totalMs = Date.now() - started;
    // The frames the end of the batch painted are in before the record is read.
    await page.waitForTimeout(500);
    const recorded = await readRecord(page);
    if (problems.length > 0) throw new Error(`adding letters (${pass}): ${problems.join('; ')}`);
    const durations = recorded.tasks.map((t) => Math.round(t.duration));
    const inSwitch = (t: { start: number }) =>
      viewSwitch !== null && t.start >= viewSwitch[0] && t.start <= viewSwitch[1];
    const outside = recorded.tasks.filter((t) => !inSwitch(t)).map((t) => Math.round(t.duration));
    return {
      pass,
      letters_added: pass === 'control' ? 0 : letters.length,
      total_ms: totalMs,
      page_ms: pageMs,
      longest_task_ms: Math.max(0, ...durations),
      tasks_over_50ms: durations.filter((d) => d > 50).length,
      tasks_over_100ms: durations.filter((d) => d > 100).length,
      long_tasks_ms: durations,
      view_switch_tasks_ms: recorded.tasks.filter(inSwitch).map((t) => Math.round(t.duration)),
      longest_task_outside_view_switch_ms: Math.max(0, ...outside),
      clicks_input_to_paint_ms: recorded.clicks,
      longest_frames: recorded.frames.sort((a, b) => b.duration_ms - a.duration_ms).slice(0, 6),
    };
  } finally {
    await context.close();
  }
}

/** Adds {@link ADD_LETTERS_COUNT} synthetic letters to the site at `url`, once per pass. */
export async function benchAddLetters(
  root: string,
  browser: Browser,
  url: string,
  options: { log: (line: string) => void; count?: number; timeoutMs?: number },
): Promise<AddLettersBench> {
  const count = options.count ?? ADD_LETTERS_COUNT;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const letters = await syntheticLetterFiles(root, count);
  const passes: AddLettersPass[] = [];
  for (const pass of ['stay', 'browse'] as const) {
    options.log(`bench: adding ${count} letters in the page (${pass})…`);
    passes.push(await runPass(browser, url, letters, pass, timeoutMs));
  }
  // The same reader with no batch: what opening the overview and the clicks cost by themselves.
  const browsed = passes[1]!.clicks_input_to_paint_ms.length;
  options.log('bench: the same clicks with no letters added (control)…');
  const control = await runPass(browser, url, letters, 'control', timeoutMs, {
    clicks: Math.max(1, browsed - 1),
  });
  const clicks = passes.flatMap((p) => p.clicks_input_to_paint_ms);
  return {
    letters: count,
    longest_task_ms: Math.max(...passes.map((p) => p.longest_task_ms)),
    tasks_over_50ms: passes.reduce((n, p) => n + p.tasks_over_50ms, 0),
    tasks_over_100ms: passes.reduce((n, p) => n + p.tasks_over_100ms, 0),
    longest_task_outside_view_switch_ms: Math.max(
      ...passes.map((p) => p.longest_task_outside_view_switch_ms),
    ),
    total_ms: passes.find((p) => p.pass === 'stay')!.total_ms,
    click_input_to_paint_ms: {
      p50: clicks.length > 0 ? percentile(clicks, 50) : NaN,
      max: clicks.length > 0 ? Math.max(...clicks) : NaN,
      clicks: clicks.length,
    },
    passes,
    control,
  };
}

/** Builds the site into bench/out/site-add-letters (its own folder: other runs keep theirs). */
async function buildOwnSite(root: string, out: string): Promise<string> {
  const dir = path.join(out, 'site-add-letters');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'];
  await runNode(root, args, 'vite build');
  return dir;
}

/**
 * The `addLetters` part of `npm run bench`: on the site the browser part just built
 * (bench/out/site-real, with the bundled letters), or, with `build` (`--only=add-letters`), on a
 * site built for it. Quick mode (CI) adds 100 letters.
 */
export async function benchAddLettersOnSite(
  root: string,
  options: { quick: boolean; build: boolean; log: (line: string) => void },
): Promise<AddLettersBench> {
  const out = path.join(root, 'bench/out');
  let site = path.join(out, 'site-real');
  const built = await stat(path.join(site, 'data/letters.parquet')).catch(() => null);
  if (options.build || !built) {
    options.log('bench: add letters, ingesting the bundled letters and building the site…');
    const realDir = await realDataSet(root, out);
    site = await buildOwnSite(root, out);
    // The data as `npm run build` puts it beside the page (links followed).
    const data = path.join(site, 'data');
    await rm(data, { recursive: true, force: true });
    await mkdir(data, { recursive: true });
    for (const file of await readdir(realDir))
      await copyFile(path.join(realDir, file), path.join(data, file));
  }
  const server = await serveStatic(out, '/', { noStore: true });
  const browser = await launchChromium();
  try {
    return await benchAddLetters(root, browser, `${server.url}${path.relative(out, site)}/`, {
      log: options.log,
      count: options.quick ? 100 : ADD_LETTERS_COUNT,
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The figures, one line each. */
export function printAddLetters(bench: AddLettersBench): void {
  console.log('');
  console.log(
    `adding ${bench.letters} letters in the page: longest main-thread task ${bench.longest_task_ms} ms (budget ≤ 100; ${bench.longest_task_outside_view_switch_ms} ms leaving out opening the overview), ${bench.tasks_over_50ms} tasks over 50 ms, ${bench.tasks_over_100ms} over 100 ms; ${bench.total_ms} ms in all; a click during the add to the next frame: p50 ${bench.click_input_to_paint_ms.p50} ms, max ${bench.click_input_to_paint_ms.max} ms (${bench.click_input_to_paint_ms.clicks} clicks)`,
  );
  for (const pass of [...bench.passes, bench.control]) {
    const frame = pass.longest_frames[0];
    console.log(
      `  ${pass.pass.padEnd(7)} longest task ${pass.longest_task_ms} ms (${pass.longest_task_outside_view_switch_ms} ms leaving out opening the overview), longest frame ${frame?.duration_ms ?? 0} ms (style and layout ${frame?.style_layout_ms ?? 0} ms), ${pass.total_ms} ms`,
    );
  }
}
