import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import {
  buildThemeRankingSql,
  councilSlug,
  withIntervals,
  type RankedCouncil,
  type RankingRow,
} from '@/app/council-ranking-sql';
import { buildCouncilGroupsSql, type CouncilGroupRow } from '@/features/council/council-sql';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';
import { parseCsv, withoutCsvNotes } from '../support/csv-export';

const h = useBrowserHarness();

/** The two widths the views are checked at: a desktop and a small phone. */
const WIDTHS = [1400, 390] as const;

/** Where the screenshots (saved in test-results/) are also copied, for people to look at. */
const SHOTS_COPY = '/tmp/council-ranking-shots';

/** Presses the download button inside `scope` from the keyboard and reads the CSV back. */
async function downloadCsv(page: Page, scope: string): Promise<string[][]> {
  const button = page.locator(scope).getByRole('button', { name: 'Download CSV' }).first();
  await button.focus();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ]);
  const file = await download.path();
  // The table after the notes every CSV opens with (tests/browser/exports.test.ts).
  return parseCsv(withoutCsvNotes(readFileSync(file, 'utf8')));
}

/** No horizontal scrolling: the page is no wider than the window (names what is wider if not). */
async function expectNoSideways(page: Page): Promise<void> {
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const root = document.scrollingElement!;
    const width = root.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide };
  });
  expect(scrollWidth, `wider than the window: ${wide.join(', ')}`).toBeLessThanOrEqual(clientWidth);
}

/**
 * No axe-core violation of any impact in the page's main region, where the view is (the header's
 * controls belong to other features and are checked by their own tests).
 */
