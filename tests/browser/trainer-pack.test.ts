import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildTrainerCouncilsSql,
  buildTrainerWeaknessesSql,
  type TrainerCouncilRow,
  type TrainersParams,
  type TrainerThemeRow,
} from '@/features/trainers/trainers-sql';
import { formatCount } from '@/lib/format';
import { pdfToText } from '../../scripts/lib/read-pdf';
import { runBuilt } from '../support/parquet-fixture';
import { expectedTrainerThemes, shownTrainerThemes } from '../support/trainer-themes';
import { SHOTS_DIR, useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

/** `expect.poll` with room for the engine to answer (its default is 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

const shownThemes = () => shownTrainerThemes(h.page);
const expectedThemes = expectedTrainerThemes;

/** The pack the same settings make in node-api's DuckDB over the same Parquet files. */
function expected(params: Omit<TrainersParams, 'filters'>): Promise<TrainerThemeRow[]> {
  return runBuilt<TrainerThemeRow>(h.db, buildTrainerWeaknessesSql({ filters: {}, ...params }));
}

/** Waits until the page shows exactly the pack node-api's DuckDB gives for `params`. */
async function expectPack(params: Omit<TrainersParams, 'filters'>): Promise<TrainerThemeRow[]> {
  const rows = await expected(params);
  expect(rows.length, JSON.stringify(params)).toBeGreaterThan(0);
  await poll(shownThemes).toEqual(expectedThemes(rows));
  return rows;
}

const packLine = () => h.page.getByTestId('trainers-pack').textContent();

describe('trainer pack controls', () => {
  it('builds a pack of the first themes, so many quotes, one section and some councils, each kept in the URL', async () => {
    await h.open('?view=trainers');
    const all = await expectPack({});
    const quotesOf = (rows: readonly TrainerThemeRow[]) =>
      rows.reduce((n, r) => n + r.quotes.length, 0);
    expect(await packLine()).toBe(
      `Built from areas for development and for priority action; every council; every theme raised; up to 3 quotes per theme. Holds ${formatCount(all.length)} themes and ${formatCount(quotesOf(all))} quotes, from ${formatCount(all[0]!.letters_total)} inspections.`,
    );

    // How many themes.
    await h.page.getByLabel('Themes', { exact: true }).selectOption('5');
    await h.page.waitForURL((url) => url.searchParams.get('top') === '5');
    const top = await expectPack({ top: 5 });
    expect(top).toHaveLength(5);
    expect(await packLine()).toContain(`the first 5 themes of ${formatCount(all.length)} raised`);

    // How many quotes: one each.
    await h.page.getByLabel('Quotes per theme').selectOption('1');
    await h.page.waitForURL((url) => url.searchParams.get('quotes') === '1');
    const oneQuote = await expectPack({ top: 5, quotes: 1 });
    expect(oneQuote.every((r) => r.quotes.length === 1)).toBe(true);
    expect(await packLine()).toContain('up to 1 quote per theme. Holds 5 themes and 5 quotes');

    // Which sections: priority action only; the last one left cannot be unticked.
    const development = h.page.getByRole('checkbox', { name: 'Areas for development' });
    const priority = h.page.getByRole('checkbox', { name: 'Areas for priority action' });
    await development.uncheck();
    await h.page.waitForURL((url) => url.searchParams.get('sections') === 'priority_action');
    const priorityOnly = await expectPack({ top: 5, quotes: 1, sections: ['priority_action'] });
    expect(
      priorityOnly.flatMap((r) => r.quotes).every((q) => q.section === 'priority_action'),
    ).toBe(true);
    expect(await packLine()).toContain('Built from areas for priority action only;');
    await priority.click();
    expect(await priority.isChecked()).toBe(true);
    expect(new URL(h.page.url()).searchParams.get('sections')).toBe('priority_action');

    // Which councils: the two with the most priority-action findings, ticked in the list.
    const councils = await runBuilt<TrainerCouncilRow>(h.db, buildTrainerCouncilsSql());
    const ranked = await runBuilt<{ council_name: string }>(h.db, {
      sql: `SELECT l.council_name FROM findings AS f JOIN letters AS l USING (letter_id)
        WHERE f.section = 'priority_action' GROUP BY l.council_name
        ORDER BY count(*) DESC, l.council_name LIMIT 2`,
      params: [],
    });
    const chosen = ranked.map((r) => councils.find((c) => c.council_name === r.council_name)!);
    await h.page.locator('.trainers-councils summary').click();
    const find = h.page.getByLabel('Find a council or region');
    for (const council of chosen) {
      await find.fill(council.council_name);
      await h.page
        .locator('.trainers-councils-list')
        .getByRole('checkbox', { name: council.council_name, exact: false })
        .first()
        .check();
    }
    const refs = chosen.map((c) => String(c.dfe_la_code));
    await h.page.waitForURL((url) => url.searchParams.get('councils') === refs.join(','));
    const names = chosen.map((c) => c.council_name);
    const pack = { top: 5, quotes: 1, sections: ['priority_action' as const], councils: names };
    const ofCouncils = await expectPack(pack);
    expect(ofCouncils.flatMap((r) => r.quotes).every((q) => names.includes(q.council_name))).toBe(
      true,
    );
    expect(ofCouncils[0]!.letters_total).toBe(
      councils.filter((c) => names.includes(c.council_name)).reduce((n, c) => n + c.letters, 0),
    );
    expect(await packLine()).toContain(`2 councils only (${names[0]} and ${names[1]})`);
    await h.expectNoSeriousAxeViolations();

    // Reload, and the same link opened afresh: the same pack.
    const link = h.page.url();
    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await poll(shownThemes).toEqual(expectedThemes(ofCouncils));
    expect(await h.page.getByLabel('Themes', { exact: true }).inputValue()).toBe('5');
    expect(await h.page.getByLabel('Quotes per theme').inputValue()).toBe('1');
    expect(await development.isChecked()).toBe(false);
    expect(await h.page.locator('.trainers-councils summary').textContent()).toBe(
      `Councils: ${names.join(', ')}`,
    );

    // The CSV takes as many quotes as the pack: one.
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = join(SHOTS_DIR, 'trainer-pack.csv');
    await download.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    expect(csv).toContain(
      'Rank,Theme,Group,Inspections raising it,Inspections,Share of inspections,Weakness findings,of which priority action,Quote 1,Quote 1 source,Quote 1 citation,Data version',
    );
    expect(csv).not.toContain('Quote 2');

    // Back to the default pack: nothing of it is left in the URL.
    await h.page.goto(link.replace(/[?&](top|quotes|sections|councils)=[^&]*/g, ''));
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await poll(shownThemes).toEqual(expectedThemes(all));
  }, 240_000);

  it('says in the printed pack what it was built from: filters, settings, counts, data and day', async () => {
    const year = (
      await runBuilt<{ y: string }>(h.db, {
        sql: 'SELECT min(reporting_year) AS y FROM letters',
        params: [],
      })
    )[0]!.y;
    await h.open(`?view=trainers&year=${year}&top=3&quotes=2`);
    const rows = await runBuilt<TrainerThemeRow>(
      h.db,
      buildTrainerWeaknessesSql({ filters: { year }, top: 3, quotes: 2 }),
    );
    expect(rows).toHaveLength(3);
    await poll(shownThemes).toEqual(expectedThemes(rows));
    await h.page.emulateMedia({ media: 'print' });
    for (const shown of ['trainers-filters', 'trainers-pack', 'trainers-made']) {
      expect(await h.page.getByTestId(shown).isVisible(), shown).toBe(true);
    }
    expect(await h.page.getByTestId('trainers-pack-controls').isVisible()).toBe(false);
    const pdf = await h.page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SHOTS_DIR, 'trainer-pack.pdf'), pdf);
    const text = (await pdfToText(new Uint8Array(pdf))).replace(/\s+/g, ' ');
    expect(text).toContain(`Covers reporting year ${year}.`);
    expect(text).toContain(`the first 3 themes of`);
    expect(text).toContain('up to 2 quotes per theme');
    expect(text).toContain(`Holds ${rows.length} themes and`);
    expect(text).toMatch(/Made on \d{1,2} \w+ \d{4} from data contract [\d.]+/);
    for (const row of rows) expect(text).toContain(row.label);
  });

  for (const width of [1400, 390]) {
    it(`is axe-clean with the council list open at ${width} px`, async () => {
      await h.page.setViewportSize({ width, height: 900 });
      // At 390 px, a pack without quotes: the themes and their figures alone.
      const quotes = width === 390 ? 0 : 3;
      await h.open(`?view=trainers&top=5&sections=development${quotes === 0 ? '&quotes=0' : ''}`);
      await h.page.locator('.trainer-theme').first().waitFor();
      await expectPack({ top: 5, sections: ['development'], quotes });
      if (quotes === 0) {
        expect(await h.page.locator('.trainer-quote').count()).toBe(0);
        expect(await packLine()).toContain('; no quotes. Holds 5 themes and 0 quotes');
      }
      await h.page.locator('.trainers-councils summary').click();
      await h.page.locator('.trainers-councils-list input').first().waitFor();
      await h.expectNoSeriousAxeViolations();
      await h.screenshot(`trainer-pack-${width}`);
    });
  }
});
