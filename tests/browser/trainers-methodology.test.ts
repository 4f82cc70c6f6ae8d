import { citation, provenanceLine } from '@/lib/citation';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAccuracy } from '@/core/accuracy';
import { formatCount, formatPercent } from '@/lib/format';
import { buildTrainerWeaknessesSql, type TrainerThemeRow } from '@/features/trainers/trainers-sql';
import {
  buildCaveatsSql,
  buildTaxonomySql,
  type CaveatsRow,
  type TaxonomyRow,
} from '@/features/methodology/methodology-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { measureAccuracyFile } from '../helpers/measure-accuracy';
import { runBuilt } from '../support/parquet-fixture';
import { expectedTrainerThemes, shownTrainerThemes } from '../support/trainer-themes';
import { SHOTS_DIR, useBrowserHarness } from '../support/browser-harness';
import { withoutCsvNotes } from '../support/csv-export';

const h = useBrowserHarness();

const shownThemes = () => shownTrainerThemes(h.page);
const expectedThemes = expectedTrainerThemes;

describe('common weaknesses for trainers', () => {
  it('ranks the themes and quotes them exactly as the same query in node-api', async () => {
    await h.open('?view=trainers');
    const rows = await runBuilt<TrainerThemeRow>(h.db, buildTrainerWeaknessesSql({ filters: {} }));
    await h.page.waitForSelector('.trainer-theme');
    expect(await shownThemes()).toEqual(expectedThemes(rows));
    expect(await h.page.getAttribute('[data-testid="trainers-count"]', 'data-value')).toBe(
      String(rows.length),
    );
    const first = h.page.locator('.trainer-theme').first();
    expect(await first.locator('[data-testid="trainer-share"]').textContent()).toBe(
      `Raised in ${formatCount(rows[0]!.letters_with_theme)} of ${formatCount(rows[0]!.letters_total)} inspections (${formatPercent(rows[0]!.share)})`,
    );
    expect(await first.locator('blockquote').first().textContent()).toBe(rows[0]!.quotes[0]!.text);
    // Each quote says where it comes from, as the citation module puts it.
    expect(await first.locator('figcaption').first().textContent()).toContain(
      provenanceLine({ ...rows[0]!.quotes[0]! }),
    );
    expect(await h.page.getByTestId('trainers-made').textContent()).toMatch(
      /^Made on \d{1,2} \w+ \d{4} from data contract [\d.]+ · taxonomy \w+ · data [0-9a-f]{12}/,
    );
    expect(await h.page.locator('.trainer-quote mark').count()).toBeGreaterThan(0);
    await h.expectNoSeriousAxeViolations();
    await h.screenshot('trainers');
  });

  it('exports the ranked list with its quotes as CSV, and prints from its button', async () => {
    await h.open('?view=trainers');
    const rows = await runBuilt<TrainerThemeRow>(h.db, buildTrainerWeaknessesSql({ filters: {} }));
    await h.page.waitForSelector('.trainer-theme');
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('trainers_common-weaknesses.csv');
    const path = join(SHOTS_DIR, 'common-weaknesses.csv');
    await download.saveAs(path);
    // After the notes every CSV opens with (tests/browser/exports.test.ts): the header row.
    const lines = withoutCsvNotes(readFileSync(path, 'utf8')).split('\r\n');
    expect(lines[0]).toBe(
      'Rank,Theme,Group,Inspections raising it,Inspections,Share of inspections,Weakness findings,of which priority action,Quote 1,Quote 1 source,Quote 2,Quote 2 source,Quote 3,Quote 3 source,Quote 1 citation,Quote 2 citation,Quote 3 citation,Data version',
    );
    expect(lines.filter(Boolean)).toHaveLength(rows.length + 1);
    const top = rows[0]!;
    expect(lines[1]).toContain(`1,${top.label},${top.group_label},${top.letters_with_theme},`);
    const firstQuote = top.quotes[0]!;
    expect(lines[1]).toContain(
      firstQuote.text.includes(',') ? `"${firstQuote.text}"` : firstQuote.text,
    );
    expect(lines[1]).toContain(provenanceLine({ ...firstQuote }));
    expect(lines[1]).toContain(citation({ ...firstQuote }));
    expect(lines[1]).toMatch(
      /Data: contract [\d.]+ · taxonomy \w+ · data [0-9a-f]{12}, built \d{4}-\d{2}-\d{2}/,
    );

    await h.page.evaluate(() => {
      const w = window as unknown as { printCalls: number };
      w.printCalls = 0;
      window.print = () => {
        w.printCalls += 1;
      };
    });
    await h.page.getByRole('button', { name: 'Print / save as PDF' }).click();
    expect(
      await h.page.evaluate(() => (window as unknown as { printCalls: number }).printCalls),
    ).toBe(1);
  });

  it('prints as a handout: no navigation or filters, every theme and every quote, on A4', async () => {
    await h.open('?view=trainers');
    const rows = await runBuilt<TrainerThemeRow>(h.db, buildTrainerWeaknessesSql({ filters: {} }));
    await h.page.waitForSelector('.trainer-theme');
    await h.page.emulateMedia({ media: 'print' });
    for (const hidden of [
      '.site-nav',
      '.filter-bar',
      '.trainers .pickers',
      '.panel-tools',
      '.site-footer',
      '.engine-status',
    ]) {
      expect(await h.page.locator(hidden).first().isVisible(), hidden).toBe(false);
    }
    expect(await h.page.locator('.trainer-letter-link').first().isVisible()).toBe(false);
    const quotes = h.page.locator('.trainer-quote');
    const total = rows.reduce((n, r) => n + r.quotes.length, 0);
    expect(await quotes.count()).toBe(total);
    const visible = await quotes.evaluateAll(
      (figures) =>
        figures.filter((f) => {
          const box = f.getBoundingClientRect();
          return box.width > 0 && box.height > 0 && getComputedStyle(f).visibility !== 'hidden';
        }).length,
    );
    expect(visible).toBe(total);
    expect(await h.page.locator('.trainer-theme').count()).toBe(rows.length);
    expect(await h.page.locator('[data-testid="trainers-filters"]').isVisible()).toBe(true);
    await h.screenshot('trainers-print');
    const pdf = await h.page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SHOTS_DIR, 'trainers-handout.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 is 595.28 × 841.89 points; the page size comes from the view's @page rule.
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Number(box?.[1])).toBeCloseTo(595.28, 0);
    expect(Number(box?.[2])).toBeCloseTo(841.89, 0);
  });

  it('narrows to a theme group from the picker, kept in the URL, and links each theme to its evidence', async () => {
    await h.open('?view=trainers');
    await h.page.waitForSelector('.trainer-theme');
    const all = await runBuilt<TrainerThemeRow>(h.db, buildTrainerWeaknessesSql({ filters: {} }));
    const group = all[1]!.group_label;
    await expect.poll(() => h.page.locator('#trainers-group option').count()).toBeGreaterThan(1);
    await h.page.selectOption('#trainers-group', group);
    await expect.poll(() => new URL(h.page.url()).searchParams.get('group')).toBe(group);
    const rows = await runBuilt<TrainerThemeRow>(
      h.db,
      buildTrainerWeaknessesSql({ filters: {}, group }),
    );
    await expect.poll(shownThemes).toEqual(expectedThemes(rows));

    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await h.page.waitForSelector('.trainer-theme');
    expect(await h.page.inputValue('#trainers-group')).toBe(group);

    const target = rows[0]!;
    await h.page.locator(`.trainer-theme[data-theme="${target.theme_id}"] h3 a`).click();
    await h.page.waitForURL(/view=evidence/);
    const url = new URL(h.page.url());
    expect(url.searchParams.get('theme')).toBe(target.theme_id);
    expect(url.searchParams.get('section')).toBe('weakness');
    const evidence = await runBuilt<EvidenceRow>(
      h.db,
      buildEvidenceSql({ filters: { section: 'weakness' }, theme: target.theme_id }),
    );
    expect(evidence).toHaveLength(target.weakness_findings);
    await expect
      .poll(() => h.page.getAttribute('[data-testid="evidence-count"]', 'data-value'))
      .toBe(String(target.weakness_findings));
  });
});

