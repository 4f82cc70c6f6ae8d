import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { sql } from '@/lib/sql';
import {
  buildLetterListSql,
  buildLetterSpansSql,
  buildLetterSql,
  type LetterDetailRow,
  type LetterListRow,
  type LetterSpanRow,
} from './letter-sql';

/** Query options for the letter picker. */
export function letterListQueryOptions() {
  return queryOptions({
    queryKey: ['letter-list'],
    queryFn: () => runQuery<LetterListRow>(buildLetterListSql()),
  });
}

/** Query options for one letter with its finding spans. */
export function letterQueryOptions(letterId: string) {
  return queryOptions({
    queryKey: ['letter', letterId],
    queryFn: async () => {
      const [letters, spans] = await Promise.all([
        runQuery<LetterDetailRow>(buildLetterSql(letterId)),
        runQuery<LetterSpanRow>(buildLetterSpansSql(letterId)),
      ]);
      return { letter: letters[0] ?? null, spans };
    },
  });
}

/** Every letter, for the picker. */
export function useLetterList() {
  return useQuery(letterListQueryOptions());
}

/** One letter and its finding spans; `letter` is null when the id is unknown. */
export function useLetter(letterId: string | undefined) {
  return useQuery({ ...letterQueryOptions(letterId ?? ''), enabled: Boolean(letterId) });
}

/** Every theme of the taxonomy, by label: what a correction can add to a finding. */
export function useThemeChoices() {
  return useQuery({
    queryKey: ['letter', 'theme-choices'],
    queryFn: () =>
      runQuery<{ theme_id: string; label: string }>(
        sql`SELECT theme_id, label FROM themes ORDER BY label`,
      ),
    staleTime: Infinity,
  });
}
