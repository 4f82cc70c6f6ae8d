import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import type { Filters } from '@/lib/filters';
import { precomputedRows } from '@/lib/precomputed';
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

/**
 * The build's answer for a query key while the live query runs, for the unfiltered overview only:
 * placeholder data is never cached, so live rows replace it as soon as the engine answers.
 */
function precomputed<Row, Data = Row[]>(
  key: string,
  filters: Filters,
  pick: (rows: Row[]) => Data = (rows) => rows as Data,
): (() => Data | undefined) | undefined {
  if (Object.keys(filters).length > 0) return undefined;
  return () => {
    const rows = precomputedRows<Row>(key);
    return rows && pick(rows);
  };
}

/** Query options for the headline figures. */
export function overviewSummaryQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['overview-summary', filters],
    queryFn: async () => (await runQuery<OverviewSummaryRow>(buildOverviewSummarySql(filters)))[0]!,
    placeholderData: precomputed(
      'overview-summary',
      filters,
      (rows: OverviewSummaryRow[]) => rows[0]!,
    ),
  });
}

/** Query options for the themes raised as weaknesses. */
export function weaknessThemesQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['weakness-themes', filters],
    queryFn: () => runQuery<WeaknessThemeRow>(buildWeaknessThemesSql(filters)),
    placeholderData: precomputed<WeaknessThemeRow>('weakness-themes', filters),
  });
}

/** Query options for priority actions by reporting year. */
export function priorityByYearQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['priority-by-year', filters],
    queryFn: () => runQuery<PriorityByYearRow>(buildPriorityByYearSql(filters)),
    placeholderData: precomputed<PriorityByYearRow>('priority-by-year', filters),
  });
}

/** Query options for the council coverage list. */
export function coverageQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['coverage', filters],
    queryFn: () => runQuery<CoverageRow>(buildCoverageSql(filters)),
    placeholderData: precomputed<CoverageRow>('coverage', filters),
  });
}

/** Query options for coverage by region. */
export function coverageByRegionQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['coverage-by-region', filters],
    queryFn: () => runQuery<CoverageByRegionRow>(buildCoverageByRegionSql(filters)),
    placeholderData: precomputed<CoverageByRegionRow>('coverage-by-region', filters),
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
