import { describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TABLES } from '@/core/schema';
import {
  buildThemeRankingSql,
  FEW_LETTERS,
  withIntervals,
  type RankedCouncil,
  type RankingRow,
} from '@/app/council-ranking-sql';
import { buildThemeChoicesSql, type ThemeChoiceRow } from '@/features/ranking/ranking-sql';
import { ALL_DERIVED_TABLES_SQL } from '@/lib/derived-tables';
import { withTagFilter, type Filters } from '@/lib/filters';
import { wilsonInterval } from '@/lib/wilson';
import { runBound, runBuilt } from '../support/parquet-fixture';
import { expectedRanking, useRankingFixture, type PlainFilters } from './ranking-fixture';

const fixture = useRankingFixture();

/** The app's ranking of one theme, with its intervals, as the page gets it. */
async function ranking(
  db: DuckDBConnection,
  theme: string,
  filters: Filters = {},
): Promise<RankedCouncil[]> {
  const built = withTagFilter(buildThemeRankingSql({ filters, theme }), filters);
  return withIntervals(await runBuilt<RankingRow>(db, built));
}

async function themeIds(db: DuckDBConnection): Promise<string[]> {
  const rows = await runBuilt<ThemeChoiceRow>(db, buildThemeChoicesSql());
  return rows.map((r) => r.theme_id);
}

/** Checks one theme's ranking against the independent query, council by council. */
async function expectSameAsIndependent(
  db: DuckDBConnection,
  theme: string,
  filters: Filters,
  plain: PlainFilters,
): Promise<RankedCouncil[]> {
  const got = await ranking(db, theme, filters);
  const want = await expectedRanking(db, theme, plain);
  expect(got.map((r) => r.council_key).sort(), theme).toEqual(want.map((r) => r.council_key));
  const byKey = new Map(got.map((r) => [r.council_key, r]));
  for (const w of want) {
    const g = byKey.get(w.council_key)!;
    const label = `${theme}/${w.council_key}`;
    expect(g.letters, label).toBe(w.n);
    expect(g.letters_with_theme, label).toBe(w.hits);
    expect(g.share, label).toBeCloseTo(w.hits / w.n, 12);
    expect(g.rank, label).toBe(w.rank);
    expect(g.at_or_above, label).toBe(w.at_or_above);
    expect(g.councils_ranked, label).toBe(w.total);
    expect(g.quartile, label).toBe(w.quartile);
    expect(g.low, label).toBeCloseTo(w.low, 10);
    expect(g.high, label).toBeCloseTo(w.high, 10);
    expect(g.few, label).toBe(w.n < FEW_LETTERS);
  }
  return got;
}

