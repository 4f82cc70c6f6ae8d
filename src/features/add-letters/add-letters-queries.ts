import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import {
  buildAddedLettersSql,
  buildLetterCountSql,
  type AddedLetterRow,
  type LetterCountRow,
} from './add-letters-sql';

/** Query options for the letters added in this session. */
export function addedLettersQueryOptions() {
  return queryOptions({
    queryKey: ['added-letters'],
    queryFn: () => runQuery<AddedLetterRow>(buildAddedLettersSql()),
  });
}

/** Query options for the session's letter counts. */
export function letterCountQueryOptions() {
  return queryOptions({
    queryKey: ['letter-count'],
    queryFn: async () => (await runQuery<LetterCountRow>(buildLetterCountSql()))[0]!,
  });
}

/** The letters added in this session. */
export function useAddedLetters() {
  return useQuery(addedLettersQueryOptions());
}

/** How many letters the session holds and how many were added in it. */
export function useLetterCount() {
  return useQuery(letterCountQueryOptions());
}