describe('methodology', () => {
  it('shows the taxonomy, the accuracy file’s figures and the caveats computed from the data', async () => {
    // Whether the site under test holds accuracy.json depends on how it was built: serve what
    // the build's accuracy step writes, so that the page reads exactly that file's shape.
    const measuredFile = measureAccuracyFile();
    const measured = parseAccuracy(measuredFile);
    await h.page.route('**/data/accuracy.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', json: measuredFile }),
    );
    await h.open('?view=methodology');
    const taxonomy = await runBuilt<TaxonomyRow>(h.db, buildTaxonomySql());
    const [caveats] = await runBuilt<CaveatsRow>(h.db, buildCaveatsSql());
    await h.page.waitForSelector('.taxonomy-group');
    expect(await h.page.locator('.taxonomy-group').count()).toBe(
      new Set(taxonomy.map((t) => t.group_label)).size,
    );
    const cells = await h.page
      .locator('.taxonomy-group tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
      );
    expect(cells).toEqual(
      taxonomy.map((t) => [
        t.label,
        t.theme_id,
        t.description,
        String(t.findings_tagged),
        String(t.findings_central),
      ]),
    );
    expect(await h.page.textContent('[data-testid="accuracy-f1"]')).toBe(
      formatPercent(measured.theme_f1),
    );
    expect(await h.page.locator('#method-accuracy + p').textContent()).toContain(
      `against ${formatCount(measured.gold_findings)} findings that a person read and tagged`,
    );
    expect(await h.page.textContent('[data-testid="accuracy-precision"]')).toBe(
      formatPercent(measured.theme_precision),
    );
    expect(await h.page.textContent('[data-testid="accuracy-matched"]')).toBe(
      formatPercent(measured.matched_findings / measured.gold_findings),
    );
    // The figures that count: on letters kept back from tuning, theme by theme, with labels.
    expect(await h.page.textContent('[data-testid="accuracy-kept-f1"]')).toBe(
      formatPercent(measured.kept_back!.theme_f1),
    );
    const keptBackRows = h.page
      .locator('[data-testid="accuracy-kept-back"] table')
      .filter({ hasText: 'Each theme on the letters kept back from tuning' })
      .locator('tbody tr');
    expect(await keptBackRows.count()).toBe(measured.kept_back!.per_theme.length);
    const labels = new Map(taxonomy.map((t) => [t.theme_id, t.label]));
    expect(await keptBackRows.locator('th').allTextContents()).toEqual(
      measured.kept_back!.per_theme.map((t) => labels.get(t.theme_id)),
    );
    // The second unseen figure: a separate author's findings, never tuned on.
    expect(await h.page.textContent('[data-testid="accuracy-held-out-f1"]')).toBe(
      formatPercent(measured.held_out!.theme_f1),
    );
    // How sure each tag is: sure and uncertain tags against the hand tags, on each side.
    const confidence = h.page.locator('[data-testid="accuracy-confidence"] tbody tr');
    expect(await confidence.count()).toBe(4);
    expect(await confidence.first().textContent()).toContain(
      String(measured.kept_back!.confidence!.sure.tags),
    );
    const councils = h.page.locator('[data-testid="caveat-councils"]');
    expect(await councils.getAttribute('data-value')).toBe(String(caveats!.councils_covered));
    expect(await councils.textContent()).toContain(
      `${caveats!.councils_covered} of the ${caveats!.councils_total} councils`,
    );
    expect(await h.page.getAttribute('[data-testid="caveat-years"]', 'data-value')).toBe(
      caveats!.years.map((y) => y.reporting_year).join(','),
    );
    await h.expectNoSeriousAxeViolations();
    await h.screenshot('methodology');
  });

  it('says "not measured in this build" when the build wrote no accuracy file', async () => {
    await h.page.route('**/data/accuracy.json', (route) =>
      route.fulfill({ status: 404, body: 'not found' }),
    );
    await h.open('?view=methodology');
    await h.page.waitForSelector('[data-testid="accuracy-missing"]');
    expect(await h.page.textContent('[data-testid="accuracy-missing"]')).toMatch(
      /^Not measured in this build\./,
    );
    expect(await h.page.locator('[data-testid="accuracy-f1"]').count()).toBe(0);
    await h.page.waitForSelector('[data-testid="caveat-councils"]');
    // The 404 is the point of this test; only it, and the console line Chromium logs for it, are allowed.
    const provoked = [
      `HTTP 404: ${h.site.url}data/accuracy.json`,
      'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ];
    for (const expected of provoked) {
      expect(h.problems).toContain(expected);
      h.problems.splice(h.problems.indexOf(expected), 1);
    }
  });
});