async function expectAxeClean(page: Page, impacts?: readonly string[]): Promise<void> {
  const results = await new AxeBuilder({ page }).include('main').analyze();
  const found = results.violations
    .filter((v) => !impacts || impacts.includes(v.impact ?? ''))
    .map(
      (v) =>
        `${v.impact}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  expect(found).toEqual([]);
}

async function shot(id: string): Promise<void> {
  const saved = await h.screenshot(id);
  mkdirSync(SHOTS_COPY, { recursive: true });
  copyFileSync(saved, path.join(SHOTS_COPY, path.basename(saved)));
}

/** The council with the most letters held (then by name): the one the profile test opens. */
async function busiestCouncil(): Promise<{ key: string; name: string; letters: number }> {
  const [row] = await runBuilt<{ key: string; name: string; letters: number }>(h.db, {
    sql: `SELECT coalesce(la_code, council_name) AS key, min(council_name) AS name,
            count(*)::INTEGER AS letters
          FROM letters GROUP BY 1 ORDER BY letters DESC, name LIMIT 1`,
    params: [],
  });
  return row!;
}

describe('council profile', () => {
  for (const width of WIDTHS) {
    it(`opens from the keyboard at ${width} px with rank, n and intervals as DuckDB gives them, a CSV and no axe violation`, async () => {
      await h.page.setViewportSize({ width, height: 900 });
      const council = await busiestCouncil();
      const ranks = withIntervals(
        await runBuilt<RankingRow>(
          h.db,
          buildThemeRankingSql({ filters: {}, councilKey: council.key }),
        ),
      );
      const groups = await runBuilt<CouncilGroupRow>(
        h.db,
        buildCouncilGroupsSql({ filters: {}, council: council.key }),
      );

      await h.open('?view=council');
      const box = h.page.getByRole('combobox', { name: 'Choose a council' });
      await box.waitFor();
      await box.focus();
      await h.page.keyboard.type(council.name);
      await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
      await h.page.keyboard.press('Enter');
      await h.page.waitForURL(
        (url) => url.searchParams.get('council') === councilSlug(council.name),
      );
      await expect.poll(() => h.page.getByTestId('council-name').textContent()).toBe(council.name);
      expect(await h.page.getByTestId('council-n').getAttribute('data-value')).toBe(
        String(council.letters),
      );
      // Few letters are said in words, not only greyed.
      if (council.letters < 3) {
        expect(await h.page.getByTestId('council-few').textContent()).toContain('fewer than 3');
      }
      for (const g of groups) {
        const item = h.page.getByTestId(`council-group-${g.group_kind}`);
        expect(await item.getAttribute('data-value'), g.group_kind).toBe(String(g.letters));
        expect(await item.textContent()).toContain(`n = ${g.letters}`);
      }

      // Each theme row: the council's rank, band, n and interval as node-api's DuckDB gives them.
      const rows = h.page.locator('.interval-row[data-theme]');
      await rows.first().waitFor();
      const shown = await rows.evaluateAll((els) =>
        els.map((el): Record<string, string | undefined> => ({
          ...(el as HTMLElement).dataset,
          text: el.textContent ?? '',
        })),
      );
      expect(shown.length).toBeGreaterThan(0);
      for (const row of shown) {
        const want = ranks.find((r) => r.theme_id === row.theme)!;
        expect(Number(row.rank), row.theme).toBe(want.rank);
        expect(Number(row.ranked), row.theme).toBe(want.councils_ranked);
        expect(row.quartile, row.theme).toBe(want.quartile);
        expect(Number(row.n), row.theme).toBe(want.letters);
        expect(Number(row.k), row.theme).toBe(want.letters_with_theme);
        expect(Number(row.low), row.theme).toBeCloseTo(want.low, 10);
        expect(Number(row.high), row.theme).toBeCloseTo(want.high, 10);
        expect(row.text).toContain(`rank ${want.rank} of ${want.councils_ranked}`);
        expect(row.text).toContain(`quartile ${want.quartile}`);
      }

      // The same figures in the table view, switched to from the keyboard.
      const panel = h.page.locator('section.panel', { hasText: 'Weaknesses raised:' });
      await panel.getByRole('button', { name: 'Table', exact: true }).focus();
      await h.page.keyboard.press('Enter');
      await expect.poll(() => panel.locator('table tbody tr').count()).toBe(ranks.length);

      // In table mode the table's region is named as its panel is (src/lib/chart-with-table.tsx),
      // which axe calls a moderate problem; nothing serious.
      await expectAxeClean(h.page, ['serious', 'critical']);
      const csv = await downloadCsv(h.page, 'section.panel:has-text("Weaknesses raised:")');
      const [header, ...body] = csv;
      for (const column of ['Theme id', 'Council', 'ONS code', 'DfE number', 'Region'])
        expect(header, column).toContain(column);
      expect(body).toHaveLength(ranks.length);
      const col = (name: string) => header!.indexOf(name);
      for (const line of body) {
        const want = ranks.find((r) => r.theme_id === line[col('Theme id')])!;
        expect(line[col('Council')]).toBe(council.name);
        expect(line[col('ONS code')]).toBe(want.la_code ?? '');
        expect(line[col('DfE number')]).toBe(String(want.dfe_la_code ?? ''));
        expect(line[col('Region')]).toBe(want.region ?? '');
        expect(Number(line[col('Rank (1 = raised most often)')])).toBe(want.rank);
        expect(line[col('Quartile (A = raised most often)')]).toBe(want.quartile);
        expect(Number(line[col(`${council.name}: letters (n)`)])).toBe(want.letters);
        expect(Number(line[col(`${council.name}: 95% interval from`)])).toBeCloseTo(want.low, 10);
        expect(Number(line[col(`${council.name}: 95% interval to`)])).toBeCloseTo(want.high, 10);
      }

      // The inspections link to their letters; the quotes carry provenance and a link each.
      const letterLinks = h.page.getByTestId('council-inspections').getByRole('link', {
        name: /Read the letter/,
      });
      expect(await letterLinks.count()).toBe(council.letters);
      const quotes = h.page.getByTestId('council-quotes').locator('.quote-item');
      if ((await quotes.count()) > 0) {
        expect(await quotes.first().locator('.quote-provenance').textContent()).toContain(
          council.name,
        );
        const href = await quotes
          .first()
          .getByRole('link', { name: /Read it in the letter/ })
          .getAttribute('href');
        expect(href).toMatch(/view=letter&letter=[^&]+&finding=\d+/);
      }

      await panel.getByRole('button', { name: 'Chart', exact: true }).focus();
      await h.page.keyboard.press('Enter');
      await expectAxeClean(h.page);
      await expectNoSideways(h.page);
      await shot(`council-${width}`);
    });
  }
});

describe('theme ranking', () => {
  for (const width of WIDTHS) {
    it(`opens from the keyboard at ${width} px with every council’s rank, n and interval, quotes with provenance, a CSV and no axe violation`, async () => {
      await h.page.setViewportSize({ width, height: 900 });
      // The theme raised at the most councils, then by label.
      const [theme] = await runBuilt<{ theme_id: string; label: string }>(h.db, {
        sql: `SELECT t.theme_id, t.label FROM themes AS t
              JOIN finding_themes AS ft USING (theme_id)
              JOIN findings AS f USING (finding_id)
              JOIN letters AS l USING (letter_id)
              WHERE f.section IN ('development', 'priority_action')
              GROUP BY t.theme_id, t.label
              ORDER BY count(DISTINCT l.council_name) DESC, t.label LIMIT 1`,
        params: [],
      });
      const ranking: RankedCouncil[] = withIntervals(
        await runBuilt<RankingRow>(
          h.db,
          buildThemeRankingSql({ filters: {}, theme: theme!.theme_id }),
        ),
      );

      await h.open('?view=ranking');
      const select = h.page.getByLabel('Theme', { exact: true });
      await select.waitFor();
      await select.focus();
      // Typing a label chooses its option, as a closed list box does.
      await h.page.keyboard.type(theme!.label, { delay: 20 });
      await h.page.waitForURL((url) => url.searchParams.get('theme') === theme!.theme_id);

      const rows = h.page.locator('.interval-row[data-council]');
      await expect.poll(() => rows.count()).toBe(ranking.length);
      const shown = await rows.evaluateAll((els) =>
        els.map((el): Record<string, string | undefined> => ({
          ...(el as HTMLElement).dataset,
          text: el.textContent ?? '',
        })),
      );
      shown.forEach((row, i) => {
        const want = ranking[i]!;
        expect(row.council, want.council_name).toBe(councilSlug(want.council_name));
        expect(Number(row.rank)).toBe(want.rank);
        expect(row.quartile).toBe(want.quartile);
        expect(Number(row.n)).toBe(want.letters);
        expect(Number(row.k)).toBe(want.letters_with_theme);
        expect(Number(row.low)).toBeCloseTo(want.low, 10);
        expect(Number(row.high)).toBeCloseTo(want.high, 10);
        expect(row.text).toContain(`${want.letters_with_theme} of ${want.letters} letter`);
        expect(row.text).toContain(`Quartile ${want.quartile}`);
        if (want.letters < 3) expect(row.text).toContain('fewer than 3 letters');
      });
      expect(await h.page.getByTestId('ranking-summary').getAttribute('data-councils')).toBe(
        String(ranking.length),
      );

      // The quotes behind the first council raising it, opened from the keyboard.
      const first = ranking.find((r) => r.letters_with_theme > 0)!;
      const details = h.page.locator(
        `[data-testid="ranking-quotes"] details[data-council="${councilSlug(first.council_name)}"]`,
      );
      await details.locator('summary').focus();
      await h.page.keyboard.press('Enter');
      const quote = details.locator('.quote-item').first();
      await quote.waitFor();
      expect(await quote.locator('.quote-provenance').textContent()).toContain(first.council_name);
      expect(
        await quote.getByRole('link', { name: /Read it in the letter/ }).getAttribute('href'),
      ).toMatch(/view=letter&letter=[^&]+&finding=\d+/);

      const csv = await downloadCsv(h.page, 'section.panel:has-text("Councils ranked by")');
      const [header, ...body] = csv;
      expect(header!.slice(0, 5)).toEqual([
        'Rank (1 = raised most often)',
        'Council',
        'ONS code',
        'DfE number',
        'Region',
      ]);
      expect(body).toHaveLength(ranking.length);
      const col = (name: string) => header!.indexOf(name);
      body.forEach((line, i) => {
        const want = ranking[i]!;
        expect(line[col('Council')]).toBe(want.council_name);
        expect(line[col('ONS code')]).toBe(want.la_code ?? '');
        expect(line[col('DfE number')]).toBe(String(want.dfe_la_code ?? ''));
        expect(line[col('Region')]).toBe(want.region ?? '');
        expect(Number(line[col('Rank (1 = raised most often)')])).toBe(want.rank);
        expect(Number(line[col('Letters (n)')])).toBe(want.letters);
        expect(Number(line[col('Share')])).toBeCloseTo(want.share, 10);
        expect(Number(line[col('95% interval from')])).toBeCloseTo(want.low, 10);
        expect(Number(line[col('95% interval to')])).toBeCloseTo(want.high, 10);
        expect(line[col('Quartile (A = raised most often)')]).toBe(want.quartile);
      });

      await expectAxeClean(h.page);
      await expectNoSideways(h.page);
      await shot(`ranking-${width}`);

      // A council's name opens its profile.
      const link = rows.first().getByRole('link', { name: ranking[0]!.council_name });
      await link.focus();
      await h.page.keyboard.press('Enter');
      await h.page.waitForURL(
        (url) =>
          url.searchParams.get('view') === 'council' &&
          url.searchParams.get('council') === councilSlug(ranking[0]!.council_name),
      );
      await expect
        .poll(() => h.page.getByTestId('council-name').textContent())
        .toBe(ranking[0]!.council_name);
    });
  }
});
