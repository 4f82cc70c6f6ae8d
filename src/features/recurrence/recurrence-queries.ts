import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import type { Filters } from '@/lib/filters';
import {
  buildPreviouslyIdentifiedFindingsSql,
  buildPreviouslyIdentifiedThemesSql,
  buildRecurrenceInstancesSql,
  buildRecurrenceSummarySql,
  buildRecurrenceThemesSql,
  RECURRENCE_LIST_LIMIT,
  type PreviouslyIdentifiedFindingRow,
  type PreviouslyIdentifiedThemeRow,
  type RecurrenceInstanceRow,
  type RecurrenceSummaryRow,
  type RecurrenceThemeRow,
} from './recurrence-sql';

/** Recurrence across inspections: the counts it rests on, by theme, and each instance. */
export interface RecurrenceData {
  summary: RecurrenceSummaryRow;
  themes: RecurrenceThemeRow[];
  instances: RecurrenceInstanceRow[];
}

/** The findings letters mark as raised before: by theme, and each finding. */
export interface PreviouslyIdentifiedData {
  themes: PreviouslyIdentifiedThemeRow[];
  findings: PreviouslyIdentifiedFindingRow[];
}

/** Query options for themes raised again at a council's next inspection. */
export function recurrenceQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['recurrence', filters],
    queryFn: async (): Promise<RecurrenceData> => {
      const [summary] = await runQuery<RecurrenceSummaryRow>(buildRecurrenceSummarySql(filters));
      const themes = await runQuery<RecurrenceThemeRow>(buildRecurrenceThemesSql(filters));
      const instances = await runQuery<RecurrenceInstanceRow>(
        buildRecurrenceInstancesSql(filters, RECURRENCE_LIST_LIMIT),
      );
      return { summary: summary!, themes, instances };
    },
  });
}

/** Query options for the findings marked as raised at the previous inspection. */
export function previouslyIdentifiedQueryOptions(filters: Filters) {
  return queryOptions({
    queryKey: ['previously-identified', filters],
    queryFn: async (): Promise<PreviouslyIdentifiedData> => {
      const themes = await runQuery<PreviouslyIdentifiedThemeRow>(
        buildPreviouslyIdentifiedThemesSql(filters),
      );
      const findings = await runQuery<PreviouslyIdentifiedFindingRow>(
        buildPreviouslyIdentifiedFindingsSql(filters, RECURRENCE_LIST_LIMIT),
      );
      return { themes, findings };
    },
  });
}

/** Themes raised again at a council's next inspection. */
export function useRecurrence(filters: Filters) {
  return useQuery(recurrenceQueryOptions(filters));
}

/** Findings marked as raised at the previous inspection. */
export function usePreviouslyIdentified(filters: Filters) {
  return useQuery(previouslyIdentifiedQueryOptions(filters));
}

/** Every recurrence under the filters, for the CSV download (the view lists the first ones). */
export function fetchAllRecurrenceInstances(filters: Filters): Promise<RecurrenceInstanceRow[]> {
  return runQuery<RecurrenceInstanceRow>(buildRecurrenceInstancesSql(filters));
}

/** Every finding marked as raised before under the filters, for the CSV download. */
export function fetchAllPreviouslyIdentifiedFindings(
  filters: Filters,
): Promise<PreviouslyIdentifiedFindingRow[]> {
  return runQuery<PreviouslyIdentifiedFindingRow>(buildPreviouslyIdentifiedFindingsSql(filters));
}
