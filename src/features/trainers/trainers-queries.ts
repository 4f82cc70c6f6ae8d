import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter } from '@/lib/filters';
import {
  buildThemeGroupsSql,
  buildTrainerWeaknessesSql,
  type ThemeGroupRow,
  type TrainersParams,
  type TrainerThemeRow,
} from './trainers-sql';

/** Query options for the ranked weaknesses with their quotes. */
export function trainerWeaknessesQueryOptions(params: TrainersParams) {
  const built = withTagFilter(buildTrainerWeaknessesSql(params), params.filters);
  return queryOptions({
    queryKey: ['trainer-weaknesses', params],
    placeholderData: keepFiguresOnChange,
    queryFn: () => runQuery<TrainerThemeRow>(built),
  });
}

/** Query options for the theme groups of the group filter. */
export function themeGroupsQueryOptions() {
  return queryOptions({
    queryKey: ['theme-groups'],
    queryFn: () => runQuery<ThemeGroupRow>(buildThemeGroupsSql()),
  });
}

/** The ranked weaknesses with their quotes. */
export function useTrainerWeaknesses(params: TrainersParams) {
  return useQuery(trainerWeaknessesQueryOptions(params));
}

/** The theme groups of the group filter. */
export function useThemeGroups() {
  return useQuery(themeGroupsQueryOptions());
}
