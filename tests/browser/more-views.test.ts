import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { formatPercent } from '@/lib/format';
import { withoutWeakMark } from '@/lib/theme-quality';
import {
  buildCompareGroupsSql,
  buildCompareSharesSql,
  type CompareGroupRow,
  type CompareShareRow,
} from '@/features/compare/compare-sql';
import {
  buildPreviouslyIdentifiedFindingsSql,
  buildPreviouslyIdentifiedThemesSql,
  buildRecurrenceSummarySql,
  type PreviouslyIdentifiedFindingRow,
  type PreviouslyIdentifiedThemeRow,
  type RecurrenceSummaryRow,
} from '@/features/recurrence/recurrence-sql';
import {
  buildCoOccurrenceLettersSql,
  buildCoOccurrenceSql,
  type CoOccurrenceLetterRow,
  type CoOccurrenceRow,
} from '@/features/co-occurrence/co-occurrence-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { runBuilt } from '../support/parquet-fixture';
import { SUB_PATH, useBrowserHarness } from '../support/browser-harness';

const h = useBrowserHarness();

/** The text of every body row's cells in a table inside `scope`. */
function tableCells(scope: Locator): Promise<string[][]> {
  return scope
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? '')),
    );
}

/** The cells with a theme's low-precision mark taken off its label (the first cell of a row). */
async function themeTableCells(scope: Locator): Promise<string[][]> {
  return (await tableCells(scope)).map(([first, ...rest]) => [
    withoutWeakMark(first ?? ''),
    ...rest,
  ]);
}

function themes(rows: readonly CompareShareRow[]): Set<string> {
  return new Set(rows.map((r) => r.theme_id));
}

async function councilCodes(): Promise<{ dfe: number; name: string }[]> {
  return runBuilt<{ dfe: number; name: string }>(h.db, {
    sql: `SELECT DISTINCT dfe_la_code AS dfe, council_name AS name FROM letters
          WHERE dfe_la_code IS NOT NULL ORDER BY council_name`,
    params: [],
  });
}

