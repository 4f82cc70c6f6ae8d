import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PRERENDER_GATE_SCRIPT, PRERENDER_LOADER_SCRIPT } from '@/app/prerender-gate';
import type { PrecomputedFile } from '@/lib/precomputed';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { WEAK_MARK, weakThemesOf, withoutWeakMark } from '@/lib/theme-quality';
import { parseAccuracy } from '@/core/accuracy';
import { formatPercent } from '@/lib/format';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

const h = useBrowserHarness({ backgroundWork: true });

/** What the overview shows: headline figures, and each bar of the weakness chart with its value. */
async function overviewShown(page: Page) {
  return page.evaluate(() => {
    const panel = [...document.querySelectorAll('section.panel')].find((p) =>
      p.textContent?.includes('Themes most often raised as weaknesses'),
    );
    const bars = [...(panel?.querySelectorAll('.bar-chart-row') ?? [])].map((row) => [
      row.querySelector('.bar-chart-category')?.textContent ?? '',
      row.querySelector('[data-bar]')?.getAttribute('data-value') ?? '',
      row.querySelector('.bar-chart-value')?.textContent ?? '',
    ]);
    const stats = [...document.querySelectorAll('[data-testid^="stat-"]')].map((el) => [
      el.getAttribute('data-testid'),
      el.getAttribute('data-value'),
      el.textContent,
    ]);
    return { bars, stats, html: panel?.innerHTML ?? '' };
  });
}

/** The accuracy figures this build wrote beside its data. */
const builtAccuracy = () =>
  parseAccuracy(JSON.parse(readFileSync(join(h.site.dataDir, 'accuracy.json'), 'utf8')) as unknown);

describe('first chart before the engine', () => {
  it('paints the overview from overview.json while DuckDB-WASM is held back, and the numbers stay the same after the handover', async () => {
    // Hold the engine's wasm until the first chart has painted: nothing can come from DuckDB.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let wasmRequests = 0;
    await h.page.context().route('**/*.wasm', async (route) => {
      wasmRequests++;
      await held;
      await route.continue();
    });
    const accuracyRead = h.page.waitForResponse((r) => r.url().endsWith('/data/accuracy.json'));
    await recordFrames(h.page);
    await h.page.goto(h.site.url);
    await h.page.waitForSelector('html[data-first-chart="painted"]', { timeout: 30_000 });
    // Drawn from the built page before the page's code ran at all (its first act is the engine's
    // start mark), and taken over later.
    const drawn = (await frames(h.page)).frames.find((f) => f.chart > 0);
    const codeRan = await h.page.evaluate(
      () => performance.getEntriesByName('duckdb-start', 'mark')[0]?.startTime ?? null,
    );
    expect(drawn).toBeDefined();
    expect(codeRan).not.toBeNull();
    expect(drawn!.t).toBeLessThan(codeRan!);
    // Nor was any of its code asked for before that frame (only styles and data were).
    const scriptsAsked = await h.page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => new URL(r.name).pathname.endsWith('.js'))
        .map((r) => r.startTime),
    );
    expect(scriptsAsked.length).toBeGreaterThan(0);
    expect(scriptsAsked.filter((t) => t <= drawn!.t)).toEqual([]);
    // The marks on themes tagged with low precision come with accuracy.json, asked for at once:
    // once there, nothing else changes on the chart.
    // (This build's file may mark no theme: then there is no note, and nothing changes.)
    await accuracyRead;
    if (weakThemesOf(builtAccuracy()).size > 0)
      await h.page.waitForSelector('[data-testid="weak-themes-note"]', { timeout: 30_000 });
    else {
      await h.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
      expect(await h.page.locator('[data-testid="weak-themes-note"]').count()).toBe(0);
    }
    expect(await h.page.getAttribute('html', 'data-duckdb')).not.toBe('ready');
    const before = await overviewShown(h.page);

    // The painted numbers are the unfiltered overview's, as node-api computes them.
    const themes = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    expect(before.bars.map(([label, value]) => [withoutWeakMark(label!), Number(value)])).toEqual(
      themes.map((t) => [t.label, t.share]),
    );
    const [summary] = await runBuilt<OverviewSummaryRow>(h.db, buildOverviewSummarySql({}));
    expect(before.stats).toContainEqual([
      'stat-letters',
      String(summary!.letters),
      expect.any(String),
    ]);
    // The filters' choices are there too, before the engine.
    expect(await h.page.locator('#filter-region option').count()).toBeGreaterThan(1);

    release();
    await h.page.waitForSelector('html[data-duckdb="ready"]', {
      state: 'attached',
      timeout: 60_000,
    });
    await h.page.waitForFunction(
      () => document.documentElement.dataset.queryFetching === '0',
      null,
      { timeout: 30_000 },
    );
    expect(wasmRequests).toBeGreaterThan(0);
    // Live queries have answered (the engine ran them); the page shows exactly what it showed.
    expect(Number(await h.page.getAttribute('html', 'data-query-fetches'))).toBeGreaterThan(0);
    const after = await overviewShown(h.page);
    expect(after).toEqual(before);
  });
});

