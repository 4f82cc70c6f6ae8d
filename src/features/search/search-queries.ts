import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { indexFindings } from './search-model';
import { buildSearchFindingsSql, type SearchFindingRow } from './search-sql';

/**
 * The findings and their search index, built once in the page and kept (the app invalidates
 * every query when letters are added or corrected, which rebuilds it).
 */
export function searchIndexQueryOptions() {
  return queryOptions({
    queryKey: ['search-index'],
    queryFn: async () => indexFindings(await runQuery<SearchFindingRow>(buildSearchFindingsSql())),
    staleTime: Infinity,
  });
}

/** The search index over every finding. */
export function useSearchIndex() {
  return useQuery(searchIndexQueryOptions());
}
