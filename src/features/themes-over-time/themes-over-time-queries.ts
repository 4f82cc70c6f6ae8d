import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter } from '@/lib/filters';
import {
  buildThemeChoicesSql,
  buildThemeTrendSql,
  type ThemeChoiceRow,
  type ThemeTrendParams,
  type ThemeTrendRow,
} from './themes-over-time-sql';

/** Query options for the theme trend. */
export function themeTrendQueryOptions(params: ThemeTrendParams) {
  const built = withTagFilter(buildThemeTrendSql(params), params.filters);
  return queryOptions({
    queryKey: ['theme-trend', params],
    placeholderData: keepFiguresOnChange,
    queryFn: () => runQuery<ThemeTrendRow>(built),
  });
}

/** Query options for the theme chooser. */
export function themeChoicesQueryOptions() {
  return queryOptions({
    queryKey: ['theme-choices'],
    queryFn: () => runQuery<ThemeChoiceRow>(buildThemeChoicesSql()),
  });
}

/** The theme trend for the parameters. */
export function useThemeTrend(params: ThemeTrendParams) {
  return useQuery(themeTrendQueryOptions(params));
}

/** The themes to choose from. */
export function useThemeChoices() {
  return useQuery(themeChoicesQueryOptions());
}
