import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { buildWeaknessThemesSql, type WeaknessThemeRow } from '@/features/overview/overview-sql';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import {
  buildThemeTrendSql,
  type ThemeTrendRow,
} from '@/features/themes-over-time/themes-over-time-sql';
import { buildThemeRankingSql, withIntervals, type RankingRow } from '@/app/council-ranking-sql';
import { formatPercent } from '@/lib/format';
import { shareWords } from '@/lib/share-words';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

/** `expect.poll` with room for the engine to answer (its default is 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

/** The focused element's attributes the tests read. */
async function focused() {
  return h.page.evaluate(() => {
    const el = document.activeElement;
    return {
      name: el?.getAttribute('aria-label') ?? '',
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '',
      row: el?.getAttribute('data-roving-row') ?? null,
      col: el?.getAttribute('data-roving-col') ?? null,
      tabindex: el?.getAttribute('tabindex') ?? null,
      panel: el?.closest('[data-panel]')?.getAttribute('data-panel') ?? null,
      council: el?.getAttribute('data-council') ?? null,
      theme: el?.getAttribute('data-theme') ?? null,
      year: el?.getAttribute('data-year') ?? null,
    };
  });
}

/** Presses Tab (from the top of the page) until a mark inside `panel` has the focus. */
async function tabInto(panel: string, max = 200): Promise<number> {
  await h.page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  for (let presses = 1; presses <= max; presses += 1) {
    await h.page.keyboard.press('Tab');
    const at = await h.page.evaluate((p) => {
      const el = document.activeElement;
      return Boolean(el?.hasAttribute('data-roving-row') && el.closest(`[data-panel="${p}"]`));
    }, panel);
    if (at) return presses;
  }
  throw new Error(`no mark of ${panel} reached in ${max} presses of Tab`);
}

/** The label a theme's bar starts with: its name, maybe marked as of low precision. */
const startsWithTheme = (name: string, label: string) =>
  name === label || name.startsWith(`${label}:`) || name.startsWith(`${label} `);

