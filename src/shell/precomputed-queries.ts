import { buildFilterOptionsSql } from '@/app/filter-options-sql';
import {
  buildCoverageByRegionSql,
  buildCoverageSql,
  buildOverviewSummarySql,
  buildPriorityByYearSql,
  buildWeaknessThemesSql,
} from '@/features/overview/overview-sql';
import type { SqlQuery } from '@/lib/sql';

// The default, unfiltered overview and the filter choices: the first page paints from them before
// DuckDB-WASM is up.
/**
 * The queries the build answers ahead of time (`npm run precompute`), by the name their react-query
 * keys start with.
 */
export const PRECOMPUTED_QUERIES: Readonly<Record<string, () => SqlQuery>> = {
  'overview-summary': () => buildOverviewSummarySql({}),
  'weakness-themes': () => buildWeaknessThemesSql({}),
  'priority-by-year': () => buildPriorityByYearSql({}),
  'coverage-by-region': () => buildCoverageByRegionSql({}),
  coverage: () => buildCoverageSql({}),
  'filter-options': buildFilterOptionsSql,
};
