import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { encodeSavedThemes, userThemeIds, type SavedTheme } from '@/core/search/saved-themes';
import { SearchEngine } from '@/lib/search/search-engine';
import { buildSearchFindingsSql, type SearchFindingRow } from '@/lib/search/search-rows';
import { runBuilt } from '../support/parquet-fixture';
import { newWatchedPage, openView, useBrowserHarness } from '../support/browser-harness';
import { nav, overviewBar } from '../support/page-parts';

// Saved themes (a search saved under a name) counted in every view, against independent counts
// made by node-api DuckDB over the Parquet files the site serves; their link in a fresh browser;
// importing a bad file; findings like this; search when its worker fails.

const h = useBrowserHarness();
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

const TAXONOMY_IDS = new Set(defaultTaxonomy.themes.map((t) => t.id));
const idOf = (theme: SavedTheme) => userThemeIds([theme], TAXONOMY_IDS)[0]!;

/** A regexp over lower(text) as DuckDB reads it: the words the saved search matches. */
const RECORDS = `regexp_matches(lower(f.text), '\\brecord')`;
const DV = `(regexp_matches(lower(f.text), '\\bdomestic violence\\b') OR regexp_matches(lower(f.text), '\\bnotification'))`;
const WEAK = `f.section IN ('development', 'priority_action')`;