describe('chart marks from the keyboard', () => {
  it('walks the overview’s theme bars with the arrow keys, each named with its share, interval and n', async () => {
    await h.open('?view=overview');
    const rows = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    const panel = h.page.locator('[data-panel="weakness-themes"]');
    await poll(() => panel.locator('[data-roving-row]').count()).toBe(rows.length);

    // One stop of the Tab key for the whole chart: only its first bar is reachable with Tab.
    expect(await panel.locator('[data-roving-row][tabindex="0"]').count()).toBe(1);
    expect(await panel.locator('[data-roving-row][tabindex="-1"]').count()).toBe(rows.length - 1);
    await tabInto('weakness-themes');

    for (const [i, row] of rows.entries()) {
      const at = await focused();
      expect(at.row, `bar ${i}`).toBe(String(i));
      expect(at.role).toBe('button');
      expect(startsWithTheme(at.name, row.label), `${at.name} / ${row.label}`).toBe(true);
      expect(
        at.name.endsWith(
          `: ${shareWords(row.letters_with_theme, row.letters_total, 'inspection', 'inspections')}`,
        ),
        at.name,
      ).toBe(true);
      if (i < rows.length - 1) await h.page.keyboard.press('ArrowDown');
    }
    // At the end the arrow stays; Home and End jump; Up goes back.
    await h.page.keyboard.press('ArrowDown');
    expect((await focused()).row).toBe(String(rows.length - 1));
    await h.page.keyboard.press('Home');
    expect((await focused()).row).toBe('0');
    await h.page.keyboard.press('End');
    expect((await focused()).row).toBe(String(rows.length - 1));
    await h.page.keyboard.press('ArrowUp');
    expect((await focused()).row).toBe(String(rows.length - 2));
    // The bar last reached is the chart's Tab stop now: Shift+Tab and Tab come back to it.
    await h.page.keyboard.press('Shift+Tab');
    await h.page.keyboard.press('Tab');
    expect((await focused()).row).toBe(String(rows.length - 2));

    // Enter does what a click does: the theme's findings, as weaknesses.
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL((url) => url.searchParams.get('view') === 'evidence');
    const url = new URL(h.page.url());
    expect(url.searchParams.get('theme')).toBe(rows[0]!.theme_id);
    expect(url.searchParams.get('section')).toBe('weakness');
    await h.expectNoSeriousAxeViolations();
  });

  it('moves through the heatmap’s cells in two directions, each named with its counts and n', async () => {
    await h.open('?view=heatmap');
    const rows = await runBuilt<HeatmapCellRow>(h.db, buildHeatmapSql({}));
    const cell = (council: string, theme: string) =>
      rows.find((r) => r.council_name === council && r.theme_id === theme)!;
    const grid = h.page.locator('[data-panel="council-theme"] tbody');
    await poll(() => grid.locator('[data-roving-row]').count()).toBeGreaterThan(20);
    // One cell in the Tab order, not every one.
    expect(await grid.locator('[tabindex="0"]').count()).toBe(1);
    await tabInto('council-theme');
    const say = (r: HeatmapCellRow) =>
      `${r.council_name}, ${r.theme_label}: ${r.weakness_findings} weakness and ${r.strength_findings} strength findings in ${r.letters} ${r.letters === 1 ? 'letter' : 'letters'}. Open evidence.`;
    const first = await focused();
    expect([first.row, first.col]).toEqual(['0', '0']);
    expect(first.name).toBe(say(cell(first.council!, first.theme!)));
    await h.page.keyboard.press('ArrowRight');
    const right = await focused();
    expect([right.row, right.col]).toEqual(['0', '1']);
    expect(right.council).toBe(first.council);
    expect(right.name).toBe(say(cell(right.council!, right.theme!)));
    await h.page.keyboard.press('ArrowDown');
    const down = await focused();
    expect([down.row, down.col]).toEqual(['1', '1']);
    expect(down.theme).toBe(right.theme);
    expect(down.council).not.toBe(right.council);
    expect(down.name).toBe(say(cell(down.council!, down.theme!)));
    await h.page.keyboard.press('End');
    const end = await focused();
    expect(end.row).toBe('1');
    expect(Number(end.col)).toBe((await h.page.locator('.heatmap-theme').count()) - 1);
    await h.page.keyboard.press('Control+End');
    const last = await focused();
    expect(Number(last.row)).toBe(new Set(rows.map((r) => r.council_name)).size - 1);
    await h.page.keyboard.press('Control+Home');
    expect(await focused()).toMatchObject({ row: '0', col: '0' });
    await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL((url) => url.searchParams.get('view') === 'evidence');
    const url = new URL(h.page.url());
    expect(url.searchParams.get('council')).toBe(right.council);
    expect(url.searchParams.get('theme')).toBe(right.theme);
  });

  it('reaches each council’s interval on a theme ranking, with rank, share, interval and n', async () => {
    const [top] = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    await h.open(`?view=ranking&theme=${top!.theme_id}`);
    const ranking = withIntervals(
      await runBuilt<RankingRow>(h.db, buildThemeRankingSql({ filters: {}, theme: top!.theme_id })),
    );
    const panel = h.page.locator('[data-panel="ranking"]');
    await poll(() => panel.locator('[data-roving-row]').count()).toBe(ranking.length);
    await tabInto('ranking');
    for (const [i, row] of ranking.slice(0, 5).entries()) {
      const at = await focused();
      expect(at.role).toBe('img');
      const tied = row.at_or_above > row.rank ? ' (tied)' : '';
      const figures = `${formatPercent(row.share)} (95% interval ${formatPercent(row.low)} to ${formatPercent(row.high)}), ${row.letters_with_theme} of ${row.letters} ${row.letters === 1 ? 'letter' : 'letters'}`;
      expect(at.name).toBe(
        `${row.council_name}, rank ${row.rank}${tied} of ${row.councils_ranked}, quartile ${row.quartile}: ${figures}`,
      );
      expect(at.row).toBe(String(i));
      await h.page.keyboard.press('ArrowDown');
    }
  });

  it('reaches every point of the themes-over-time lines; Enter opens its findings', async () => {
    await h.open('?view=themes-over-time');
    const rows = await runBuilt<ThemeTrendRow>(
      h.db,
      buildThemeTrendSql({ filters: {}, themes: [], measure: 'weakness' }),
    );
    const panel = h.page.locator('[data-panel="themes-over-time"]');
    await poll(() => panel.locator('circle[data-roving-row]').count()).toBe(rows.length);
    await tabInto('themes-over-time');
    const years = [...new Set(rows.map((r) => r.reporting_year))].sort();
    const point = (theme: string | null, year: string | null) =>
      rows.find((r) => r.theme_id === theme && r.reporting_year === year)!;
    const say = (r: ThemeTrendRow, name: string) =>
      name.endsWith(
        `, ${r.reporting_year}: ${shareWords(r.letters_with_theme, r.letters, 'inspection', 'inspections')}. Open the findings.`,
      );
    let at = await focused();
    expect(at.role).toBe('link');
    expect(at.year).toBe(years[0]);
    expect(say(point(at.theme, at.year), at.name), at.name).toBe(true);
    const firstTheme = at.theme;
    // Along the line, year by year.
    for (const year of years.slice(1)) {
      await h.page.keyboard.press('ArrowRight');
      at = await focused();
      expect(at.theme).toBe(firstTheme);
      expect(at.year).toBe(year);
      expect(say(point(at.theme, at.year), at.name), at.name).toBe(true);
    }
    // Down to the next theme's line, the same year.
    await h.page.keyboard.press('ArrowDown');
    at = await focused();
    expect(at.theme).not.toBe(firstTheme);
    expect(at.year).toBe(years[years.length - 1]);
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL((url) => url.searchParams.get('view') === 'evidence');
    const url = new URL(h.page.url());
    expect(url.searchParams.get('theme')).toBe(at.theme);
    expect(url.searchParams.get('year')).toBe(at.year);
  });
});

