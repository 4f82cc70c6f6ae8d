import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { withoutWeakMark } from '@/lib/theme-quality';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

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
    await h.page.goto(h.site.url);
    await h.page.waitForSelector('html[data-first-chart="painted"]', { timeout: 30_000 });
    // The marks on themes tagged with low precision come with accuracy.json, asked for at once:
    // once there, nothing else changes on the chart.
    await h.page.waitForSelector('[data-testid="weak-themes-note"]', { timeout: 30_000 });
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
