import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import {
  buildCoOccurrenceLettersSql,
  buildCoOccurrenceSql,
  type CoOccurrenceLetterRow,
  type CoOccurrenceLettersParams,
  type CoOccurrenceRow,
} from './co-occurrence-sql';

/** Query options for the theme × theme matrix. */
export function coOccurrenceQueryOptions(filters: Filters) {
  const built = withTagFilter(buildCoOccurrenceSql(filters), filters);
  return queryOptions({
    queryKey: ['co-occurrence', filters],
    placeholderData: keepFiguresOnChange,
    queryFn: () => runQuery<CoOccurrenceRow>(built),
  });
}

/** Query options for the letters behind one cell. */
export function coOccurrenceLettersQueryOptions(params: CoOccurrenceLettersParams) {
  return queryOptions({
    queryKey: ['co-occurrence-letters', params],
    queryFn: () =>
      runQuery<CoOccurrenceLetterRow>(
        withTagFilter(buildCoOccurrenceLettersSql(params), params.filters),
      ),
  });
}

/** The theme × theme matrix for the filters. */
export function useCoOccurrence(filters: Filters) {
  return useQuery(coOccurrenceQueryOptions(filters));
}

/** The letters with both themes of a cell as weaknesses. */
export function useCoOccurrenceLetters(params: CoOccurrenceLettersParams) {
  return useQuery(coOccurrenceLettersQueryOptions(params));
}