/** The rows of a panel's table view as text, first cell and the cell of `column` (0-based). */
async function tableColumn(panel: Locator, column: number): Promise<string[]> {
  return panel
    .locator('tbody tr')
    .evaluateAll((trs, c) => trs.map((tr) => tr.children[c]?.textContent ?? ''), column);
}

describe('view state in the URL', () => {
  it('keeps a panel’s Chart or Table choice and its table’s sort through reload, a shared link and back', async () => {
    await h.open('?view=overview');
    const rows = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    const panel = h.page.locator('[data-panel="weakness-themes"]');
    const other = h.page.locator('[data-panel="priority-actions-by-year"]');
    await panel.locator('[data-roving-row]').first().waitFor();
    // Nothing in the URL while every panel shows its default.
    expect(new URL(h.page.url()).searchParams.has('table')).toBe(false);

    await panel.getByRole('button', { name: 'Table', exact: true }).click();
    await h.page.waitForURL((url) => url.searchParams.get('table') === 'weakness-themes');
    expect(await panel.getAttribute('data-mode')).toBe('table');
    expect(await other.getAttribute('data-mode')).toBe('chart');
    expect(await panel.locator('tbody tr').count()).toBe(rows.length);
    // The table in its rows' own order: as the query gives them.
    expect(await tableColumn(panel, 0)).toEqual(rows.map((r) => expect.stringContaining(r.label)));

    // Sorted by a column: fewest inspections first after two presses (numbers start descending).
    const byCount = panel.getByRole('button', { name: 'Inspections raising it', exact: true });
    await byCount.click();
    await h.page.waitForURL(
      (url) => url.searchParams.get('tsort') === 'weakness-themes.letters_with_theme.desc',
    );
    expect(await panel.locator('th[aria-sort="descending"]').textContent()).toContain(
      'Inspections raising it',
    );
    await byCount.click();
    await h.page.waitForURL(
      (url) => url.searchParams.get('tsort') === 'weakness-themes.letters_with_theme.asc',
    );
    const ascending = [...rows]
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.letters_with_theme - b.r.letters_with_theme || a.i - b.i)
      .map(({ r }) => String(r.letters_with_theme));
    expect(await tableColumn(panel, 2)).toEqual(ascending);

    // Reload: the same table, sorted the same way.
    const shared = h.page.url();
    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await poll(() => panel.getAttribute('data-mode')).toBe('table');
    expect(await tableColumn(panel, 2)).toEqual(ascending);
    expect(await panel.locator('th[aria-sort="ascending"]').textContent()).toContain(
      'Inspections raising it',
    );

    // The link opened afresh elsewhere (a new page): the same state.
    const second = await h.browser.newPage();
    try {
      await second.goto(shared);
      await second.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
      const there = second.locator('[data-panel="weakness-themes"]');
      await expect.poll(() => there.getAttribute('data-mode'), { timeout: 30_000 }).toBe('table');
      expect(
        await there
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.children[2]?.textContent ?? '')),
      ).toEqual(ascending);
    } finally {
      await second.close();
    }

    // Back steps through the sorts and the choice, forward comes again.
    await h.page.goBack();
    await poll(() => new URL(h.page.url()).searchParams.get('tsort')).toBe(
      'weakness-themes.letters_with_theme.desc',
    );
    await h.page.goBack();
    await poll(() => new URL(h.page.url()).searchParams.has('tsort')).toBe(false);
    expect(await tableColumn(panel, 0)).toEqual(rows.map((r) => expect.stringContaining(r.label)));
    await h.page.goBack();
    await poll(() => panel.getAttribute('data-mode')).toBe('chart');
    expect(new URL(h.page.url()).search).toBe('?view=overview');
    await h.page.goForward();
    await poll(() => panel.getAttribute('data-mode')).toBe('table');

    // Back to Chart leaves nothing behind in the URL.
    await panel.getByRole('button', { name: 'Chart', exact: true }).click();
    await poll(() => new URL(h.page.url()).searchParams.has('table')).toBe(false);
    await h.expectNoSeriousAxeViolations();
  });

  it('keeps the heatmap’s Chart or Table choice when its measure changes', async () => {
    await h.open('?view=heatmap&table=council-theme');
    const panel = h.page.locator('[data-panel="council-theme"]');
    await poll(() => panel.getAttribute('data-mode')).toBe('table');
    await panel.getByRole('button', { name: 'Strengths' }).click();
    await h.page.waitForURL((url) => url.searchParams.get('measure') === 'strength');
    expect(await panel.getAttribute('data-mode')).toBe('table');
    expect(new URL(h.page.url()).searchParams.get('table')).toBe('council-theme');
  });
});

