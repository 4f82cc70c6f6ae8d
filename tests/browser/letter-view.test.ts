import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { TABLE_NAMES } from '@/core/schema';
import { buildLetterSpansSql, type LetterSpanRow } from '@/features/letter/letter-sql';
import { ROOT } from '../helpers/gold';
import { runIngest } from '../helpers/run-ingest';
import { runBuilt } from '../support/parquet-fixture';
import { useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

/**
 * No serious or critical axe-core violation in the page's main region, where the view is (the
 * header's controls belong to other views and are checked by their own tests).
 */
async function expectAxeClean(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('main').analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

/** Converter markup that must not reach the page. */
const MARKUP = /#|\*\*|__|<\/?[a-z][^>]*>|\f|\|/i;

/** The letter's text as shown (rendered text, so `<br>` is a line break). */
function bodyText(page: Page): Promise<string> {
  return page.locator('.letter-body').innerText();
}

/** The bundled letter with the most findings. */
async function biggestLetter(): Promise<{ letter_id: string; council_name: string }> {
  const [row] = await runBuilt<{ letter_id: string; council_name: string }>(h.db, {
    sql: 'SELECT letter_id, council_name FROM letters ORDER BY finding_count DESC, letter_id LIMIT 1',
    params: [],
  });
  return row!;
}

describe('the letter view', () => {
  it('opens a letter from the keyboard through the picker, its text free of markup', async () => {
    const target = await biggestLetter();
    const spans = await runBuilt<LetterSpanRow>(h.db, buildLetterSpansSql(target.letter_id));
    await h.open('?view=letter');
    const box = h.page.getByRole('combobox', { name: 'Find a letter' });
    await box.waitFor();
    await box.focus();
    await h.page.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    const listbox = h.page.getByRole('listbox', { name: 'Letters' });
    const all = await listbox.getByRole('option').count();
    expect(all).toBeGreaterThanOrEqual(5);
    await h.page.keyboard.type(target.council_name.slice(0, 6));
    await expect
      .poll(() => h.page.getByRole('status').filter({ hasText: 'match' }).textContent())
      .toMatch(/letters? match/);
    // The first match is in hand; the arrows move through the rest.
    const options = listbox.getByRole('option');
    const names = await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-letter')));
    const at = names.indexOf(target.letter_id);
    expect(at).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < at; i += 1) await h.page.keyboard.press('ArrowDown');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(await h.page.locator(`[id="${activeId}"]`).getAttribute('data-letter')).toBe(
      target.letter_id,
    );
    await expectAxeClean(h.page);
    await h.page.keyboard.press('Enter');

    await expect
      .poll(() => new URL(h.page.url()).searchParams.get('letter'))
      .toBe(target.letter_id);
    await h.page.locator('.letter-span').first().waitFor();
    expect(await h.page.locator('#letter-heading').textContent()).toContain(target.council_name);
    expect(await h.page.locator('.letter-span').count()).toBe(spans.length);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    // Still in the box, ready to look for another.
    expect(await h.page.evaluate(() => document.activeElement?.id)).toBe('letter-pick');
    const text = await bodyText(h.page);
    expect(text).not.toMatch(MARKUP);
    for (const span of spans) {
      const mark = h.page.locator(`.letter-span[data-finding="${span.finding_id}"] .span-text`);
      expect((await mark.innerText()).replace(/\s+/g, ' ').trim()).toBe(span.text);
    }
    await expectAxeClean(h.page);
  });

  it('finds a letter by its id, as the Add letters test and any script may', async () => {
    const target = await biggestLetter();
    await h.open('?view=letter');
    await h.page.fill('#letter-pick', target.letter_id);
    await h.page.press('#letter-pick', 'Enter');
    await expect
      .poll(() => new URL(h.page.url()).searchParams.get('letter'))
      .toBe(target.letter_id);
    await expect
      .poll(() => h.page.locator('#letter-heading').textContent())
      .toContain(target.council_name);
    // Its placeholder names the letter open.
    expect(await h.page.getAttribute('#letter-pick', 'placeholder')).toMatch(
      new RegExp(`^${target.council_name}, \\d+ \\w+ \\d{4}$`),
    );
  });

  it('follows a “Read it in the letter” link to the finding, scrolled to, focused and highlighted', async () => {
    const target = await biggestLetter();
    const spans = await runBuilt<LetterSpanRow>(h.db, buildLetterSpansSql(target.letter_id));
    // A finding far down the letter, so that landing on it means scrolling.
    const finding = [...spans].sort((a, b) => b.char_start - a.char_start)[1]!;
    await h.open(`?view=evidence&letter=${encodeURIComponent(target.letter_id)}`);
    const item = h.page.locator(`.evidence-item[data-finding="${finding.finding_id}"]`);
    await item.waitFor();
    await item.getByRole('link', { name: /Read it in the letter/ }).click();
    await h.page.waitForURL(/view=letter/);
    const url = new URL(h.page.url());
    expect(url.searchParams.get('letter')).toBe(target.letter_id);
    expect(url.searchParams.get('finding')).toBe(String(finding.position));
    const mark = h.page.locator(`#finding-${finding.position}`);
    await mark.waitFor();
    await expect.poll(() => mark.getAttribute('class')).toContain('focused');
    expect(await h.page.locator('.letter-span.focused').count()).toBe(1);
    await expect
      .poll(() => h.page.evaluate(() => document.activeElement?.getAttribute('data-finding')))
      .toBe(finding.finding_id);
    const inView = await mark.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    });
    expect(inView).toBe(true);
    expect(await h.page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expectAxeClean(h.page);
  });

  it('marks uncertain theme tags in words, with the confidence for screen readers', async () => {
    const [row] = await runBuilt<{ letter_id: string; n: number }>(h.db, {
      sql: `SELECT f.letter_id, count(*)::INTEGER AS n FROM finding_themes AS ft
        JOIN findings AS f USING (finding_id) WHERE ft.uncertain GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      params: [],
    });
    await h.open(`?view=letter&letter=${encodeURIComponent(row!.letter_id)}`);
    await h.page.locator('.letter-span').first().waitFor();
    const tags = h.page.locator('.span-theme.uncertain');
    expect(await tags.count()).toBe(row!.n);
    const first = tags.first();
    expect(await first.locator('.uncertain-flag').innerText()).toBe('uncertain');
    expect(await first.getAttribute('title')).toMatch(/confidence in this theme is 0\.\d\d of 1/);
  });

  describe('with the letters-more letters loaded beside the bundled ones', () => {
    const more = path.resolve(ROOT, '../shared/letters-more/files');
    let dir = '';

    beforeAll(() => {
      if (!existsSync(more)) return;
      dir = mkdtempSync(path.join(tmpdir(), 'letter-view-more-'));
      const run = runIngest(['--out', dir, 'data/letters', more]);
      if (run.status !== 0) throw new Error(`ingest exited ${run.status}: ${run.stderr}`);
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!existsSync(more))(
      'reads a markdown letter from a PDF-to-markdown converter cleanly',
      async () => {
        for (const table of TABLE_NAMES) {
          const body = readFileSync(path.join(dir, `${table}.parquet`));
          await h.page.route(`**/data/${table}.parquet`, (route) =>
            route.fulfill({ status: 200, contentType: 'application/octet-stream', body }),
          );
        }
        await h.open('?view=letter');
        const box = h.page.getByRole('combobox', { name: 'Find a letter' });
        await box.focus();
        await h.page.keyboard.type('leeds 2010');
        await expect
          .poll(() =>
            h.page
              .getByRole('listbox', { name: 'Letters' })
              .getByRole('option')
              .first()
              .getAttribute('data-letter'),
          )
          .toBe('leeds-2010-07-20');
        await h.page.keyboard.press('Enter');
        await h.page.locator('.letter-span').first().waitFor();
        expect(await h.page.locator('.letter-span').count()).toBe(16);
        const text = await bodyText(h.page);
        expect(text).not.toMatch(MARKUP);
        // The finding a page break cut in two reads as one.
        expect(text).toContain(
          'Too many describe the family’s circumstances without analysing the risks to the child'.replace(
            '’',
            "'",
          ),
        );
        expect(await h.page.locator('.letter-body h4').allInnerTexts()).toContain(
          'Areas for development',
        );
        await expectAxeClean(h.page);
        const shot = await h.screenshot('letter-more-leeds-2010');
        mkdirSync('/tmp', { recursive: true });
        await h.page.screenshot({ path: '/tmp/letter-view-leeds-2010.png', fullPage: true });
        expect(existsSync(shot)).toBe(true);
        await h.page.goto(`${h.site.url}?view=letter&letter=leeds-2010-07-20&finding=13`);
        await h.page.waitForSelector('html[data-duckdb="ready"]', { timeout: 60_000 });
        await h.page.locator('#finding-13.focused').waitFor();
        await h.page.screenshot({ path: '/tmp/letter-view-leeds-2010-finding-13.png' });
      },
    );
  });
});
