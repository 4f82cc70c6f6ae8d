import { describe, expect, it } from 'vitest';
import type { CouncilRow, LetterRow } from '@/core/schema';
import type { Filters } from '@/lib/filters';
import {
  buildCompareGroupsSql,
  buildCompareSharesSql,
  buildCouncilChoicesSql,
  MAX_COMPARED_COUNCILS,
  parseCouncilList,
  type CompareGroupKind,
  type CompareGroupRow,
  type CompareShareRow,
  type CouncilChoiceRow,
} from '@/features/compare/compare-sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

/** The letters of each comparison group of one council, worked out in plain JS. */
function groupLetters(council: CouncilRow, kind: CompareGroupKind, pool: LetterRow[]): LetterRow[] {
  switch (kind) {
    case 'council':
      return pool.filter((l) => l.dfe_la_code === council.dfe_la_code);
    case 'region': {
      const inRegion = new Set(
        fixture.councils.filter((c) => c.region === council.region).map((c) => c.dfe_la_code),
      );
      return pool.filter((l) => l.dfe_la_code !== null && inRegion.has(l.dfe_la_code));
    }
    case 'neighbours': {
      const near = new Set(
        council.stat_neighbours_2021_proxy.filter((n) => n !== council.dfe_la_code),
      );
      return pool.filter((l) => l.dfe_la_code !== null && near.has(l.dfe_la_code));
    }
    case 'england':
      return pool;
  }
}

function lettersRaising(measure: 'weakness' | 'strength', themeId: string): Set<string> {
  const sections =
    measure === 'weakness' ? ['development', 'priority_action'] : (['strength'] as string[]);
  const onTheme = new Set(
    fixture.findingThemes.filter((ft) => ft.theme_id === themeId).map((ft) => ft.finding_id),
  );
  return new Set(
    fixture.findings
      .filter((f) => sections.includes(f.section) && onTheme.has(f.finding_id))
      .map((f) => f.letter_id),
  );
}

function passes(letter: LetterRow, filters: Filters): boolean {
  return (
    (!filters.year || letter.reporting_year === filters.year) &&
    (!filters.kind || letter.document_kind === filters.kind)
  );
}

/** Checks the builders' rows for `codes` against the plain-JS expectation. */
async function expectMatches(codes: number[], filters: Filters): Promise<CompareGroupRow[]> {
  const groups = await runBuilt<CompareGroupRow>(
    fixture.db,
    buildCompareGroupsSql({ filters, councils: codes }),
  );
  const shares = await runBuilt<CompareShareRow>(
    fixture.db,
    buildCompareSharesSql({ filters, councils: codes }),
  );
  const pool = fixture.letters.filter((l) => passes(l, filters));
  const known = codes.filter((c) => fixture.councils.some((k) => k.dfe_la_code === c));
  expect(groups).toHaveLength(known.length * 4);
  expect(shares).toHaveLength(known.length * 4 * fixture.themes.length * 2);
  for (const group of groups) {
    const council = fixture.councils.find((c) => c.dfe_la_code === group.council_dfe)!;
    expect(group.council_order).toBe(codes.indexOf(group.council_dfe) + 1);
    expect(group.council_name).toBe(council.council_name);
    const mine = groupLetters(council, group.group_kind, pool);
    const label = `${council.council_name}/${group.group_kind}`;
    expect(group.letters, label).toBe(mine.length);
    expect(group.council_names_with_letters, label).toEqual(
      [...new Set(mine.map((l) => l.council_name))].sort(),
    );
    expect(group.councils_with_letters, label).toBe(
      new Set(mine.map((l) => l.dfe_la_code ?? l.council_name)).size,
    );
    if (group.group_kind === 'council') expect(group.councils_in_group).toBe(1);
    if (group.group_kind === 'england')
      expect(group.councils_in_group).toBe(fixture.councils.length);
    if (group.group_kind === 'region') {
      expect(group.group_name).toBe(council.region);
      expect(group.councils_in_group).toBe(
        fixture.councils.filter((c) => c.region === council.region).length,
      );
    }
    if (group.group_kind === 'neighbours') {
      const near = new Set(
        council.stat_neighbours_2021_proxy.filter((n) => n !== council.dfe_la_code),
      );
      expect(group.councils_in_group).toBe(near.size);
      expect(group.councils_known).toBe(
        fixture.councils.filter((c) => near.has(c.dfe_la_code)).length,
      );
    }
  }
  for (const share of shares) {
    const council = fixture.councils.find((c) => c.dfe_la_code === share.council_dfe)!;
    const mine = groupLetters(council, share.group_kind, pool);
    const raising = lettersRaising(share.measure, share.theme_id);
    const hits = mine.filter((l) => raising.has(l.letter_id)).length;
    const label = `${council.council_name}/${share.group_kind}/${share.theme_id}/${share.measure}`;
    expect(share.letters, label).toBe(mine.length);
    expect(share.letters_with_theme, label).toBe(hits);
    if (mine.length === 0) expect(share.share, label).toBeNull();
    else expect(share.share, label).toBeCloseTo(hits / mine.length, 10);
  }
  return groups;
}