describe('accessibility of focused marks', () => {
  for (const width of [1400, 390]) {
    it(`is axe-clean with a bar, a cell and a point in focus at ${width} px`, async () => {
      await h.page.setViewportSize({ width, height: 900 });
      let opened = false;
      for (const [search, panel] of [
        ['?view=overview', 'weakness-themes'],
        ['?view=heatmap', 'council-theme'],
        ['?view=themes-over-time', 'themes-over-time'],
        ['?view=co-occurrence', 'weakness-co-occurrence'],
      ] as const) {
        // One page load; the other views are reached in the page, as a user moves between them.
        await (opened ? h.visit(search) : h.open(search));
        opened = true;
        await h.page.locator(`[data-panel="${panel}"] [data-roving-row]`).first().waitFor();
        // The walk from the top of the page is tested above: here the chart's stop is focused.
        await h.page.locator(`[data-panel="${panel}"] [data-roving-row][tabindex="0"]`).focus();
        await h.page.keyboard.press('ArrowDown');
        expect((await focused()).panel).toBe(panel);
        // The whole page of each view is scanned in the views' own tests; here, the chart.
        await h.expectNoSeriousAxeViolations(`[data-panel="${panel}"]`);
        await h.screenshot(`keyboard-${panel}-${width}`);
      }
    }, 180_000);
  }
});
