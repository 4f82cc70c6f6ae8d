import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import { precomputedRows } from '@/lib/precomputed';
import {
  buildOverviewSql,
  type CoverageByRegionRow,
  type CoverageRow,
  type OverviewRow,
  type OverviewSummaryRow,
  type PriorityByYearRow,
  type WeaknessThemeRow,
} from './overview-sql';

/**
 * The unfiltered overview as the build answered it (overview.json), while the engine starts:
 * placeholder data is never cached, so live rows replace it as soon as the engine answers.
 */
function precomputedOverview(filters: Filters): (() => OverviewRow | undefined) | undefined {
  if (Object.keys(filters).length > 0) return undefined;
  return () => {
    const summary = precomputedRows<OverviewSummaryRow>('overview-summary')?.[0];
    const weakness = precomputedRows<WeaknessThemeRow>('weakness-themes');
    const priority = precomputedRows<PriorityByYearRow>('priority-by-year');
    const coverage = precomputedRows<CoverageRow>('coverage');
    const byRegion = precomputedRows<CoverageByRegionRow>('coverage-by-region');
    if (!summary || !weakness || !priority || !coverage || !byRegion) return undefined;
    return {
      summary,
      weakness_themes: weakness,
      priority_by_year: priority,
      coverage,
      coverage_by_region: byRegion,
    };
  };
}

/**
 * Query options for the whole overview: its five answers come from one statement
 * ({@link buildOverviewSql}), and each panel's hook selects its part.
 */
export function overviewQueryOptions(filters: Filters) {
  const built = withTagFilter(buildOverviewSql(filters), filters);
  return queryOptions({
    queryKey: ['overview', filters],
    queryFn: async () => (await runQuery<OverviewRow>(built))[0]!,
    // The build's answers while the engine starts; then, on a filter change, the figures on
    // screen until the new ones come, instead of a loading state that rebuilds the charts.
    placeholderData: (previous) => precomputedOverview(filters)?.() ?? previous,
  });
}

/** The headline figures for the filters. */
export function useOverviewSummary(filters: Filters) {
  return useQuery({ ...overviewQueryOptions(filters), select: (data) => data.summary });
}

/** The themes raised as weaknesses for the filters. */
export function useWeaknessThemes(filters: Filters) {
  return useQuery({ ...overviewQueryOptions(filters), select: (data) => data.weakness_themes });
}

/** Priority actions by reporting year for the filters. */
export function usePriorityByYear(filters: Filters) {
  return useQuery({ ...overviewQueryOptions(filters), select: (data) => data.priority_by_year });
}

/** The council coverage list for the filters. */
export function useCoverage(filters: Filters) {
  return useQuery({ ...overviewQueryOptions(filters), select: (data) => data.coverage });
}

/** Coverage by region for the filters. */
export function useCoverageByRegion(filters: Filters) {
  return useQuery({ ...overviewQueryOptions(filters), select: (data) => data.coverage_by_region });
}
