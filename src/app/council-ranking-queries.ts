import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter } from '@/lib/filters';
import {
  buildThemeRankingSql,
  buildWeaknessQuotesSql,
  withIntervals,
  type RankedCouncil,
  type RankingParams,
  type RankingRow,
  type WeaknessQuoteRow,
  type WeaknessQuotesParams,
} from './council-ranking-sql';

/** Query options for a ranking of councils (one theme's, or one council's on every theme). */
export function themeRankingQueryOptions(params: RankingParams) {
  const built = withTagFilter(buildThemeRankingSql(params), params.filters);
  return queryOptions({
    queryKey: ['theme-ranking', params],
    queryFn: async (): Promise<RankedCouncil[]> => withIntervals(await runQuery<RankingRow>(built)),
  });
}

/** Query options for a council's findings raised as weaknesses (optionally on one theme). */
export function weaknessQuotesQueryOptions(params: WeaknessQuotesParams) {
  const built = withTagFilter(buildWeaknessQuotesSql(params), params.filters);
  return queryOptions({
    queryKey: ['weakness-quotes', params],
    queryFn: () => runQuery<WeaknessQuoteRow>(built),
  });
}

/** Every council ranked on one theme (or one council on every theme), with intervals. */
export function useThemeRanking(params: RankingParams) {
  return useQuery(themeRankingQueryOptions(params));
}

/** A council's findings raised as weaknesses; fetched only while `enabled`. */
export function useWeaknessQuotes(params: WeaknessQuotesParams, enabled = true) {
  return useQuery({ ...weaknessQuotesQueryOptions(params), enabled });
}