describe('compare builders', () => {
  it('gives each chosen council, its region, neighbours and England the right n and shares', async () => {
    const codes = [...new Set(fixture.letters.map((l) => l.dfe_la_code!))].slice(0, 3);
    const groups = await expectMatches(codes, {});
    expect(groups.filter((g) => g.group_kind === 'council').map((g) => g.council_dfe)).toEqual(
      codes,
    );
  });

  it('counts a neighbour group that holds letters, for a council with none of its own', async () => {
    const held = new Set(fixture.letters.map((l) => l.dfe_la_code));
    const candidate = fixture.councils
      .filter((c) => !held.has(c.dfe_la_code))
      .map((c) => ({
        c,
        n: c.stat_neighbours_2021_proxy.filter((n) => held.has(n)).length,
      }))
      .sort((a, b) => b.n - a.n || a.c.dfe_la_code - b.c.dfe_la_code)[0]!;
    expect(candidate.n).toBeGreaterThan(0);
    const groups = await expectMatches([candidate.c.dfe_la_code], {});
    const byKind = new Map(groups.map((g) => [g.group_kind, g]));
    expect(byKind.get('council')!.letters).toBe(0);
    expect(byKind.get('neighbours')!.letters).toBeGreaterThan(0);
  });

  it('applies the year and document filters to every group', async () => {
    const year = fixture.letters[0]!.reporting_year;
    const codes = [...new Set(fixture.letters.map((l) => l.dfe_la_code!))];
    await expectMatches(codes.slice(0, MAX_COMPARED_COUNCILS), { year, kind: 'ofsted_letter' });
  });

  it('leaves out unknown numbers and gives nothing for an empty list', async () => {
    const known = fixture.letters[0]!.dfe_la_code!;
    const groups = await expectMatches([999_999, known], {});
    expect(new Set(groups.map((g) => g.council_order))).toEqual(new Set([2]));
    expect(
      await runBuilt(fixture.db, buildCompareGroupsSql({ filters: {}, councils: [] })),
    ).toEqual([]);
    expect(
      await runBuilt(fixture.db, buildCompareSharesSql({ filters: {}, councils: [] })),
    ).toEqual([]);
  });

  it('offers every council in the picker with its letters held', async () => {
    const rows = await runBuilt<CouncilChoiceRow>(fixture.db, buildCouncilChoicesSql({}));
    expect(rows).toHaveLength(fixture.councils.length);
    for (const row of rows) {
      expect(row.letters, row.council_name).toBe(
        fixture.letters.filter((l) => l.dfe_la_code === row.dfe_la_code).length,
      );
    }
  });
});

describe('hostile council lists', () => {
  it('parses only positive whole numbers, in order, without repeats, at most five', () => {
    expect(parseCouncilList("815,926'); DROP TABLE letters; --")).toEqual([815]);
    expect(parseCouncilList(' 815 , 815,0,-3,1e3,12.5,abc,926,381,802,928,1')).toEqual([
      815, 926, 381, 802, 928,
    ]);
    expect(parseCouncilList("' OR '1'='1")).toEqual([]);
    expect(parseCouncilList('9999999999999999999999')).toEqual([]);
    expect(parseCouncilList(null)).toEqual([]);
    expect(parseCouncilList('')).toEqual([]);
  });

  it('drops values that are not council numbers before they reach SQL, and binds the rest', async () => {
    const hostile = [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, 2 ** 60, 0];
    const built = buildCompareGroupsSql({ filters: {}, councils: hostile });
    expect(built.params.every((p) => typeof p !== 'number' || Number.isSafeInteger(p))).toBe(true);
    expect(await runBuilt(fixture.db, built)).toEqual([]);
    const tooMany = fixture.councils.slice(0, 8).map((c) => c.dfe_la_code);
    const groups = await runBuilt<CompareGroupRow>(
      fixture.db,
      buildCompareGroupsSql({ filters: {}, councils: tooMany }),
    );
    expect(new Set(groups.map((g) => g.council_dfe))).toEqual(
      new Set(tooMany.slice(0, MAX_COMPARED_COUNCILS)),
    );
  });

  it('binds hostile filter values as data', async () => {
    const value = "King's Lynn'); DROP TABLE letters; --";
    const codes = [fixture.letters[0]!.dfe_la_code!];
    const groups = await runBuilt<CompareGroupRow>(
      fixture.db,
      buildCompareGroupsSql({ filters: { year: value, kind: value }, councils: codes }),
    );
    expect(groups.map((g) => g.letters)).toEqual([0, 0, 0, 0]);
    const [count] = await runBuilt<{ n: number }>(fixture.db, {
      sql: 'SELECT count(*) AS n FROM letters',
      params: [],
    });
    expect(count!.n).toBe(fixture.letters.length);
  });
});
