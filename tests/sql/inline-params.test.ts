import { describe, expect, it } from 'vitest';
import { VIEW_QUERIES } from '@/shell/view-statements';
import { findView } from '@/shell/views';
import { pickFilters, type Filters } from '@/lib/filters';
import { inlineParams, sql, sqlLiteral } from '@/lib/sql';
import { runBound, runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

describe('values written into the SQL', () => {
  it('quotes strings, doubling their quotes, and writes numbers and booleans as literals', () => {
    expect(sqlLiteral("King's Lynn")).toBe("'King''s Lynn'");
    expect(sqlLiteral('')).toBe("''");
    expect(sqlLiteral(201)).toBe('201');
    expect(sqlLiteral(-3)).toBe('-3');
    expect(sqlLiteral(0.25)).toBe('CAST(0.25 AS DOUBLE)');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
  });

  it('replaces the placeholders only, never a ? in a string, a quoted name or a comment', () => {
    const query = {
      sql: `SELECT '?' AS "what?", ? -- why?\n /* ? */ , ''' ? ''' , ?`,
      params: ['a', 2],
    };
    expect(inlineParams(query)).toBe(
      `SELECT '?' AS "what?", 'a' -- why?\n /* ? */ , ''' ? ''' , 2`,
    );
    expect(() => inlineParams({ sql: 'SELECT ?, ?', params: [1] })).toThrow(/placeholders/);
    expect(() => inlineParams({ sql: 'SELECT ?', params: [1, 2] })).toThrow(/values/);
  });

  it('gives the rows DuckDB gives for the values bound, hostile strings included', async () => {
    const first = fixture.letters[0]!;
    const hostile = [
      "King's Lynn'); DROP TABLE letters; --",
      "x' OR '1'='1",
      "back\\slash' || '",
      "line\nbreak -- ? /* '",
    ];
    const cases: Filters[] = [
      {},
      { region: first.region! },
      { year: first.reporting_year },
      { region: first.region!, year: first.reporting_year },
      { kind: first.document_kind },
      { source: 'bundled' },
      ...hostile.map((region) => ({ region })),
      ...hostile.map((laType) => ({ laType })),
    ];
    let compared = 0;
    for (const [view, builders] of Object.entries(VIEW_QUERIES)) {
      for (const build of Object.values(builders)) {
        for (const filters of cases) {
          const built = build(pickFilters(filters, findView(view).filters));
          const inlined = await runBuilt(fixture.db, built);
          expect(inlined, `${view} ${JSON.stringify(filters)}`).toEqual(
            await runBound(fixture.db, built),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The hostile values were compared as values: the tables are all still there, and a region
    // no letter has matches none.
    const [count] = await runBuilt<{ n: number }>(
      fixture.db,
      sql`SELECT count(*)::INTEGER AS n FROM letters WHERE region = ${hostile[0]!}`,
    );
    expect(count).toEqual({ n: 0 });
    const [letters] = await runBuilt<{ n: number }>(
      fixture.db,
      sql`SELECT count(*)::INTEGER AS n FROM letters`,
    );
    expect(letters!.n).toBe(fixture.letters.length);
  });
});
