import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import {
  buildCouncilChoicesSql,
  buildCouncilGroupsSql,
  buildCouncilInspectionsSql,
  buildCouncilRatesSql,
  buildCouncilRecurrenceSql,
  type CouncilChoiceRow,
  type CouncilGroupRow,
  type CouncilInspectionRow,
  type CouncilParams,
  type CouncilRateRow,
  type CouncilRecurrenceRow,
} from './council-sql';

/** Query options for the council picker's choices. */
export function councilChoicesQueryOptions(filters: Filters) {
  const built = withTagFilter(buildCouncilChoicesSql(filters), filters);
  return queryOptions({
    queryKey: ['council-choices', filters],
    queryFn: () => runQuery<CouncilChoiceRow>(built),
  });
}

/** Query options for the council's inspections. */
export function councilInspectionsQueryOptions(params: CouncilParams) {
  const built = withTagFilter(buildCouncilInspectionsSql(params), params.filters);
  return queryOptions({
    queryKey: ['council-inspections', params],
    queryFn: () => runQuery<CouncilInspectionRow>(built),
  });
}

/** The council's comparison groups and their rates on every theme. */
export interface CouncilRatesData {
  groups: CouncilGroupRow[];
  rates: CouncilRateRow[];
}

/** Query options for the council's comparison groups and their rates. */
export function councilRatesQueryOptions(params: CouncilParams) {
  const groupsSql = withTagFilter(buildCouncilGroupsSql(params), params.filters);
  const ratesSql = withTagFilter(buildCouncilRatesSql(params), params.filters);
  return queryOptions({
    queryKey: ['council-rates', params],
    queryFn: async (): Promise<CouncilRatesData> => {
      const groups = await runQuery<CouncilGroupRow>(groupsSql);
      const rates = await runQuery<CouncilRateRow>(ratesSql);
      return { groups, rates };
    },
  });
}

/** Query options for what recurred from one of the council's inspections to the next. */
export function councilRecurrenceQueryOptions(params: CouncilParams) {
  const built = withTagFilter(buildCouncilRecurrenceSql(params), params.filters);
  return queryOptions({
    queryKey: ['council-recurrence', params],
    queryFn: () => runQuery<CouncilRecurrenceRow>(built),
  });
}

/** Every council, for the picker. */
export function useCouncilChoices(filters: Filters) {
  return useQuery(councilChoicesQueryOptions(filters));
}

/** The council's inspections. */
export function useCouncilInspections(params: CouncilParams) {
  return useQuery(councilInspectionsQueryOptions(params));
}

/** The council's comparison groups and their rates. */
export function useCouncilRates(params: CouncilParams) {
  return useQuery(councilRatesQueryOptions(params));
}

/** What recurred between the council's consecutive inspections. */
export function useCouncilRecurrence(params: CouncilParams) {
  return useQuery(councilRecurrenceQueryOptions(params));
}
