import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { buildFilterOptionsSql, type FilterOptionRow } from '@/app/filter-options-sql';
import { query } from '@/lib/duckdb';
import { SECTION_LABELS, SOURCE_LABELS, type FilterKey } from '@/lib/filters';
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

/** Where each select's choices come from: the filter-options rows' `filter`, or a fixed list. */
const OPTION_SOURCE: Record<Exclude<FilterKey, 'tags'>, string | readonly string[]> = {
  year: 'year',
  region: 'region',
  laType: 'la_type',
  kind: 'kind',
  section: Object.keys(SECTION_LABELS),
  source: Object.keys(SOURCE_LABELS),
};

/**
 * A select's choices besides "All", in the order it lists them: from the filter choices grouped
 * by filter (undefined while they load), or the contract's fixed list.
 */
export function filterChoices(
  key: Exclude<FilterKey, 'tags'>,
  byFilter: ReadonlyMap<string, string[]> | undefined,
): readonly string[] {
  const source = OPTION_SOURCE[key];
  return typeof source === 'string' ? (byFilter?.get(source) ?? []) : source;
}

/**
 * The filter choices as they stand in the query client's cache (the engine's answer, else the
 * build's), grouped by filter; undefined when neither is there yet.
 */
export function cachedFilterChoices(client: QueryClient): Map<string, string[]> | undefined {
  const rows = client.getQueryData(filterOptionsQueryOptions().queryKey) ?? precomputedChoices();
  return rows ? groupByFilter(rows) : undefined;
}

/** Labels for document kinds. */
export const KIND_LABELS: Record<string, string> = {
  ofsted_letter: 'Ofsted letter',
  council_report: "Council's own report",
};