async function read(sql: string): Promise<Record<string, unknown>[]> {
  return (await h.db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The share of letters raising the theme as a weakness, as the overview's chart gives it. */
async function weaknessShare(where: string): Promise<number> {
  const [row] = await read(`
    SELECT (SELECT count(DISTINCT f.letter_id) FROM findings AS f WHERE ${where} AND ${WEAK})
      / (SELECT count(*) FROM letters) AS share`);
  return Number(row!.share);
}

async function themesApplied(page: Page): Promise<void> {
  await page.waitForSelector('html[data-saved-themes="applied"]', {
    state: 'attached',
    timeout: 60_000,
  });
}

describe('saved themes', { timeout: 180_000 }, () => {
  it('saves a search from the keyboard and counts it in the overview, heatmap and evidence as DuckDB does', async () => {
    const theme: SavedTheme = { name: 'Records talk', query: 'record*' };
    const id = idOf(theme);
    const LABEL = 'Records talk (yours)';
    const page = h.page;
    await h.open(`?view=search&q=${encodeURIComponent(theme.query)}`);
    await page.getByTestId('search-total').waitFor({ timeout: 60_000 });
    const name = page.getByLabel(`Save the search “${theme.query}” as a theme named`);
    await name.focus();
    await page.keyboard.type(theme.name);
    await page.keyboard.press('Enter');
    await poll(() =>
      page.getByTestId('saved-themes-entry').locator('summary').textContent(),
    ).toMatch(/^1 theme of yours/);
    await themesApplied(page);
    await poll(() => page.getByTestId('save-theme').textContent()).toContain(
      'Saved: “Records talk (yours)” now counts',
    );
    expect(new URL(page.url()).searchParams.get('mine')).toBe(encodeSavedThemes([theme]));
    await h.expectNoSeriousAxeViolations();

    // The overview: the share of letters raising it as a weakness.
    await nav(page, 'Overview');
    const share = await weaknessShare(RECORDS);
    expect(share).toBeGreaterThan(0);
    await poll(() => overviewBar(page, 'Records talk (yours)')).toBe(String(share));
    expect(new URL(page.url()).searchParams.get('mine')).toBe(encodeSavedThemes([theme]));

    // Council × theme: each council's weakness findings.
    await nav(page, 'Council × theme');
    const expected = Object.fromEntries(
      (
        await read(`
          SELECT l.council_name, count(*) FILTER (WHERE ${RECORDS} AND ${WEAK})::INTEGER AS n
          FROM findings AS f JOIN letters AS l USING (letter_id) GROUP BY ALL`)
      ).map((r) => [String(r.council_name), String(r.n)]),
    );
    const cells = () =>
      page.evaluate(
        (theme) =>
          Object.fromEntries(
            [...document.querySelectorAll(`button.heatmap-cell[data-theme="${theme}"]`)].map(
              (b) => [b.getAttribute('data-council'), b.getAttribute('data-count')],
            ),
          ),
        id,
      );
    await poll(cells).toEqual(expected);
    expect(await page.locator('.heatmap thead').textContent()).toContain('Records talk (yours)');

    // Evidence: every finding it matches, its matched words as the tag's evidence.
    await nav(page, 'Evidence');
    await page.locator('#evidence-theme').selectOption(id);
    const [count] = await read(`SELECT count(*)::INTEGER AS n FROM findings AS f WHERE ${RECORDS}`);
    await poll(() => page.getByTestId('evidence-count').getAttribute('data-value')).toBe(
      String(count!.n),
    );
    const tag = page.locator(`.theme-tag[data-theme="${id}"]`).first();
    expect(await tag.textContent()).toMatch(/^Records talk \(yours\) — “record/i);
    expect(
      (await page.locator('.evidence-text mark').first().textContent())?.toLowerCase(),
    ).toMatch(/^record/);

    // Chosen or counted in the other views too.
    const shows = (where: string) => async () => {
      const options = await page.locator(`${where} option`).allTextContents();
      const text = (await page.locator('main').textContent()) ?? '';
      return options.some((o) => o.includes(LABEL)) || text.includes(LABEL);
    };
    for (const [view, where] of [
      ['Themes over time', 'main'],
      ['Co-occurrence', 'main'],
      ['Theme ranking', '#ranking-theme'],
    ] as const) {
      await nav(page, view);
      await poll(shows(where)).toBe(true);
    }
    await nav(page, 'Compare councils');
    await page
      .getByRole('button', { name: /^Compare / })
      .first()
      .click();
    await poll(shows('main')).toBe(true);
    const [council] = await read(`
      SELECT l.council_name FROM findings AS f JOIN letters AS l USING (letter_id)
      WHERE ${RECORDS} AND ${WEAK} ORDER BY 1 LIMIT 1`);
    await nav(page, 'Council profile');
    await page
      .getByRole('link', { name: String(council!.council_name), exact: true })
      .first()
      .click();
    await poll(shows('main')).toBe(true);

    // The link, opened in a fresh browser (no storage), shows the same figures.
    const url = page.url();
    const fresh = await newWatchedPage(h.browser);
    try {
      const target = new URL(url);
      target.searchParams.set('view', 'overview');
      await openView(fresh.page, h.site, target.search);
      await themesApplied(fresh.page);
      await poll(() => overviewBar(fresh.page, 'Records talk (yours)')).toBe(String(share));
      await poll(() => fresh.page.getByTestId('saved-themes-from-link').count()).toBe(1);
      expect(await fresh.page.evaluate(() => localStorage.length)).toBe(0);
    } finally {
      expect(await fresh.close()).toEqual([]);
    }
  });

  it('shows hostile names and searches from a link as plain text, counted right, and keeps them on request', async () => {
    const theme: SavedTheme = {
      name: `<img src=x onerror="window.__pwned=1">'); DROP TABLE themes;-- "Q" 50%|a:b`,
      query: `"domestic violence" OR notification*`,
    };
    await h.open(`?view=overview&mine=${encodeURIComponent(encodeSavedThemes([theme]))}`);
    await themesApplied(h.page);
    const label = `${theme.name} (yours)`;
    await poll(() => overviewBar(h.page, label)).toBe(String(await weaknessShare(DV)));
    expect(await h.page.locator('img[src="x"]').count()).toBe(0);
    expect(await h.page.evaluate(() => 'pwned' in window || '__pwned' in window)).toBe(false);
    // The page's own tables are whole: the theme is one row among the taxonomy's.
    await h.page.getByTestId('saved-themes-entry').locator('summary').click();
    const entry = h.page.getByTestId('saved-themes-entry');
    expect(await entry.getByTestId('saved-themes-list').textContent()).toContain(theme.name);
    await entry.getByRole('button', { name: 'Keep it in this browser' }).click();
    await poll(() => entry.getByTestId('saved-themes-from-link').count()).toBe(0);
    const stored = await h.page.evaluate(() =>
      localStorage.getItem('front-door-dashboard:saved-themes'),
    );
    expect(JSON.parse(stored!)).toEqual({ version: 1, themes: [theme] });
    // Reopened without the parameter: the stored list comes back, and into the URL; its tags
    // are never uncertain, so leaving uncertain tags out (the sure_ tables) keeps them all.
    await h.open('?view=overview&tags=sure');
    await themesApplied(h.page);
    expect(new URL(h.page.url()).searchParams.get('mine')).toBe(encodeSavedThemes([theme]));
    await poll(() => overviewBar(h.page, label)).toBe(String(await weaknessShare(DV)));
    await h.expectNoSeriousAxeViolations();
  });

  it('opens on stored themes with no stale figure ever shown, from a themes.parquet written before 1.4', async () => {
    // themes.parquet as a 1.3 writer wrote it: without the user_defined column.
    const dir = mkdtempSync(join(tmpdir(), 'themes-1-3-'));
    try {
      const file = join(dir, 'themes.parquet');
      await h.db.run(
        `COPY (SELECT theme_id, label, group_label, description, taxonomy_version FROM themes)
         TO '${file}' (FORMAT parquet)`,
      );
      const body = readFileSync(file);
      await h.page.route('**/data/themes.parquet', (route) =>
        route.fulfill({ status: 200, contentType: 'application/vnd.apache.parquet', body }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const theme: SavedTheme = { name: 'Records talk', query: 'record*' };
    // Stored in this browser before the page loads; every state of the overview's weakness chart
    // that could be painted is noted: whether it holds the saved theme.
    await h.page.addInitScript(
      (stored: string) => {
        localStorage.setItem('front-door-dashboard:saved-themes', stored);
        const seen: boolean[] = [];
        (window as unknown as { __weaknessCharts: boolean[] }).__weaknessCharts = seen;
        const check = () => {
          const panel = [...document.querySelectorAll('section.panel')].find(
            (p) =>
              p.getClientRects().length > 0 &&
              p.textContent?.includes('Themes most often raised as weaknesses'),
          );
          const rows = [...(panel?.querySelectorAll('.bar-chart-category') ?? [])];
          if (rows.length > 0) seen.push(rows.some((r) => r.textContent?.includes('(yours)')));
        };
        new MutationObserver(check).observe(document, { childList: true, subtree: true });
        document.addEventListener('DOMContentLoaded', check);
      },
      JSON.stringify({ version: 1, themes: [theme] }),
    );
    await h.open('');
    await themesApplied(h.page);
    await poll(() => overviewBar(h.page, 'Records talk (yours)')).toBe(
      String(await weaknessShare(RECORDS)),
    );
    expect(new URL(h.page.url()).searchParams.get('mine')).toBe(encodeSavedThemes([theme]));
    const charts = await h.page.evaluate(
      () => (window as unknown as { __weaknessCharts: boolean[] }).__weaknessCharts,
    );
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.filter((withTheme) => !withTheme)).toEqual([]);
  });

  it('refuses a bad file with the reason and changes nothing; imports a good one', async () => {
    await h.open('?view=search');
    const entry = h.page.getByTestId('saved-themes-entry');
    await entry.locator('summary').click();
    const input = entry.locator('input[type="file"]');
    const taken = defaultTaxonomy.themes[0]!.label;
    const before = h.page.url();
    for (const [name, body, reason] of [
      ['broken.json', '{"version": 1, "themes": [', /broken\.json .* it is not JSON/],
      [
        'other.json',
        '{"format":"ucra-corrections","version":1,"corrections":[]}',
        /fields a saved-themes file has not \(format, corrections\)/,
      ],
      [
        'clash.json',
        JSON.stringify({ version: 1, themes: [{ name: taken.toUpperCase(), query: 'late' }] }),
        /is taken by the taxonomy's theme/,
      ],
      [
        'query.json',
        JSON.stringify({ version: 1, themes: [{ name: 'Late', query: 'late OR' }] }),
        /cannot be read: "OR" needs a word or phrase after it/,
      ],
    ] as const) {
      await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
      const message = entry.getByTestId('saved-themes-message');
      await poll(() => message.textContent()).toMatch(reason);
      expect(await message.textContent()).toMatch(/Nothing was changed\.$/);
      expect(await message.getAttribute('role')).toBe('alert');
      expect(h.page.url()).toBe(before);
      expect(await entry.getByTestId('saved-themes-list').count()).toBe(0);
    }
    const good: SavedTheme = { name: 'Late', query: 'late OR delay*' };
    await input.setInputFiles({
      name: 'good.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 1, themes: [good] })),
    });
    await poll(() => entry.getByTestId('saved-themes-message').textContent()).toBe(
      '1 saved theme added from good.json.',
    );
    await themesApplied(h.page);
    const [row] = await read(`
      SELECT count(*)::INTEGER AS n FROM findings AS f
      WHERE regexp_matches(lower(f.text), '\\blate\\b') OR regexp_matches(lower(f.text), '\\bdelay')`);
    await poll(() => entry.getByTestId('saved-themes-list').textContent()).toContain(
      `${row!.n} findings`,
    );
    expect(new URL(h.page.url()).searchParams.get('mine')).toBe(encodeSavedThemes([good]));
    await h.expectNoSeriousAxeViolations();
  });
});

describe('findings like this', { timeout: 180_000 }, () => {
  it('lists the findings most like one, with the words they share, as the search engine ranks them', async () => {
    const engine = new SearchEngine();
    engine.loadRows(await runBuilt<SearchFindingRow>(h.db, buildSearchFindingsSql()));
    await h.open('?view=evidence');
    const first = h.page.locator('.evidence-item').first();
    await first.waitFor({ timeout: 60_000 });
    const findingId = (await first.getAttribute('data-finding'))!;
    const button = first.getByRole('button', { name: 'Findings like this' });
    await button.focus();
    await h.page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const panel = first.getByTestId('similar-findings');
    await poll(() => panel.locator('.similar-list > li').count()).toBeGreaterThan(0);
    const expected = engine.answer({ type: 'similar', findingId, limit: 10 }).value;
    if (!('found' in expected) || !expected.found) throw new Error('not found in Node');
    const shown = await panel
      .locator('.similar-list > li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-finding')));
    expect(shown).toEqual(expected.matches.map((m) => m.row.finding_id));
    const top = expected.matches[0]!;
    const item = panel.locator('.similar-list > li').first();
    expect(await item.locator('.similar-meta').textContent()).toContain(top.row.council_name);
    expect(await item.locator('.similar-meta').textContent()).toContain(top.row.reporting_year);
    expect(await item.getByTestId('similar-shared').textContent()).toContain(
      top.shared.slice(0, 3).join(', '),
    );
    expect(await item.locator('mark').count()).toBeGreaterThan(0);
    await h.expectNoSeriousAxeViolations();

    // In the search results and in the letter view too.
    await h.open(`?view=search&q=timescales`);
    const result = h.page.locator('.evidence-item').first();
    await result.waitFor({ timeout: 60_000 });
    await result.getByRole('button', { name: /Findings like this/ }).click();
    await poll(() => result.locator('.similar-list > li').count()).toBeGreaterThan(0);
    const [letter] = await read(
      'SELECT letter_id, position FROM findings ORDER BY finding_id LIMIT 1',
    );
    await h.open(
      `?view=letter&letter=${String(letter!.letter_id)}&finding=${String(letter!.position)}`,
    );
    const actions = h.page.getByTestId('letter-finding-actions');
    await actions.getByRole('button', { name: 'Findings like this' }).click();
    await poll(() => actions.locator('.similar-list > li').count()).toBeGreaterThan(0);
  });
});

describe('search in a worker', { timeout: 180_000 }, () => {
  it('builds and queries the index in a worker, and in the page when the worker fails', async () => {
    await h.open('?view=search&q=timescales');
    await h.page.getByTestId('search-total').waitFor({ timeout: 60_000 });
    expect(await h.page.getAttribute('html', 'data-search-index')).toBe('worker');
    const total = await h.page.getByTestId('search-total').textContent();

    const broken = await newWatchedPage(h.browser);
    try {
      await broken.context.route('**/search-worker*.js', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/javascript',
          body: 'throw new Error("this worker does not start");',
        }),
      );
      await openView(broken.page, h.site, '?view=search&q=timescales');
      await broken.page.getByTestId('search-total').waitFor({ timeout: 60_000 });
      expect(await broken.page.getAttribute('html', 'data-search-index')).toBe('page');
      expect(await broken.page.getByTestId('search-total').textContent()).toBe(total);
      expect(await broken.page.getByTestId('search-in-page').count()).toBe(1);
    } finally {
      expect(await broken.close()).toEqual([]);
    }
  });
});
