import { keepFiguresOnChange } from '@/app/view-filters';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter, type Filters } from '@/lib/filters';
import {
  buildPreviouslyIdentifiedFindingsSql,
  buildPreviouslyIdentifiedSql,
  buildRecurrenceInstancesSql,
  buildRecurrenceSql,
  RECURRENCE_LIST_LIMIT,
  type PreviouslyIdentifiedFindingRow,
  type PreviouslyIdentifiedRow,
  type RecurrenceInstanceRow,
  type RecurrenceRow,
} from './recurrence-sql';

/** Recurrence across inspections: the counts it rests on, by theme, and the first instances. */
export type RecurrenceData = RecurrenceRow;

/** The findings letters mark as raised before: by theme, and the first findings. */
export type PreviouslyIdentifiedData = PreviouslyIdentifiedRow;

/** Query options for themes raised again at a council's next inspection (one statement). */
export function recurrenceQueryOptions(filters: Filters) {
  const built = withTagFilter(buildRecurrenceSql(filters, RECURRENCE_LIST_LIMIT), filters);
  return queryOptions({
    queryKey: ['recurrence', filters],
    placeholderData: keepFiguresOnChange,
    queryFn: async (): Promise<RecurrenceData> => (await runQuery<RecurrenceRow>(built))[0]!,
  });
}

/** Query options for the findings marked as raised at the previous inspection (one statement). */
export function previouslyIdentifiedQueryOptions(filters: Filters) {
  const built = withTagFilter(
    buildPreviouslyIdentifiedSql(filters, RECURRENCE_LIST_LIMIT),
    filters,
  );
  return queryOptions({
    queryKey: ['previously-identified', filters],
    placeholderData: keepFiguresOnChange,
    queryFn: async (): Promise<PreviouslyIdentifiedData> =>
      (await runQuery<PreviouslyIdentifiedRow>(built))[0]!,
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
  return runQuery<RecurrenceInstanceRow>(
    withTagFilter(buildRecurrenceInstancesSql(filters), filters),
  );
}

/** Every finding marked as raised before under the filters, for the CSV download. */
export function fetchAllPreviouslyIdentifiedFindings(
  filters: Filters,
): Promise<PreviouslyIdentifiedFindingRow[]> {
  return runQuery<PreviouslyIdentifiedFindingRow>(
    withTagFilter(buildPreviouslyIdentifiedFindingsSql(filters), filters),
  );
}