describe('theme ranking builder', () => {
  it('ranks every council with letters on every theme as an independent query does (real letters)', async () => {
    const themes = await themeIds(fixture.real);
    expect(themes.length).toBeGreaterThan(10);
    for (const theme of themes) await expectSameAsIndependent(fixture.real, theme, {}, {});
  });

  it('ranks some 150 councils with many ties as the independent query does (synthetic set)', async () => {
    const themes = await themeIds(fixture.synthetic);
    let ties = 0;
    let councils = 0;
    for (const theme of themes) {
      const rows = await expectSameAsIndependent(fixture.synthetic, theme, {}, {});
      councils = Math.max(councils, rows.length);
      ties += rows.filter((r) => r.at_or_above > r.rank).length;
      // Ordered by rank; tied councils share the rank and the band.
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        expect(a.rank).toBeLessThanOrEqual(b.rank);
        expect(a.share).toBeGreaterThanOrEqual(b.share);
        if (a.share === b.share) {
          expect(b.rank).toBe(a.rank);
          expect(b.quartile).toBe(a.quartile);
        } else {
          // Standard competition ranking: the next rank skips the tied places.
          expect(b.rank).toBe(i + 1);
        }
      }
    }
    expect(councils).toBeGreaterThan(100);
    expect(ties).toBeGreaterThan(0);
  });

  it('applies the year, region, council type, document kind and tag filters to who is ranked', async () => {
    const db = fixture.synthetic;
    const [theme] = await themeIds(db);
    const [some] = await runBuilt<{ region: string; la_type: string; year: string }>(db, {
      sql: `SELECT l.region, c.la_type, l.reporting_year AS year FROM letters AS l
            JOIN councils AS c USING (la_code) ORDER BY l.letter_id LIMIT 1`,
      params: [],
    });
    const cases: [Filters, PlainFilters][] = [
      [{ year: some!.year }, { year: some!.year }],
      [{ region: some!.region }, { region: some!.region }],
      [{ laType: some!.la_type }, { laType: some!.la_type }],
      [{ kind: 'ofsted_letter' }, { kind: 'ofsted_letter' }],
      [{ tags: 'sure' }, { sure: true }],
      [
        { region: some!.region, year: some!.year, tags: 'sure' },
        { region: some!.region, year: some!.year, sure: true },
      ],
    ];
    for (const [filters, plain] of cases) {
      const rows = await expectSameAsIndependent(db, theme!, filters, plain);
      expect(rows.length, JSON.stringify(filters)).toBeGreaterThan(0);
      if (filters.region)
        expect(new Set(rows.map((r) => r.region))).toEqual(new Set([filters.region]));
    }
    // The sure tags run on the real letters too, which carry uncertain tags.
    for (const theme of await themeIds(fixture.real)) {
      await expectSameAsIndependent(fixture.real, theme, { tags: 'sure' }, { sure: true });
    }
  });

  it('gives one council its own rows, ranked among every council', async () => {
    const db = fixture.synthetic;
    const all = withIntervals(
      await runBuilt<RankingRow>(db, buildThemeRankingSql({ filters: {} })),
    );
    const key = all[0]!.council_key;
    const mine = withIntervals(
      await runBuilt<RankingRow>(db, buildThemeRankingSql({ filters: {}, councilKey: key })),
    );
    const themes = await themeIds(db);
    expect(mine).toHaveLength(themes.length);
    expect(mine).toEqual(all.filter((r) => r.council_key === key));
    // Bound and inlined parameters give the same rows.
    expect(
      await runBound<RankingRow>(db, buildThemeRankingSql({ filters: {}, councilKey: key })),
    ).toEqual(
      await runBuilt<RankingRow>(db, buildThemeRankingSql({ filters: {}, councilKey: key })),
    );
  });

  it('uses src/lib/wilson.ts for the interval, and bands a strict order into quarters ', () => {
    const base = {
      theme_id: 't',
      theme_label: 'T',
      la_code: null,
      dfe_la_code: null,
      region: null,
      la_type: null,
      council_name: 'x',
    };
    const [row] = withIntervals([
      {
        ...base,
        council_key: 'x',
        letters: 2,
        letters_with_theme: 1,
        share: 0.5,
        rank: 1,
        councils_ranked: 1,
        at_or_above: 1,
        quartile: 'B',
      },
    ]);
    expect(row!.low).toBe(wilsonInterval(1, 2)!.low);
    expect(row!.high).toBe(wilsonInterval(1, 2)!.high);
    expect(row!.few).toBe(true);
  });

  it('bands 150 distinct shares 38/37/38/37 and a tie by the middle of its places', async () => {
    // Council i of 150 raised the theme in 1 of its i letters: 150 distinct shares.
    const distinct = await craftedRanking(Array.from({ length: 150 }, (_, i) => [i + 1, 1]));
    const count = (q: string) => distinct.filter((r) => r.quartile === q).length;
    expect([count('A'), count('B'), count('C'), count('D')]).toEqual([38, 37, 38, 37]);
    expect(distinct.map((r) => r.rank)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(distinct.find((r) => r.rank === 38)!.quartile).toBe('A');
    expect(distinct.find((r) => r.rank === 39)!.quartile).toBe('B');
    expect(distinct.find((r) => r.rank === 113)!.quartile).toBe('C');
    expect(distinct.find((r) => r.rank === 114)!.quartile).toBe('D');

    // Shares 1, 1, 1, 1/2, 1/2, 0, 0, 0: ranks 1 1 1 4 4 6 6 6; the ties' middles fall at 3/16,
    // 8/16 and 13/16 of the places: bands A, B and D (none is C).
    const tied = await craftedRanking([
      [1, 1],
      [2, 2],
      [3, 3],
      [2, 1],
      [4, 2],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(tied.map((r) => [r.rank, r.at_or_above, r.quartile])).toEqual([
      [1, 3, 'A'],
      [1, 3, 'A'],
      [1, 3, 'A'],
      [4, 5, 'B'],
      [4, 5, 'B'],
      [6, 8, 'D'],
      [6, 8, 'D'],
      [6, 8, 'D'],
    ]);
    expect(tied.every((r) => r.councils_ranked === 8)).toBe(true);
  });
});

/**
 * The builder's ranking over made-up letters: one council of the real list per `[letters,
 * raising]` pair, with that many letters of which the first `raising` have a development finding
 * on the one theme, the others a strength on it.
 */
async function craftedRanking(councils: readonly [number, number][]): Promise<RankedCouncil[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    for (const [table, columns] of Object.entries(TABLES)) {
      const list = Object.entries(columns).map(([name, type]) => `${name} ${type}`);
      await db.run(`CREATE TABLE ${table} (${list.join(', ')})`);
    }
    await db.run(`INSERT INTO themes VALUES ('t1', 'Theme one', 'Group', 'A theme.', '1', false)`);
    const real = await runBuilt<{
      la_code: string;
      dfe_la_code: number;
      council_name: string;
      la_type: string;
      region: string;
    }>(fixture.real, {
      sql: 'SELECT la_code, dfe_la_code, council_name, la_type, region FROM councils ORDER BY la_code',
      params: [],
    });
    expect(real.length).toBeGreaterThanOrEqual(councils.length);
    for (const [i, [letters, raising]] of councils.entries()) {
      const c = real[i]!;
      await db.run(`INSERT INTO councils VALUES ($code, $dfe, $name, $type, $region, [])`, {
        code: c.la_code,
        dfe: c.dfe_la_code,
        name: c.council_name,
        type: c.la_type,
        region: c.region,
      });
      await db.run(
        `INSERT INTO letters (letter_id, source_file, document_kind, council_name, la_code,
           dfe_la_code, region, inspection_start, inspection_end, inspection_year, reporting_year,
           has_priority_actions, finding_count, source_text)
         SELECT $code || '-' || j, 'x.txt', 'ofsted_letter', $name, $code, $dfe, $region,
           DATE '2009-06-01' + j::INTEGER, DATE '2009-06-01' + j::INTEGER, 2009, '2009-10', false, 1, ''
         FROM range(1, $letters + 1) AS t(j)`,
        { code: c.la_code, name: c.council_name, dfe: c.dfe_la_code, region: c.region, letters },
      );
      await db.run(
        `INSERT INTO findings (finding_id, letter_id, position, section, text, char_start, char_end,
           previously_identified)
         SELECT $code || '-' || j || '#1', $code || '-' || j, 1,
           CASE WHEN j <= $raising THEN 'development' ELSE 'strength' END, 'A finding.', 0, 1, false
         FROM range(1, $letters + 1) AS t(j)`,
        { code: c.la_code, letters, raising },
      );
    }
    await db.run(
      `INSERT INTO finding_themes (finding_id, theme_id, rank, evidence, confidence, uncertain)
       SELECT finding_id, 't1', 1, 'finding', 1, false FROM findings`,
    );
    for (const statement of ALL_DERIVED_TABLES_SQL) await db.run(statement);
    return withIntervals(
      await runBuilt<RankingRow>(db, buildThemeRankingSql({ filters: {}, theme: 't1' })),
    );
  } finally {
    db.closeSync();
  }
}
