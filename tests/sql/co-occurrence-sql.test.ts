import { describe, expect, it } from 'vitest';
import type { Filters } from '@/lib/filters';
import {
  buildCoOccurrenceLettersSql,
  buildCoOccurrenceSql,
  type CoOccurrenceLetterRow,
  type CoOccurrenceRow,
} from '@/features/co-occurrence/co-occurrence-sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

const WEAK = new Set(['development', 'priority_action']);

function themesOf(findingId: string): string[] {
  return fixture.findingThemes.filter((ft) => ft.finding_id === findingId).map((ft) => ft.theme_id);
}

/** Per filtered letter, the set of themes it raised as a weakness, in plain JS. */
function weakByLetter(filters: Filters): Map<string, Set<string>> {
  const ids = new Set(
    fixture.letters
      .filter(
        (l) =>
          (!filters.year || l.reporting_year === filters.year) &&
          (!filters.region || l.region === filters.region) &&
          (!filters.kind || l.document_kind === filters.kind),
      )
      .map((l) => l.letter_id),
  );
  const out = new Map<string, Set<string>>([...ids].map((id) => [id, new Set<string>()]));
  for (const f of fixture.findings) {
    if (!ids.has(f.letter_id) || !WEAK.has(f.section)) continue;
    for (const t of themesOf(f.finding_id)) out.get(f.letter_id)!.add(t);
  }
  return out;
}

async function expectMatrix(filters: Filters): Promise<CoOccurrenceRow[]> {
  const weak = weakByLetter(filters);
  const perTheme = new Map<string, number>();
  for (const set of weak.values()) for (const t of set) perTheme.set(t, (perTheme.get(t) ?? 0) + 1);
  const rows = await runBuilt<CoOccurrenceRow>(fixture.db, buildCoOccurrenceSql(filters));
  expect(rows).toHaveLength(perTheme.size ** 2);
  for (const row of rows) {
    const both = [...weak.values()].filter((s) => s.has(row.theme_a) && s.has(row.theme_b)).length;
    const label = `${row.theme_a} × ${row.theme_b}`;
    expect(row.letters_both, label).toBe(both);
    expect(row.letters_a).toBe(perTheme.get(row.theme_a));
    expect(row.letters_b).toBe(perTheme.get(row.theme_b));
    expect(row.letters).toBe(weak.size);
    expect(row.lift, label).toBeCloseTo(
      (both * weak.size) / (perTheme.get(row.theme_a)! * perTheme.get(row.theme_b)!),
      10,
    );
  }
  return rows;
}

describe('co-occurrence builders', () => {
  it('counts the letters raising each pair of themes as weaknesses, with the lift', async () => {
    const rows = await expectMatrix({});
    const diagonal = rows.filter((r) => r.theme_a === r.theme_b);
    expect(diagonal.every((r) => r.letters_both === r.letters_a)).toBe(true);
    const symmetric = new Map(rows.map((r) => [`${r.theme_a}|${r.theme_b}`, r.letters_both]));
    for (const r of rows) expect(symmetric.get(`${r.theme_b}|${r.theme_a}`)).toBe(r.letters_both);
  });

  it('follows the filters', async () => {
    await expectMatrix({ region: fixture.letters[0]!.region! });
    await expectMatrix({ year: fixture.letters[0]!.reporting_year });
    expect(await runBuilt(fixture.db, buildCoOccurrenceSql({ kind: 'no such kind' }))).toEqual([]);
  });

  it('lists the letters behind a cell with their findings on each theme', async () => {
    const rows = await runBuilt<CoOccurrenceRow>(fixture.db, buildCoOccurrenceSql({}));
    const cell = rows
      .filter((r) => r.theme_a !== r.theme_b)
      .sort((a, b) => b.letters_both - a.letters_both)[0]!;
    const list = await runBuilt<CoOccurrenceLetterRow>(
      fixture.db,
      buildCoOccurrenceLettersSql({ filters: {}, themeA: cell.theme_a, themeB: cell.theme_b }),
    );
    expect(list).toHaveLength(cell.letters_both);
    for (const row of list) {
      const weakFindings = fixture.findings.filter(
        (f) => f.letter_id === row.letter_id && WEAK.has(f.section),
      );
      const onA = weakFindings.filter((f) => themesOf(f.finding_id).includes(cell.theme_a));
      const onB = weakFindings.filter((f) => themesOf(f.finding_id).includes(cell.theme_b));
      expect(row.findings_a).toBe(onA.length);
      expect(row.findings_b).toBe(onB.length);
      expect(row.findings_both).toBe(onA.filter((f) => onB.includes(f)).length);
      expect(row.council_name).toBe(
        fixture.letters.find((l) => l.letter_id === row.letter_id)!.council_name,
      );
    }
  });

  it('binds hostile theme ids and filter values as data', async () => {
    const value = "x' OR '1'='1'); DROP TABLE finding_themes; --";
    expect(
      await runBuilt(
        fixture.db,
        buildCoOccurrenceLettersSql({ filters: {}, themeA: value, themeB: value }),
      ),
    ).toEqual([]);
    expect(
      await runBuilt(fixture.db, buildCoOccurrenceSql({ region: value, laType: value })),
    ).toEqual([]);
    const [count] = await runBuilt<{ n: number }>(fixture.db, {
      sql: 'SELECT count(*) AS n FROM finding_themes',
      params: [],
    });
    expect(count!.n).toBe(fixture.findingThemes.length);
  });
});
