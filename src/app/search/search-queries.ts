import { queryOptions, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Filters } from '@/lib/filters';
import { searchClient, type PreparedIndex } from '@/lib/search/search-client';
import type { SearchOutcome, SimilarOutcome } from '@/lib/search/search-model';
import { SIMILAR_LIMIT } from '@/lib/search/search-protocol';

/**
 * Search, similar findings and their index as react-query answers. The index is built in the
 * search worker over the engine's findings as they are (src/lib/search/search-client.ts); the
 * app invalidates every query when letters are added, corrected or themes saved, and a rebuild
 * happens only when the findings changed. Answers are cached under the index's generation.
 */
export function searchIndexQueryOptions() {
  return queryOptions({
    queryKey: ['search-index'],
    queryFn: () => searchClient().prepare(),
    staleTime: Infinity,
  });
}

/** The search index over every finding (built on first use). */
export function useSearchIndex(enabled = true): UseQueryResult<PreparedIndex> {
  return useQuery({ ...searchIndexQueryOptions(), enabled });
}

/**
 * The answer's query, or the index's when building the index failed (the answer then never
 * runs): what {@link QueryState} shows.
 */
function answerOf<T>(
  index: UseQueryResult<PreparedIndex>,
  answer: UseQueryResult<T>,
): UseQueryResult<T> {
  return index.status === 'error' ? (index as unknown as UseQueryResult<T>) : answer;
}

/**
 * What `query` finds under `filters`: counts, and the first `limit` matches. With
 * `keepPrevious`, the last answer stays while the next is computed (the count shown as one types).
 */
export function useSearchOutcome(
  query: string,
  filters: Filters,
  limit: number,
  options: { enabled?: boolean; keepPrevious?: boolean } = {},
): UseQueryResult<SearchOutcome> {
  const enabled = options.enabled ?? true;
  const index = useSearchIndex(enabled);
  const generation = index.data?.generation;
  const answer = useQuery({
    queryKey: ['search', generation, query, filters, limit],
    queryFn: () => searchClient().search(query, filters, limit),
    enabled: enabled && generation !== undefined,
    placeholderData: options.keepPrevious ? (previous) => previous : undefined,
  });
  return answerOf(index, answer);
}

/** The findings most like `findingId` (null: none asked for). */
export function useSimilarFindings(findingId: string | null): UseQueryResult<SimilarOutcome> {
  const index = useSearchIndex(findingId !== null);
  const generation = index.data?.generation;
  const answer = useQuery({
    queryKey: ['similar', generation, findingId],
    queryFn: () => searchClient().similar(findingId!, SIMILAR_LIMIT),
    enabled: findingId !== null && generation !== undefined,
  });
  return answerOf(index, answer);
}
