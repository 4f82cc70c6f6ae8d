import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter } from '@/lib/filters';
import {
  buildThemeGroupsSql,
  buildTrainerCouncilsSql,
  buildTrainerWeaknessesSql,
  type ThemeGroupRow,
  type TrainerCouncilRow,
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

/** Query options for the councils a pack can be made of. */
export function trainerCouncilsQueryOptions() {
  return queryOptions({
    queryKey: ['trainer-councils'],
    queryFn: () => runQuery<TrainerCouncilRow>(buildTrainerCouncilsSql()),
  });
}

/** The ranked weaknesses with their quotes; `enabled` false holds it (its councils unknown yet). */
export function useTrainerWeaknesses(params: TrainersParams, enabled = true) {
  return useQuery({ ...trainerWeaknessesQueryOptions(params), enabled });
}

/** The councils a pack can be made of, fetched once asked for. */
export function useTrainerCouncils(enabled: boolean) {
  return useQuery({ ...trainerCouncilsQueryOptions(), enabled });
}

/** The theme groups of the group filter. */
export function useThemeGroups() {
  return useQuery(themeGroupsQueryOptions());
}
