import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { buildThemeChoicesSql, type ThemeChoiceRow } from './ranking-sql';

/** Query options for the theme picker's choices. */
export function themeChoicesQueryOptions() {
  return queryOptions({
    queryKey: ['ranking-theme-choices'],
    queryFn: () => runQuery<ThemeChoiceRow>(buildThemeChoicesSql()),
  });
}

/** Every theme, for the picker. */
export function useThemeChoices() {
  return useQuery(themeChoicesQueryOptions());
}
