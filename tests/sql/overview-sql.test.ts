import { describe, expect, it } from 'vitest';
import {
  buildCoverageByRegionSql,
  buildCoverageSql,
  buildOverviewSummarySql,
  buildPriorityByYearSql,
  buildWeaknessThemesSql,
  type CoverageByRegionRow,
  type CoverageRow,
  type OverviewSummaryRow,
  type PriorityByYearRow,
  type WeaknessThemeRow,
} from '@/features/overview/overview-sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

/** Per theme, the letters (among `letterIds`) with a weakness finding on it, computed in plain JS. */
function weaknessLettersByTheme(letterIds: Set<string>): Map<string, Set<string>> {
  const findingById = new Map(fixture.findings.map((f) => [f.finding_id, f]));
  const byTheme = new Map<string, Set<string>>();
  for (const ft of fixture.findingThemes) {
    const f = findingById.get(ft.finding_id)!;
    if (!letterIds.has(f.letter_id)) continue;
    if (f.section !== 'development' && f.section !== 'priority_action') continue;
    byTheme.set(ft.theme_id, (byTheme.get(ft.theme_id) ?? new Set()).add(f.letter_id));
  }
  return byTheme;
}

describe('overview builders', () => {
  it('summarises every letter with no filters', async () => {
    const [row] = await runBuilt<OverviewSummaryRow>(fixture.db, buildOverviewSummarySql({}));
    const withPriority = fixture.letters.filter((l) => l.has_priority_actions).length;
    expect(row).toEqual({
      letters: fixture.letters.length,
      findings: fixture.findings.length,
      councils_covered: new Set(fixture.letters.map((l) => l.la_code).filter(Boolean)).size,
      councils_total: fixture.councils.length,
      reporting_years: [...new Set(fixture.letters.map((l) => l.reporting_year))].sort(),
      letters_with_priority: withPriority,
      priority_share: withPriority / fixture.letters.length,
    });
    expect(row!.councils_total).toBe(152);
  });

  it('restricts the summary and the councils in scope to a region', async () => {
    const region = fixture.letters[0]!.region!;
    const [row] = await runBuilt<OverviewSummaryRow>(
      fixture.db,
      buildOverviewSummarySql({ region }),
    );
    const inRegion = fixture.letters.filter((l) => l.region === region);
    expect(row!.letters).toBe(inRegion.length);
    expect(row!.councils_total).toBe(fixture.councils.filter((c) => c.region === region).length);
  });

  it('gives each theme the share of inspections raising it as a weakness', async () => {
    const rows = await runBuilt<WeaknessThemeRow>(fixture.db, buildWeaknessThemesSql({}));
    expect(rows).toHaveLength(fixture.themes.length);
    const expected = weaknessLettersByTheme(new Set(fixture.letters.map((l) => l.letter_id)));
    for (const row of rows) {
      const n = expected.get(row.theme_id)?.size ?? 0;
      expect(row.letters_with_theme, row.theme_id).toBe(n);
      expect(row.letters_total).toBe(fixture.letters.length);
      expect(row.share).toBeCloseTo(n / fixture.letters.length, 10);
    }
    const shares = rows.map((r) => r.share);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
  });

  it('counts priority actions per reporting year', async () => {
    const rows = await runBuilt<PriorityByYearRow>(fixture.db, buildPriorityByYearSql({}));
    const years = [...new Set(fixture.letters.map((l) => l.reporting_year))].sort();
    expect(rows.map((r) => r.reporting_year)).toEqual(years);
    for (const row of rows) {
      const inYear = fixture.letters.filter((l) => l.reporting_year === row.reporting_year);
      expect(row.letters).toBe(inYear.length);
      expect(row.letters_with_priority).toBe(inYear.filter((l) => l.has_priority_actions).length);
    }
  });

  it('lists all 152 councils with the letters held for each', async () => {
    const rows = await runBuilt<CoverageRow>(fixture.db, buildCoverageSql({}));
    expect(rows).toHaveLength(152);
    for (const row of rows) {
      expect(row.letters, row.council_name).toBe(
        fixture.letters.filter((l) => l.la_code === row.la_code).length,
      );
    }
    const byRegion = await runBuilt<CoverageByRegionRow>(fixture.db, buildCoverageByRegionSql({}));
    expect(byRegion.reduce((sum, r) => sum + r.councils, 0)).toBe(152);
    expect(byRegion.reduce((sum, r) => sum + r.covered, 0)).toBe(
      new Set(fixture.letters.map((l) => l.la_code).filter(Boolean)).size,
    );
  });

  it('returns no letters, not an error, for a year with none', async () => {
    const [row] = await runBuilt<OverviewSummaryRow>(
      fixture.db,
      buildOverviewSummarySql({ year: '1999-00' }),
    );
    expect(row).toMatchObject({
      letters: 0,
      findings: 0,
      reporting_years: [],
      priority_share: null,
    });
  });
});
