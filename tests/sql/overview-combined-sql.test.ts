import { describe, expect, it } from 'vitest';
import type { Filters } from '@/lib/filters';
import {
  buildCoverageByRegionSql,
  buildCoverageSql,
  buildOverviewSql,
  buildOverviewSummarySql,
  buildPriorityByYearSql,
  buildWeaknessThemesSql,
  type OverviewRow,
} from '@/features/overview/overview-sql';
import { runBuilt, useContractFixture } from '../support/parquet-fixture';

const fixture = useContractFixture();

describe('the overview in one statement', () => {
  it('gives each of the five builders’ rows, in their order, under every filter', async () => {
    const first = fixture.letters[0]!;
    const cases: Filters[] = [
      {},
      { region: first.region! },
      { year: first.reporting_year },
      { kind: 'council_report' },
      { year: '1999-00' },
      { region: "King's Lynn'); DROP TABLE letters; --" },
    ];
    for (const filters of cases) {
      const [combined] = await runBuilt<OverviewRow>(fixture.db, buildOverviewSql(filters));
      const [summary] = await runBuilt(fixture.db, buildOverviewSummarySql(filters));
      expect(combined!.summary).toEqual(summary);
      expect(combined!.weakness_themes).toEqual(
        await runBuilt(fixture.db, buildWeaknessThemesSql(filters)),
      );
      expect(combined!.priority_by_year).toEqual(
        await runBuilt(fixture.db, buildPriorityByYearSql(filters)),
      );
      expect(combined!.coverage).toEqual(await runBuilt(fixture.db, buildCoverageSql(filters)));
      expect(combined!.coverage_by_region).toEqual(
        await runBuilt(fixture.db, buildCoverageByRegionSql(filters)),
      );
    }
    const [all] = await runBuilt<OverviewRow>(fixture.db, buildOverviewSql({}));
    expect(all!.summary.letters).toBe(fixture.letters.length);
    expect(all!.coverage.length).toBeGreaterThan(100);
  });
});
