import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import {
  buildCompareGroupsSql,
  buildCompareSharesSql,
  buildCouncilChoicesSql,
  type CompareGroupRow,
  type CompareParams,
  type CompareShareRow,
  type CouncilChoiceRow,
} from './compare-sql';

/** The compare view's data: each chosen council's comparison groups and their theme shares. */
export interface CompareData {
  groups: CompareGroupRow[];
  shares: CompareShareRow[];
}

/** Query options for the chosen councils' groups and shares (both measures at once). */
export function compareQueryOptions(params: CompareParams) {
  const groupsSql = withTagFilter(buildCompareGroupsSql(params), params.filters);
  const sharesSql = withTagFilter(buildCompareSharesSql(params), params.filters);
  return queryOptions({
    queryKey: ['compare', params],
    queryFn: async (): Promise<CompareData> => {
      const groups = await runQuery<CompareGroupRow>(groupsSql);
      const shares = await runQuery<CompareShareRow>(sharesSql);
      return { groups, shares };
    },
  });
}

/** Query options for the council picker's choices. */
export function councilChoicesQueryOptions(filters: Filters) {
  const built = withTagFilter(buildCouncilChoicesSql(filters), filters);
  return queryOptions({
    queryKey: ['compare-council-choices', filters],
    queryFn: () => runQuery<CouncilChoiceRow>(built),
  });
}

/** The chosen councils' comparison groups and shares. */
export function useCompare(params: CompareParams) {
  return useQuery(compareQueryOptions(params));
}

/** Every council, for the picker. */
export function useCouncilChoices(filters: Filters) {
  return useQuery(councilChoicesQueryOptions(filters));
}
