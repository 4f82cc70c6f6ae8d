import { queryOptions, useQuery } from '@tanstack/react-query';
import { buildFilterOptionsSql, type FilterOptionRow } from '@/app/filter-options-sql';
import { query } from '@/lib/duckdb';
import { precomputedRows, usePrecomputedLoaded } from '@/lib/precomputed';

// Module-level, so that react-query sees the same functions on every render and memoises their
// results: a new `select` each time would rebuild the Map and re-render without end.
const precomputedChoices = () => precomputedRows<FilterOptionRow>('filter-options');

function groupByFilter(rows: FilterOptionRow[]): Map<string, string[]> {
  const byFilter = new Map<string, string[]>();
  for (const row of rows)
    byFilter.set(row.filter, [...(byFilter.get(row.filter) ?? []), row.value]);
  return byFilter;
}

/** Query options for the filter choices; the build's precomputed choices stand in meanwhile. */
export function filterOptionsQueryOptions() {
  const q = buildFilterOptionsSql();
  return queryOptions({
    queryKey: ['filter-options'],
    queryFn: () => query<FilterOptionRow>(q.sql, q.params),
    placeholderData: precomputedChoices,
  });
}

/** The filter choices, grouped by filter parameter. */
export function useFilterOptions() {
  // Re-render when the precomputed choices arrive, so that they show before the engine is up.
  usePrecomputedLoaded();
  return useQuery({ ...filterOptionsQueryOptions(), select: groupByFilter });
}

/** Labels for document kinds. */
export const KIND_LABELS: Record<string, string> = {
  ofsted_letter: 'Ofsted letter',
  council_report: "Council's own report",
};