describe('compare, recurrence and co-occurrence on the built site', () => {
  it('compare: each council’s n and shares equal node-api, with the neighbours labelled as a proxy', async () => {
    const [first, second] = await councilCodes();
    const codes = [first!.dfe, second!.dfe];
    await h.open(`?view=compare&councils=${codes.join(',')}`);
    const params = { filters: {}, councils: codes };
    const groups = await runBuilt<CompareGroupRow>(h.db, buildCompareGroupsSql(params));
    const shares = await runBuilt<CompareShareRow>(h.db, buildCompareSharesSql(params));

    await h.page.waitForSelector('[data-testid^="compare-n-"]');
    for (const g of groups) {
      const item = h.page.locator(`[data-testid="compare-n-${g.council_dfe}-${g.group_kind}"]`);
      expect(await item.getAttribute('data-value'), `${g.council_name}/${g.group_kind}`).toBe(
        String(g.letters),
      );
      expect(await item.textContent()).toContain(`n = ${g.letters}`);
      if (g.letters === 0) expect(await item.textContent()).toContain('No letters held');
    }
    expect(await h.page.getByText('Statistical neighbours (DfE 2021 model, a proxy)').count()).toBe(
      codes.length,
    );
    const panels = h.page.locator('section.panel', { hasText: 'against its comparison groups' });
    expect(await panels.count()).toBe(codes.length);
    await expect
      .poll(() => panels.first().locator('.bar-chart-bar:not([data-value="0"])').count())
      .toBeGreaterThan(0);
    await h.screenshot('compare');
    await h.expectNoSeriousAxeViolations();

    // Side by side: each council's own share, and England's, theme by theme.
    const sideBySide = h.page.locator('section.panel', { hasText: 'side by side' });
    await sideBySide.getByRole('button', { name: 'Table', exact: true }).click();
    const weak = shares.filter((s) => s.measure === 'weakness');
    const share = (order: number, kind: string, themeLabel: string) =>
      weak.find(
        (s) => s.council_order === order && s.group_kind === kind && s.theme_label === themeLabel,
      )!;
    const sideCells = await themeTableCells(sideBySide);
    expect(sideCells).toHaveLength(themes(weak).size);
    for (const row of sideCells) {
      const expected = [
        share(1, 'council', row[0]!),
        share(2, 'council', row[0]!),
        share(1, 'england', row[0]!),
      ].flatMap((s) => [String(s.letters_with_theme), formatPercent(s.share)]);
      expect(row.slice(1), row[0]).toEqual(expected);
    }

    // The table view of the first council: every theme, each group's count and share.
    const panel = panels.first();
    await panel.getByRole('button', { name: 'Table', exact: true }).click();
    const cells = await themeTableCells(panel);
    const mine = shares.filter((s) => s.council_dfe === codes[0] && s.measure === 'weakness');
    expect(cells).toHaveLength(themes(mine).size);
    const kinds = ['council', 'region', 'neighbours', 'england'] as const;
    for (const row of cells) {
      const theme = mine.find((s) => s.theme_label === row[0]);
      expect(theme, row[0]).toBeDefined();
      kinds.forEach((kind, i) => {
        const s = mine.find((x) => x.theme_id === theme!.theme_id && x.group_kind === kind)!;
        expect(row[1 + 2 * i], `${row[0]}/${kind}`).toBe(String(s.letters_with_theme));
        expect(row[2 + 2 * i], `${row[0]}/${kind}`).toBe(
          s.letters === 0 ? 'no letters' : formatPercent(s.share),
        );
      });
    }
  });

  it('compare: the council picker works from the keyboard and its choice survives a reload', async () => {
    const [first, second] = await councilCodes();
    await h.open(`?view=compare&councils=${first!.dfe}`);
    const box = h.page.getByRole('combobox', { name: 'Add a council' });
    await box.click();
    await box.fill(second!.name);
    await expect.poll(() => h.page.locator('[role="option"][data-dfe]').count()).toBeGreaterThan(0);
    await box.press('ArrowDown');
    await expect.poll(() => box.getAttribute('aria-activedescendant')).toMatch(/option/);
    // The first match is the exact name: arrow back to it, then Enter adds it.
    const options = await h.page
      .locator('[role="option"][data-dfe]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-dfe')));
    const index = options.indexOf(String(second!.dfe));
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await box.press('ArrowDown');
    await box.press('ArrowUp');
    await h.page.keyboard.press('Enter');
    await expect
      .poll(() => new URL(h.page.url()).searchParams.get('councils'))
      .toBe(`${first!.dfe},${second!.dfe}`);
    await h.page.waitForSelector(`[data-testid="compare-n-${second!.dfe}-council"]`);

    await h.page.getByRole('button', { name: 'Strengths', exact: true }).click();
    await expect.poll(() => new URL(h.page.url()).searchParams.get('measure')).toBe('strength');
    await h.page.reload();
    await h.page.waitForSelector('html[data-duckdb="ready"]');
    await h.page.waitForSelector(`[data-testid="compare-n-${second!.dfe}-council"]`);
    expect(await h.page.locator('h2', { hasText: 'strengths against' }).count()).toBe(2);
    expect(await h.page.locator('h2', { hasText: 'side by side: strengths' }).count()).toBe(1);

    await h.page.getByRole('button', { name: `Remove ${first!.name}` }).click();
    await expect
      .poll(() => new URL(h.page.url()).searchParams.get('councils'))
      .toBe(String(second!.dfe));
    await h.page.goBack();
    await expect
      .poll(() => new URL(h.page.url()).searchParams.get('councils'))
      .toBe(`${first!.dfe},${second!.dfe}`);
  });

  it('recurrence: says plainly there are no repeat inspections, and lists the findings marked as raised before', async () => {
    await h.open('?view=recurrence');
    const [summary] = await runBuilt<RecurrenceSummaryRow>(h.db, buildRecurrenceSummarySql({}));
    const themes = await runBuilt<PreviouslyIdentifiedThemeRow>(
      h.db,
      buildPreviouslyIdentifiedThemesSql({}),
    );
    const marked = await runBuilt<PreviouslyIdentifiedFindingRow>(
      h.db,
      buildPreviouslyIdentifiedFindingsSql({}),
    );
    expect(summary!.pairs).toBe(0);
    const empty = h.page.locator('[data-testid="recurrence-empty"]');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No repeat inspections yet');
    expect(await empty.textContent()).toContain(
      `${summary!.inspections} letters held come from ${summary!.councils} councils`,
    );
    await expect
      .poll(() => h.page.getAttribute('[data-testid="previously-identified-count"]', 'data-value'))
      .toBe(String(marked.length));
    expect(await h.page.locator('.evidence-item').count()).toBe(marked.length);
    const panel = h.page.locator('section.panel', {
      hasText: 'Findings marked as raised at the previous inspection',
    });
    await expect
      .poll(() => panel.locator('.bar-chart-bar:not([data-value="0"])').count())
      .toBeGreaterThan(0);
    await h.screenshot('recurrence');
    await h.expectNoSeriousAxeViolations();

    await panel.getByRole('button', { name: 'Table', exact: true }).click();
    const cells = await themeTableCells(panel);
    expect(cells.map((c) => [c[0], c[2], c[3], c[4], c[5]])).toEqual(
      themes.map((t) => [
        t.label,
        String(t.findings),
        String(t.weakness_findings),
        String(t.other_findings),
        String(t.letters),
      ]),
    );

    // A theme link under a finding opens that letter's findings on the theme.
    const finding = marked[0]!;
    const theme = finding.themes[0]!;
    await h.page
      .locator(`.evidence-item[data-finding="${finding.finding_id}"]`)
      .getByRole('link', { name: theme.label })
      .click();
    await h.page.waitForURL(/view=evidence/);
    const url = new URL(h.page.url());
    expect(url.pathname).toBe(SUB_PATH);
    expect(url.searchParams.get('letter')).toBe(finding.letter_id);
    expect(url.searchParams.get('theme')).toBe(theme.theme_id);
    const expected = await runBuilt<EvidenceRow>(
      h.db,
      buildEvidenceSql({ filters: {}, letter: finding.letter_id, theme: theme.theme_id }),
    );
    await expect
      .poll(() => h.page.getAttribute('[data-testid="evidence-count"]', 'data-value'))
      .toBe(String(expected.length));
    expect(expected.map((e) => e.finding_id)).toContain(finding.finding_id);
  });

  it('co-occurrence: the matrix equals node-api, and a cell opens the letters with both and their evidence', async () => {
    await h.open('?view=co-occurrence');
    const rows = await runBuilt<CoOccurrenceRow>(h.db, buildCoOccurrenceSql({}));
    await h.page.waitForSelector('.cooc-cell');
    const shown = await h.page
      .locator('.cooc-cell')
      .evaluateAll((cells) =>
        cells.map(
          (c) =>
            `${c.getAttribute('data-a')}|${c.getAttribute('data-b')}|${c.getAttribute('data-count')}`,
        ),
      );
    expect(shown.sort()).toEqual(
      rows.map((r) => `${r.theme_a}|${r.theme_b}|${r.letters_both}`).sort(),
    );

    const target = rows
      .filter((r) => r.theme_a !== r.theme_b)
      .sort((a, b) => b.letters_both - a.letters_both || a.lift - b.lift)[0]!;
    const cell = h.page.locator(
      `button.cooc-cell[data-a="${target.theme_a}"][data-b="${target.theme_b}"]`,
    );
    await cell.focus();
    await h.page.keyboard.press('Enter');
    await expect.poll(() => new URL(h.page.url()).searchParams.get('a')).toBe(target.theme_a);
    expect(new URL(h.page.url()).searchParams.get('b')).toBe(target.theme_b);
    const letters = await runBuilt<CoOccurrenceLetterRow>(
      h.db,
      buildCoOccurrenceLettersSql({
        filters: {},
        themeA: target.theme_a,
        themeB: target.theme_b,
      }),
    );
    expect(letters).toHaveLength(target.letters_both);
    const details = h.page.locator('section.cooc-details');
    await expect.poll(() => details.locator('tbody tr').count()).toBe(letters.length);
    await expect
      .poll(() => h.page.evaluate(() => document.activeElement?.id))
      .toBe('cooc-details-heading');
    const detailCells = await tableCells(details);
    // The counts are links whose names go on in words for screen readers: compare the numbers.
    const number = (text: string | undefined) => text?.trim().split(/\s/)[0];
    expect(detailCells.map((c) => [number(c[3]), number(c[4]), number(c[5])])).toEqual(
      letters.map((l) => [String(l.findings_a), String(l.findings_b), String(l.findings_both)]),
    );
    await h.screenshot('co-occurrence');
    // One axe pass over the grid and the open details together (the grid alone is slow to scan).
    await h.expectNoSeriousAxeViolations();

    const first = letters[0]!;
    await details.locator('a[data-evidence="a"]').first().click();
    await h.page.waitForURL(/view=evidence/);
    const url = new URL(h.page.url());
    expect(url.searchParams.get('letter')).toBe(first.letter_id);
    expect(url.searchParams.get('theme')).toBe(target.theme_a);
    expect(url.searchParams.get('section')).toBe('weakness');
    await expect.poll(() => h.page.locator('.evidence-item').count()).toBe(first.findings_a);
  });
});
