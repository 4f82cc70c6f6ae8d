import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '@/core/schema';
import { buildExportTableSql } from '@/features/add-letters/add-letters-sql';
import { buildEvidenceSql, type EvidenceRow } from '@/features/evidence/evidence-sql';
import { buildLetterListSql, type LetterListRow } from '@/features/letter/letter-sql';
import {
  buildOverviewSummarySql,
  buildWeaknessThemesSql,
  type OverviewSummaryRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { ADDED_LETTERS, LETTER_THEME_FACTS } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  parseFilters,
  type Filters,
} from '@/lib/filters';
import { identifier, sql, whereSql } from '@/lib/sql';
import { readRows, runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();
/** The letters marked as added in this test's session. */
let added: string[];

async function filteredIds(filters: Filters): Promise<string[]> {
  const rows = await runBuilt<{ letter_id: string }>(
    fixture.db,
    sql`SELECT letter_id FROM (${filteredLettersSql(filters)}) ORDER BY letter_id`,
  );
  return rows.map((r) => r.letter_id);
}

// Runs after the fixture's own beforeAll, which was registered first.
beforeAll(async () => {
  added = fixture.letters
    .map((l) => l.letter_id)
    .sort()
    .slice(0, 2);
  for (const id of added) await fixture.db.run(`INSERT INTO ${ADDED_LETTERS} VALUES ($id)`, { id });
});

describe('the Source filter (bundled / added by you)', () => {
  it('is read from the URL, and an unknown value is dropped', () => {
    expect(parseFilters(new URLSearchParams('source=added'))).toEqual({ source: 'added' });
    expect(parseFilters(new URLSearchParams('source=bundled'))).toEqual({ source: 'bundled' });
    expect(parseFilters(new URLSearchParams("source=x' OR 1=1"))).toEqual({});
  });

  it('splits the letters into those added in the session and the rest', async () => {
    const all = fixture.letters.map((l) => l.letter_id).sort();
    expect(await filteredIds({})).toEqual(all);
    expect(await filteredIds({ source: 'added' })).toEqual(added);
    expect(await filteredIds({ source: 'bundled' })).toEqual(
      all.filter((id) => !added.includes(id)),
    );
  });

  it('passes the same letters through the pre-joined facts table', async () => {
    for (const source of ['added', 'bundled'] as const) {
      const rows = await runBuilt<{ letter_id: string }>(
        fixture.db,
        sql`SELECT DISTINCT x.letter_id FROM ${identifier(LETTER_THEME_FACTS)} AS x
          ${whereSql(letterFieldConditions({ source }, 'x'))} ORDER BY x.letter_id`,
      );
      expect(rows.map((r) => r.letter_id)).toEqual(await filteredIds({ source }));
    }
  });

  it('reaches the views: overview figures and weakness shares add up across the two sources', async () => {
    const summary = async (filters: Filters) =>
      (await runBuilt<OverviewSummaryRow>(fixture.db, buildOverviewSummarySql(filters)))[0]!;
    const [all, mine, bundled] = await Promise.all([
      summary({}),
      summary({ source: 'added' }),
      summary({ source: 'bundled' }),
    ]);
    expect(mine.letters).toBe(added.length);
    expect(mine.findings).toBe(fixture.findings.filter((f) => added.includes(f.letter_id)).length);
    expect(mine.letters + bundled.letters).toBe(all.letters);
    expect(mine.findings + bundled.findings).toBe(all.findings);

    const themes = async (filters: Filters) =>
      new Map(
        (await runBuilt<WeaknessThemeRow>(fixture.db, buildWeaknessThemesSql(filters))).map((t) => [
          t.theme_id,
          t.letters_with_theme,
        ]),
      );
    const [allThemes, mineThemes, bundledThemes] = await Promise.all([
      themes({}),
      themes({ source: 'added' }),
      themes({ source: 'bundled' }),
    ]);
    for (const [theme, n] of allThemes)
      expect(mineThemes.get(theme)! + bundledThemes.get(theme)!, theme).toBe(n);
  });

  it('marks added letters and their evidence', async () => {
    const list = await runBuilt<LetterListRow>(fixture.db, buildLetterListSql());
    expect(
      list
        .filter((l) => l.added)
        .map((l) => l.letter_id)
        .sort(),
    ).toEqual(added);
    const evidence = await runBuilt<EvidenceRow>(
      fixture.db,
      buildEvidenceSql({ filters: { source: 'added' }, limit: 10_000 }),
    );
    expect(evidence.length).toBe(
      fixture.findings.filter((f) => added.includes(f.letter_id)).length,
    );
    expect(evidence.every((r) => r.added)).toBe(true);
  });
});

describe('the download’s queries', () => {
  it.each(TABLE_NAMES)('%s: every row, in the order the pipeline wrote them', async (table) => {
    const rows = await runBuilt<Record<string, unknown>>(fixture.db, buildExportTableSql(table));
    const file = await readRows<Record<string, unknown>>(fixture.dir, table);
    expect(rows).toEqual(file);
  });
});
