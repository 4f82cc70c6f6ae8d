import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import type { Filters } from '@/lib/filters';
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
} from './overview-sql';

// Each factory is the one place a precomputed answer (built at build time) can be slotted in as
// `initialData`, so the overview paints before the engine is up.

/** Query options for the headline figures. */
export function overviewSummaryQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['overview-summary', filters],
    queryFn: async () => (await runQuery<OverviewSummaryRow>(buildOverviewSummarySql(filters)))[0]!,
  });
}

/** Query options for the themes raised as weaknesses. */
export function weaknessThemesQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['weakness-themes', filters],
    queryFn: () => runQuery<WeaknessThemeRow>(buildWeaknessThemesSql(filters)),
  });
}

/** Query options for priority actions by reporting year. */
export function priorityByYearQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['priority-by-year', filters],
    queryFn: () => runQuery<PriorityByYearRow>(buildPriorityByYearSql(filters)),
  });
}

/** Query options for the council coverage list. */
export function coverageQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['coverage', filters],
    queryFn: () => runQuery<CoverageRow>(buildCoverageSql(filters)),
  });
}

/** Query options for coverage by region. */
export function coverageByRegionQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['coverage-by-region', filters],
    queryFn: () => runQuery<CoverageByRegionRow>(buildCoverageByRegionSql(filters)),
  });
}

/** The headline figures for the filters. */
export function useOverviewSummary(filters: Filters) {
  return useQuery(overviewSummaryQueryOptions(filters));
}

/** The themes raised as weaknesses for the filters. */
export function useWeaknessThemes(filters: Filters) {
  return useQuery(weaknessThemesQueryOptions(filters));
}

/** Priority actions by reporting year for the filters. */
export function usePriorityByYear(filters: Filters) {
  return useQuery(priorityByYearQueryOptions(filters));
}

/** The council coverage list for the filters. */
export function useCoverage(filters: Filters) {
  return useQuery(coverageQueryOptions(filters));
}

/** Coverage by region for the filters. */
export function useCoverageByRegion(filters: Filters) {
  return useQuery(coverageByRegionQueryOptions(filters));
}
