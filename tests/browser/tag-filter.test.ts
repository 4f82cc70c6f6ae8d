import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { parseAccuracy } from '@/core/accuracy';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import { buildWeaknessThemesSql, type WeaknessThemeRow } from '@/features/overview/overview-sql';
import { ALL_SURE_TABLES_SQL } from '@/lib/derived-tables';
import { withTagFilter, type Filters } from '@/lib/filters';
import { weakThemesOf, withoutWeakMark } from '@/lib/theme-quality';
import { accuracyWithWeakTheme, serveWeakTheme } from '../support/weak-theme';
import type { SqlQuery } from '@/lib/sql';
import { letterFiles, readLetter } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { openDatabase, runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

// Runs after the harness's own beforeAll, which opened the database.
beforeAll(async () => {
  for (const statement of ALL_SURE_TABLES_SQL) await h.db.run(statement);
});

const SURE: Filters = { tags: 'sure' };

/** A builder's rows in node-api, with uncertain tags left out when `filters.tags` says so. */
function expected<Row>(built: SqlQuery, filters: Filters): Promise<Row[]> {
  return runBuilt<Row>(h.db, withTagFilter(built, filters));
}

/** The overview's weakness chart as drawn: each bar's theme (mark taken off) and share. */
async function weaknessBars(page: Page): Promise<[string, number][]> {
  const bars = await page
    .locator('section.panel', { hasText: 'Themes most often raised as weaknesses' })
    .locator('.bar-chart-row')
    .evaluateAll((rows) =>
      rows.map((row) => ({
        label: row.querySelector('.bar-chart-category')?.textContent ?? '',
        share: Number(row.querySelector('[data-bar]')?.getAttribute('data-value')),
      })),
    );
  return bars.map(({ label, share }) => [withoutWeakMark(label), share]);
}

const switchLabel = 'Leave out uncertain theme tags';

/**
 * No serious or critical axe-core violation in what this feature draws: the filter bar and the
 * view (the page's header is checked by the other browser tests).
 */
async function expectFilterBarAndViewAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('.filter-bar').include('#main').analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

describe('leaving uncertain theme tags out of every count', () => {
  it('one switch in the filter bar changes the counts, is held in the URL, carries across views and survives a reload', async () => {
    const bars = async (filters: Filters) =>
      (await expected<WeaknessThemeRow>(buildWeaknessThemesSql(filters), filters)).map(
        (t): [string, number] => [t.label, t.share],
      );
    const [all, sure] = [await bars({}), await bars(SURE)];
    expect(sure).not.toEqual(all);

    await h.open('');
    await expect.poll(() => weaknessBars(h.page)).toEqual(all);
    const toggle = h.page.getByLabel(switchLabel);
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => new URL(h.page.url()).searchParams.get('tags')).toBe('sure');
    await expect.poll(() => weaknessBars(h.page)).toEqual(sure);
    await expectFilterBarAndViewAccessible(h.page);
    await h.screenshot('tag-filter-overview');

    // The same state from the URL alone.
    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    expect(await h.page.getByLabel(switchLabel).isChecked()).toBe(true);
    await expect.poll(() => weaknessBars(h.page)).toEqual(sure);

    // Another view keeps the switch, and counts the same way.
    await h.page.click('nav[aria-label="Views"] a[href*="view=heatmap"]');
    await h.page.waitForURL(/view=heatmap/);
    expect(new URL(h.page.url()).searchParams.get('tags')).toBe('sure');
    expect(await h.page.getByLabel(switchLabel).isChecked()).toBe(true);
    const cells = (filters: Filters) =>
      expected<HeatmapCellRow>(buildHeatmapSql(filters), filters).then((rows) =>
        rows.map((r) => `${r.council_name}|${r.theme_id}|${r.weakness_findings}`).sort(),
      );
    const shownCells = () =>
      h.page
        .locator('.heatmap-cell')
        .evaluateAll((buttons) =>
          buttons
            .map(
              (b) =>
                `${b.getAttribute('data-council')}|${b.getAttribute('data-theme')}|${b.getAttribute('data-count')}`,
            )
            .sort(),
        );
    const [sureCells, allCells] = [await cells(SURE), await cells({})];
    expect(sureCells).not.toEqual(allCells);
    await expect.poll(shownCells).toEqual(sureCells);

    // Off again: the parameter goes, and every tag counts.
    await h.page.getByLabel(switchLabel).uncheck();
    await expect.poll(() => new URL(h.page.url()).searchParams.has('tags')).toBe(false);
    await expect.poll(shownCells).toEqual(allCells);
  });

  it('evidence: a tag the tagger was unsure of is marked “uncertain” in words, with its confidence', async () => {
    const tags = await runBuilt<{ theme_id: string; n: number }>(h.db, {
      sql: `SELECT theme_id, count(*)::INTEGER AS n FROM finding_themes WHERE uncertain
        GROUP BY theme_id ORDER BY n DESC, theme_id LIMIT 1`,
      params: [],
    });
    const theme = tags[0]!.theme_id;
    const rows = await expected<EvidenceRow>(buildEvidenceSql({ filters: {}, theme }), {});
    const uncertain = rows.flatMap((r) =>
      r.themes.filter((t) => t.uncertain).map((t) => ({ finding: r.finding_id, tag: t })),
    );
    expect(uncertain.length).toBeGreaterThan(0);

    await h.open(`?view=evidence&theme=${theme}`);
    await expect
      .poll(() => h.page.getAttribute('[data-testid="evidence-count"]', 'data-value'))
      .toBe(String(rows[0]!.total_matches));
    const marked = h.page.locator('.theme-tag[data-uncertain="true"]');
    await expect.poll(() => marked.count()).toBe(uncertain.length);
    for (const { finding, tag } of uncertain) {
      const item = h.page.locator(
        `.evidence-item[data-finding="${finding}"] .theme-tag[data-theme="${tag.theme_id}"]`,
      );
      const confidence = tag.confidence!.toFixed(2);
      expect(await item.getAttribute('data-uncertain')).toBe('true');
      expect(await item.getAttribute('title')).toBe(`uncertain (confidence ${confidence})`);
      // Visible in words, and the confidence read out to screen readers. Scrolled to first:
      // findings below the fold are not laid out until then (content-visibility), and text not
      // laid out has no innerText.
      await item.scrollIntoViewIfNeeded();
      expect(await item.locator('.uncertain-mark').innerText()).toContain('uncertain');
      expect(await item.locator('.uncertain-mark').textContent()).toContain(
        `confidence ${confidence}`,
      );
    }
    // The sure tags carry no such mark.
    const sureTags = rows.flatMap((r) => r.themes).filter((t) => !t.uncertain).length;
    expect(await h.page.locator('.theme-tag:not([data-uncertain])').count()).toBe(sureTags);
    await h.screenshot('evidence-uncertain');
    await expectFilterBarAndViewAccessible(h.page);

    // With the switch on, the uncertain tags are gone, and so are the findings only they placed
    // under the theme.
    await h.page.getByLabel(switchLabel).check();
    const sure = await expected<EvidenceRow>(buildEvidenceSql({ filters: SURE, theme }), SURE);
    expect(sure[0]!.total_matches).toBeLessThan(rows[0]!.total_matches);
    await expect
      .poll(() => h.page.getAttribute('[data-testid="evidence-count"]', 'data-value'))
      .toBe(String(sure[0]!.total_matches));
    expect(await marked.count()).toBe(0);
    await h.screenshot('evidence-sure');
  });

  it('themes tagged with low precision are marked where they are counted and chosen, with a note', async () => {
    // The build's file with one theme made weak, so that the marking is tested whether or not
    // this build's tagger has a theme of low precision (tests/support/weak-theme.ts).
    const { json, themeId } = accuracyWithWeakTheme(h.site.dataDir);
    await serveWeakTheme(h.page, h.site.dataDir);
    const weak = weakThemesOf(parseAccuracy(JSON.parse(json) as unknown));
    expect(weak.has(themeId)).toBe(true);
    const themes = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    const weakLabels = themes.filter((t) => weak.has(t.theme_id)).map((t) => t.label);

    // Opened on another view and moved to the overview in the page: the overview built into
    // index.html carries the build's own marks, which the file served here would contradict.
    await h.open('?view=heatmap');
    await h.visit('?view=overview');
    const panel = h.page.locator('section.panel', {
      hasText: 'Themes most often raised as weaknesses',
    });
    const note = panel.getByTestId('weak-themes-note');
    await note.waitFor();
    for (const label of weakLabels) expect(await note.textContent()).toContain(label);
    expect(await note.getByRole('link', { name: 'See Methodology' }).count()).toBe(1);
    const labels = await panel.locator('.bar-chart-category').allTextContents();
    expect(
      labels
        .filter((l) => l.endsWith(' †'))
        .map(withoutWeakMark)
        .sort(),
    ).toEqual([...weakLabels].sort());
    // In the table, the mark is read out in words.
    await panel.getByRole('button', { name: 'Table', exact: true }).click();
    const weakRow = panel.locator('tbody tr', { hasText: weakLabels[0]! });
    expect(await weakRow.locator('th').textContent()).toBe(`${weakLabels[0]} † (low precision)`);
    await expectFilterBarAndViewAccessible(h.page);

    // Where a theme is chosen: the evidence view's picker says so in the option's text.
    await h.page.click('nav[aria-label="Views"] a[href*="view=evidence"]');
    await h.page.waitForURL(/view=evidence/);
    await expect
      .poll(() => h.page.locator('#evidence-theme option', { hasText: '(low precision)' }).count())
      .toBe(weak.size);
  });

  it('letters added in the page are counted by the sure tables built before they came', async () => {
    // A seed letter moved to Cumbria and to November 2010: an inspection the site lacks.
    const text = readLetter(letterFiles[0]!)
      .replaceAll('North Yorkshire', 'Cumbria')
      .replace('30 June and 1 July 2009', '3 and 4 November 2010')
      .replace('29 July 2009', '1 December 2010');
    // What the CLI makes of the same letter, counted with uncertain tags left out.
    const work = mkdtempSync(join(tmpdir(), 'tag-filter-added-'));
    let expectedCells: string[];
    try {
      writeFileSync(join(work, 'cumbria-2010.txt'), text);
      const run = runIngest(['--out', join(work, 'out'), join(work, 'cumbria-2010.txt')]);
      expect(run.status, run.stderr).toBe(0);
      const db = await openDatabase(join(work, 'out'));
      try {
        for (const statement of ALL_SURE_TABLES_SQL) await db.run(statement);
        const cells = async (filters: Filters) =>
          (await runBuilt<HeatmapCellRow>(db, withTagFilter(buildHeatmapSql(filters), filters)))
            .map((r) => `${r.theme_id}|${r.weakness_findings}|${r.strength_findings}`)
            .sort();
        expectedCells = await cells(SURE);
        expect(expectedCells).not.toEqual(await cells({}));
      } finally {
        db.closeSync();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }

    // The sure tables are built first (the heatmap with the switch on), then the letter comes.
    await h.open('?view=heatmap&tags=sure');
    await h.page.waitForSelector('.heatmap-cell');
    expect(await h.page.locator('.heatmap-cell[data-council="Cumbria"]').count()).toBe(0);
    await h.page.click('nav[aria-label="Views"] a[href*="view=add-letters"]');
    const input = h.page.getByTestId('add-letters-input');
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    await input.setInputFiles([
      { name: 'cumbria-2010.txt', mimeType: 'text/plain', buffer: Buffer.from(text) },
    ]);
    await h.page
      .getByTestId('add-letters-result')
      .filter({ hasText: 'cumbria-2010.txt' })
      .waitFor({ timeout: 60_000 });
    await h.page.click('nav[aria-label="Views"] a[href*="view=heatmap"]');
    expect(new URL(h.page.url()).searchParams.get('tags')).toBe('sure');
    const shown = () =>
      h.page.locator('.heatmap-scroll').evaluate((grid) => {
        const cells = [...grid.querySelectorAll('.heatmap-cell[data-council="Cumbria"]')];
        return cells
          .map((cell) => {
            // The label gives both counts: "…: 2 weakness and 1 strength findings. …"
            const [, weakness, strength] =
              /: (\d+) weakness and (\d+) strength/.exec(cell.getAttribute('aria-label') ?? '') ??
              [];
            return `${cell.getAttribute('data-theme')}|${weakness}|${strength}`;
          })
          .sort();
      });
    await expect.poll(shown, { timeout: 30_000 }).toEqual(expectedCells!);
  }, 180_000);
});