/** The built site's published precomputed answers, as the prerender read them. */
function publishedOverview(): PrecomputedFile {
  return JSON.parse(
    readFileSync(join(h.site.distDir, 'data', 'overview.json'), 'utf8'),
  ) as PrecomputedFile;
}

/** Every element inside `#root`: its tag, classes and box, in document order. */
async function boxes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#root *')].map((el) => {
      const r = el.getBoundingClientRect();
      return `${el.tagName} ${el.className} ${r.x},${r.y},${r.width},${r.height}`;
    }),
  );
}

/**
 * Records, from before the page's first byte, each animation frame's state of the page: whether
 * the overview's weakness chart is on screen with all its bars, whether the prerendered markup
 * is visible, whether the view is dimmed as for a slow update, and every layout shift.
 */
/** A layout shift the page recorded: its score, when (ms), and each box that moved. */
interface Shift {
  value: number;
  at: number;
  moved: string[];
}

async function recordFrames(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as {
      __frames: { t: number; chart: number; prerenderShown: boolean; dimmed: boolean }[];
      __shifts: Shift[];
    };
    w.__frames = [];
    w.__shifts = [];
    // Each shift with what moved, from where to where: so that a failure says what it was.
    const box = (r: DOMRectReadOnly) =>
      [r.x, r.y, r.width, r.height].map((n) => Math.round(n)).join(',');
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const shift = entry as unknown as {
          value: number;
          sources?: { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
        };
        w.__shifts.push({
          value: shift.value,
          at: Math.round(entry.startTime),
          moved: (shift.sources ?? []).map((s) => {
            const el = s.node instanceof Element ? s.node : s.node?.parentElement;
            const name = el ? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` : '?';
            return `${name} ${box(s.previousRect)} → ${box(s.currentRect)}`;
          }),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    const tick = (t: number) => {
      const root = document.getElementById('root');
      const prerendered = root?.hasAttribute('data-prerendered') ?? false;
      w.__frames.push({
        t,
        chart: document.querySelectorAll('.view.overview .bar-chart [data-bar]').length,
        prerenderShown: prerendered && root !== null && getComputedStyle(root).display !== 'none',
        dimmed: document.querySelector('main[data-slow]') !== null,
      });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function frames(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as {
      __frames: { t: number; chart: number; prerenderShown: boolean; dimmed: boolean }[];
      __shifts: Shift[];
    };
    return { frames: w.__frames, shifts: w.__shifts };
  });
}

describe('the overview prerendered into index.html', () => {
  it('is in the built page with the published figures, drawn with no script at all', async () => {
    const file = publishedOverview();
    const html = readFileSync(join(h.site.distDir, 'index.html'), 'utf8');
    expect(html).toContain(`data-prerendered-version="${file.data_version}"`);
    // The only scripts: the gate and the loader of the page's code, which the policy allows by
    // their hashes (the policy comes first); the code is named by inert links until then.
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual([PRERENDER_GATE_SCRIPT, PRERENDER_LOADER_SCRIPT]);
    expect(html).toMatch(/<link data-modulepreload crossorigin href="[^"]+" data-entry>/);
    expect(html).not.toContain('rel="modulepreload"');
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));

    const context = await h.browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    try {
      const page = await context.newPage();
      await page.goto(h.site.url);
      const shown = await overviewShown(page);
      const summary = file.queries['overview-summary']![0] as OverviewSummaryRow;
      const themes = file.queries['weakness-themes'] as WeaknessThemeRow[];
      expect(shown.stats).toEqual([
        ['stat-letters', String(summary.letters), String(summary.letters)],
        [
          'stat-councils',
          String(summary.councils_covered),
          `${summary.councils_covered} of ${summary.councils_total}`,
        ],
        ['stat-years', summary.reporting_years.join(','), expect.any(String)],
        ['stat-priority', String(summary.priority_share), formatPercent(summary.priority_share)],
      ]);
      expect(
        shown.bars.map(([label, value, text]) => [withoutWeakMark(label!), Number(value), text]),
      ).toEqual(themes.map((t) => [t.label, t.share, formatPercent(t.share)]));
      // The themes of low precision in the build's accuracy.json carry their mark, and no other
      // theme does (this build may have none).
      const weak = weakThemesOf(builtAccuracy());
      expect(
        shown.bars
          .filter(([label]) => label!.endsWith(WEAK_MARK))
          .map(([label]) => withoutWeakMark(label!)),
      ).toEqual(themes.filter((t) => weak.has(t.theme_id)).map((t) => t.label));
      // Laid out with the page's styles: the bars' widths in proportion to their shares.
      const widths = await page.$$eval('.view.overview .bar-chart-horizontal', (charts) =>
        [...charts[0]!.querySelectorAll('[data-bar]')].map(
          (bar) => bar.getBoundingClientRect().width,
        ),
      );
      expect(widths).toHaveLength(themes.length);
      const widest = Math.max(...widths);
      const largest = Math.max(...themes.map((t) => t.share));
      expect(widest).toBeGreaterThan(100);
      widths.forEach((width, i) =>
        expect(width / widest).toBeCloseTo(themes[i]!.share / largest, 2),
      );
    } finally {
      await context.close();
    }
  });

  it('is taken over by the page as it stands: the same elements and boxes, no empty frame, no layout shift', async () => {
    await recordFrames(h.page);
    // Hold the page's code until the prerendered page has been looked at, and the engine until
    // after the take-over, so that nothing but the take-over happens in between.
    let releaseCode!: () => void;
    const codeHeld = new Promise<void>((resolve) => (releaseCode = resolve));
    let releaseEngine!: () => void;
    const engineHeld = new Promise<void>((resolve) => (releaseEngine = resolve));
    await h.page.context().route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await codeHeld;
      await route.continue();
    });
    await h.page.context().route('**/*.wasm', async (route) => {
      await engineHeld;
      await route.continue();
    });
    // Not to DOMContentLoaded, which waits for the held module script.
    await h.page.goto(h.site.url, { waitUntil: 'commit' });
    await h.page.waitForSelector('.view.overview .bar-chart [data-bar]');
    expect(await h.page.getAttribute('html', 'data-first-chart')).toBeNull();
    const engineStatus = h.page.locator('.engine-status');
    // What shows: the figures, every element's box and the pixels (the status line aside).
    const look = async () => {
      const { bars, stats } = await overviewShown(h.page);
      return {
        boxes: await boxes(h.page),
        shown: { bars, stats },
        shot: await h.page.screenshot({ mask: [engineStatus] }),
      };
    };
    const before = await look();
    // Remember every prerendered element, and watch for any taken out.
    await h.page.evaluate(() => {
      const w = window as unknown as { __kept: Set<Element>; __removed: string[] };
      w.__kept = new Set(document.querySelectorAll('#root *'));
      w.__removed = [];
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.removedNodes)
            if (node.nodeType === Node.ELEMENT_NODE)
              w.__removed.push((node as Element).outerHTML.slice(0, 80));
      }).observe(document.getElementById('root')!, { childList: true, subtree: true });
    });

    releaseCode();
    await h.page.waitForSelector('html[data-first-chart="painted"]', { timeout: 30_000 });
    // A few frames more, for anything the take-over would still change.
    await h.page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
        ),
    );
    expect(await h.page.getAttribute('html', 'data-duckdb')).not.toBe('ready');
    const after = await look();
    const same = await h.page.evaluate(() => {
      const w = window as unknown as { __kept: Set<Element>; __removed: string[] };
      const now = [...document.querySelectorAll('#root *')];
      return {
        kept: now.filter((el) => w.__kept.has(el)).length,
        now: now.length,
        was: w.__kept.size,
        removed: w.__removed,
      };
    });
    // The very same elements (hydrated, not replaced), laid out and drawn the same.
    expect(same.removed).toEqual([]);
    expect(same.kept).toBe(same.was);
    expect(same.now).toBe(same.was);
    expect(after.boxes).toEqual(before.boxes);
    expect(after.shown).toEqual(before.shown);
    expect(after.shot.equals(before.shot)).toBe(true);
    // The status line now says what the engine is doing (it said "Starting…" in the markup).
    expect(await engineStatus.textContent()).not.toBe('');

    const seen = await frames(h.page);
    expect(seen.shifts.filter((shift) => shift.value > 0)).toEqual([]);
    // From the first frame that showed the chart on, every frame showed it whole.
    const themes = publishedOverview().queries['weakness-themes']!.length;
    const firstDrawn = seen.frames.findIndex((f) => f.chart > 0);
    expect(firstDrawn).toBeGreaterThanOrEqual(0);
    // Three charts on the overview: the weakness chart's bars are the first `themes` of them.
    expect(
      seen.frames.slice(firstDrawn).filter((f) => f.chart < themes || !f.prerenderShown),
    ).toEqual([]);

    const whileHeld = await frames(h.page);
    releaseEngine();
    await h.page.waitForSelector('html[data-duckdb="ready"]', {
      state: 'attached',
      timeout: 60_000,
    });
    await h.page.waitForFunction(() => document.documentElement.dataset.queryFetching === '0');
    // Once the engine has answered, nothing on the overview moved or changed either.
    const answered = await look();
    expect(answered.boxes).toEqual(before.boxes);
    expect(answered.shown).toEqual(before.shown);
    expect((await frames(h.page)).shifts.filter((shift) => shift.value > 0)).toEqual([]);
    // Nor was it dimmed while the engine was held (its figures are the build's own answers).
    expect(whileHeld.frames.filter((f) => f.dimmed)).toEqual([]);
  });

  it.each([
    ['another view', '?view=heatmap', 'table.heatmap'],
    ['a filter', '?region=London', '.view.overview [data-testid="stat-letters"]'],
  ])('never shows where the URL asks for %s', async (_what, search, drawn) => {
    await recordFrames(h.page);
    await h.open(search);
    await h.page.waitForSelector(drawn);
    await h.page.waitForFunction(() => document.documentElement.dataset.queryFetching === '0');
    const seen = await frames(h.page);
    expect(seen.frames.length).toBeGreaterThan(0);
    expect(seen.frames.filter((f) => f.prerenderShown)).toEqual([]);
    // The page rendered afresh: no trace of the markup is left.
    expect(await h.page.getAttribute('#root', 'data-prerendered')).toBeNull();
    expect(await h.page.getAttribute('html', 'data-prerender')).toBeNull();
  });
});
