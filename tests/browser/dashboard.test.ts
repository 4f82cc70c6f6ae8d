import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLetterText } from '@/core/parse-letter-file';
import { formatCount, formatPercent } from '@/lib/format';
import { withoutWeakMark } from '@/lib/theme-quality';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { buildHeatmapSql, type HeatmapCellRow } from '@/features/heatmap/heatmap-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import {
  buildThemeTrendSql,
  type ThemeTrendRow,
} from '@/features/themes-over-time/themes-over-time-sql';
import { buildLetterSpansSql, type LetterSpanRow } from '@/features/letter/letter-sql';
import { readLetter } from '../helpers/gold';
import { runBuilt } from '../support/parquet-fixture';
import { SUB_PATH, useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness({ backgroundWork: true });

/** A string as a SQL literal. */
const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A query over the served tables (in node-api DuckDB) written as a Parquet file's bytes. */
async function lettersParquet(select: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'served-letters-'));
  try {
    const file = join(dir, 'letters.parquet');
    await h.db.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy)`);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the built dashboard, served under a sub-path', () => {
  it('overview: headline figures and the weakness chart equal the same queries in node-api', async () => {
    await h.open('');
    const [summary] = await runBuilt<OverviewSummaryRow>(h.db, buildOverviewSummarySql({}));
    await expect
      .poll(() => h.page.getAttribute('[data-testid="stat-letters"]', 'data-value'))
      .toBe(String(summary!.letters));
    expect(await h.page.textContent('[data-testid="stat-letters"]')).toBe(
      formatCount(summary!.letters),
    );
    expect(await h.page.getAttribute('[data-testid="stat-councils"]', 'data-value')).toBe(
      String(summary!.councils_covered),
    );
    expect(await h.page.textContent('[data-testid="stat-councils"]')).toContain(
      `of ${summary!.councils_total}`,
    );
    expect(await h.page.textContent('[data-testid="stat-priority"]')).toBe(
      formatPercent(summary!.priority_share),
    );

    const themes = await runBuilt<WeaknessThemeRow>(h.db, buildWeaknessThemesSql({}));
    const panel = h.page.locator('section.panel', {
      hasText: 'Themes most often raised as weaknesses',
    });
    // One bar per theme, drawn from the same rows as the table (src/lib/bar-chart.tsx).
    await expect.poll(() => panel.locator('.bar-chart [data-bar]').count()).toBe(themes.length);
    expect(await panel.locator('.bar-chart').count()).toBe(1);
    await h.screenshot('overview');
    await panel.getByRole('button', { name: 'Table', exact: true }).click();
    const cells = await panel
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
        ),
      );
    // A theme tagged with low precision is marked after its label (src/lib/theme-quality.ts).
    expect(cells.map((c) => [withoutWeakMark(c[0]!), c[5]])).toEqual(
      themes.map((t) => [t.label, formatPercent(t.share)]),
    );
    await h.expectNoSeriousAxeViolations();
  });

  it('heatmap: cells equal node-api counts, and clicking a cell shows its evidence', async () => {
    await h.open('?view=heatmap');
    const rows = await runBuilt<HeatmapCellRow>(h.db, buildHeatmapSql({}));
    await h.page.waitForSelector('.heatmap-cell');
    const shown = await h.page
      .locator('.heatmap-cell')
      .evaluateAll((buttons) =>
        buttons.map(
          (b) =>
            `${b.getAttribute('data-council')}|${b.getAttribute('data-theme')}|${b.getAttribute('data-count')}`,
        ),
      );
    expect(shown.sort()).toEqual(
      rows.map((r) => `${r.council_name}|${r.theme_id}|${r.weakness_findings}`).sort(),
    );
    await h.screenshot('heatmap');
    await h.expectNoSeriousAxeViolations();

    const target = [...rows].sort((a, b) => b.weakness_findings - a.weakness_findings)[0]!;
    const cell = h.page.locator(
      `.heatmap-cell[data-council="${target.council_name}"][data-theme="${target.theme_id}"]`,
    );
    await cell.focus();
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL(/view=evidence/);
    const url = new URL(h.page.url());
    expect(url.pathname).toBe(SUB_PATH);
    expect(url.searchParams.get('council')).toBe(target.council_name);
    expect(url.searchParams.get('theme')).toBe(target.theme_id);
    expect(url.searchParams.get('section')).toBe('weakness');
    const expected = await runBuilt<EvidenceRow>(
      h.db,
      buildEvidenceSql({
        filters: { section: 'weakness' },
        council: target.council_name,
        theme: target.theme_id,
      }),
    );
    await expect
      .poll(() => h.page.locator('.evidence-item').count())
      .toBe(target.weakness_findings);
    expect(expected).toHaveLength(target.weakness_findings);
    expect(await h.page.getAttribute('[data-testid="evidence-count"]', 'data-value')).toBe(
      String(expected.length),
    );
    expect(await h.page.locator('.evidence-item mark').count()).toBeGreaterThan(0);
    await h.screenshot('evidence');
    await h.expectNoSeriousAxeViolations();

    await h.page.goBack();
    await h.page.waitForSelector('.heatmap-cell');
    expect(new URL(h.page.url()).searchParams.get('view')).toBe('heatmap');
  });

  it('filters live in the URL: a reload and the back button restore them', async () => {
    await h.open('?view=heatmap');
    const region = (
      await runBuilt<{ region: string }>(h.db, {
        sql: 'SELECT region FROM letters WHERE region IS NOT NULL ORDER BY region LIMIT 1',
        params: [],
      })
    )[0]!.region;
    await h.page.waitForSelector('.heatmap-cell');
    await expect.poll(() => h.page.locator('#filter-region option').count()).toBeGreaterThan(1);
    await h.page.selectOption('#filter-region', region);
    await h.page.getByRole('button', { name: 'Strengths', exact: true }).click();
    await expect.poll(() => new URL(h.page.url()).searchParams.get('measure')).toBe('strength');
    expect(new URL(h.page.url()).searchParams.get('region')).toBe(region);

    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await h.page.waitForSelector('.heatmap-cell');
    expect(await h.page.inputValue('#filter-region')).toBe(region);
    const rows = await runBuilt<HeatmapCellRow>(h.db, buildHeatmapSql({ region }));
    const counts = await h.page
      .locator('.heatmap-cell')
      .evaluateAll((b) => b.map((x) => x.getAttribute('data-count')));
    expect(counts.sort()).toEqual(rows.map((r) => String(r.strength_findings)).sort());

    await h.page.goBack();
    await expect.poll(() => new URL(h.page.url()).searchParams.get('measure')).toBeNull();
    expect(await h.page.inputValue('#filter-region')).toBe(region);
    await h.page.goBack();
    await expect.poll(() => h.page.inputValue('#filter-region')).toBe('');
  });

  it('a filter change keeps the chart on screen until the new figures replace it', async () => {
    await h.open('?view=heatmap');
    await h.page.waitForSelector('.heatmap-cell');
    await expect.poll(() => h.page.locator('#filter-region option').count()).toBeGreaterThan(1);
    const region = await h.page.$eval(
      '#filter-region',
      (el) => (el as HTMLSelectElement).options[1]!.value,
    );
    // Watch the page from before the change: a loading state or an empty chart would show.
    await h.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        if (document.querySelector('main .state-loading')) seen.push('loading');
        if (!document.querySelector('.heatmap-cell')) seen.push('no chart');
        if (document.getElementById('main')?.getAttribute('aria-busy') === 'true')
          seen.push('busy');
      }).observe(document.body, { attributes: true, childList: true, subtree: true });
    });
    await h.page.selectOption('#filter-region', region);
    await expect.poll(() => h.page.getAttribute('html', 'data-query-fetching')).toBe('0');
    const seen = await h.page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen).not.toContain('loading');
    expect(seen).not.toContain('no chart');
    expect(seen).toContain('busy');
    expect(await h.page.getAttribute('#main', 'aria-busy')).toBe('false');
    const rows = await runBuilt<HeatmapCellRow>(h.db, buildHeatmapSql({ region }));
    const counts = await h.page
      .locator('.heatmap-cell')
      .evaluateAll((b) => b.map((x) => x.getAttribute('data-count')));
    expect(counts.sort()).toEqual(rows.map((r) => String(r.weakness_findings)).sort());
  });

  it('themes over time: the chart and its table equal node-api', async () => {
    await h.open('?view=themes-over-time&measure=both');
    const rows = await runBuilt<ThemeTrendRow>(
      h.db,
      buildThemeTrendSql({ filters: {}, themes: [], measure: 'both' }),
    );
    // Attached, not visible: a theme at the same share every year is a flat line, whose box has
    // no height, and Playwright does not count such an element as visible.
    await h.page.waitForSelector('.recharts-line', { state: 'attached' });
    expect(await h.page.locator('.recharts-line').count()).toBe(
      new Set(rows.map((r) => `${r.theme_id}:${r.kind}`)).size,
    );
    await h.screenshot('themes-over-time');
    await h.expectNoSeriousAxeViolations();
    await h.page.getByRole('button', { name: 'Table', exact: true }).click();
    const cells = await h.page
      .locator('.data-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
      );
    expect(cells.map((c) => [c[0], withoutWeakMark(c[1]!), c[2], c[5]])).toEqual(
      rows.map((r) => [r.reporting_year, r.label, r.kind, formatPercent(r.share)]),
    );
  });

  it('letter: every finding span is marked and labelled', async () => {
    const [first] = await runBuilt<{ letter_id: string }>(h.db, {
      sql: 'SELECT letter_id FROM letters ORDER BY letter_id LIMIT 1',
      params: [],
    });
    const spans = await runBuilt<LetterSpanRow>(h.db, buildLetterSpansSql(first!.letter_id));
    await h.open(
      `?view=letter&letter=${encodeURIComponent(first!.letter_id)}&finding=${encodeURIComponent(spans[0]!.finding_id)}`,
    );
    await h.page.waitForSelector('.letter-span');
    expect(await h.page.locator('.letter-span').count()).toBe(spans.length);
    expect(await h.page.textContent('[data-testid="letter-findings"]')).toBe(String(spans.length));
    expect(await h.page.locator('.letter-span.focused').count()).toBe(1);
    await h.screenshot('letter');
    await h.expectNoSeriousAxeViolations();
  });

  it('letter: the warnings of a letter that looked wrong show beside it, in a marked note', async () => {
    // North Somerset's letter as if read with its areas for development cut from under their
    // heading and its signatory's name lost: the warnings the pipeline gives for that, put on
    // the served letters.parquet.
    const broken = parseLetterText(
      readLetter('001_01074a0f891bb9e6.txt')
        .replace(/(Areas for development\n\n)(- [^\n]*\n)+/, '$1')
        .replace('Karen McKeown\n', ''),
      'broken.txt',
    );
    if (!broken.ok) throw new Error(broken.reason);
    expect(broken.warnings).toHaveLength(2);
    const id = 'north-somerset-2010-05-11';
    const served = await lettersParquet(
      `SELECT * REPLACE (CASE WHEN letter_id = ${sqlString(id)}
         THEN ${sqlString(broken.warnings.join('\n'))} END AS parse_warnings)
       FROM letters ORDER BY letter_id`,
    );
    await h.page.route('**/data/letters.parquet', (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', body: served }),
    );
    await h.open(`?view=letter&letter=${id}`);
    const note = h.page.getByRole('note', { name: /Read with care/ });
    await note.waitFor();
    expect(await note.getByRole('listitem').allTextContents()).toEqual(broken.warnings);
    // The picker (a combobox) lists the open letter as selected, with its warnings counted.
    await h.page.press('#letter-pick', 'ArrowDown');
    expect(await h.page.locator('[role="option"][aria-selected="true"]').textContent()).toContain(
      '– 2 warnings',
    );
    await h.page.press('#letter-pick', 'Escape');
    await h.screenshot('letter-warnings');
    await h.expectNoSeriousAxeViolations();
  });

  it('letter: a letters.parquet of contract 1.0 (no parse_warnings column) still loads', async () => {
    const served = await lettersParquet(
      'SELECT * EXCLUDE (parse_warnings) FROM letters ORDER BY letter_id',
    );
    await h.page.route('**/data/letters.parquet', (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', body: served }),
    );
    const [first] = await runBuilt<{ letter_id: string }>(h.db, {
      sql: 'SELECT letter_id FROM letters ORDER BY letter_id LIMIT 1',
      params: [],
    });
    const spans = await runBuilt<LetterSpanRow>(h.db, buildLetterSpansSql(first!.letter_id));
    await h.open(`?view=letter&letter=${encodeURIComponent(first!.letter_id)}`);
    await h.page.waitForSelector('.letter-span');
    expect(await h.page.textContent('[data-testid="letter-findings"]')).toBe(String(spans.length));
    expect(await h.page.getByRole('note').count()).toBe(0);
  });

  it('a missing file is reported in words, and Retry recovers once it is back', async () => {
    // This test provokes one failed response on purpose; only that one is allowed.
    await h.page.route('**/data/findings.parquet', (route) =>
      route.fulfill({ status: 404, body: 'gone' }),
    );
    await h.page.goto(h.site.url);
    await h.page.waitForSelector('html[data-duckdb="error"]', { timeout: 60_000 });
    const alert = h.page.locator('.engine-error');
    await expect.poll(() => alert.textContent()).toContain('Could not download findings.parquet');
    expect(await alert.textContent()).toContain('404');
    await h.page.unroute('**/data/findings.parquet');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await h.page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
    await h.page.waitForSelector('[data-testid="stat-letters"]');
    const provoked = [
      `HTTP 404: ${h.site.url}data/findings.parquet`,
      'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ];
    for (const expected of provoked) {
      expect(h.problems).toContain(expected);
      h.problems.splice(h.problems.indexOf(expected), 1);
    }
  });
});
