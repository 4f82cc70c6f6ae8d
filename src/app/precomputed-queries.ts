import { buildFilterOptionsSql } from '@/app/filter-options-sql';
import {
  buildCoverageByRegionSql,
  buildCoverageSql,
  buildOverviewSummarySql,
  buildPriorityByYearSql,
  buildWeaknessThemesSql,
} from '@/features/overview/overview-sql';
import type { SqlQuery } from '@/lib/sql';

/**
 * The queries the build answers ahead of time (`npm run precompute`), under the names their
 * react-query keys start with: the default, unfiltered overview and the filter choices, so that
 * the first page paints before DuckDB-WASM is up.
 */
export const PRECOMPUTED_QUERIES: Readonly<Record<string, () => SqlQuery>> = {
  'overview-summary': () => buildOverviewSummarySql({}),
  'weakness-themes': () => buildWeaknessThemesSql({}),
  'priority-by-year': () => buildPriorityByYearSql({}),
  'coverage-by-region': () => buildCoverageByRegionSql({}),
  coverage: () => buildCoverageSql({}),
  'filter-options': buildFilterOptionsSql,
};
