import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import { withTagFilter } from '@/lib/filters';
import {
  buildEvidenceChoicesSql,
  buildEvidenceSql,
  type EvidenceChoiceRow,
  type EvidenceParams,
  type EvidenceRow,
} from './evidence-sql';

/** Query options for the findings behind a selection. */
export function evidenceQueryOptions(params: EvidenceParams) {
  const built = withTagFilter(buildEvidenceSql(params), params.filters);
  return queryOptions({
    queryKey: ['evidence', params],
    queryFn: () => runQuery<EvidenceRow>(built),
    // "Show more" keeps the findings listed until the longer list arrives; any other change
    // shows its own loading state.
    placeholderData: (previous, previousQuery) =>
      previousQuery && sameSelection(previousQuery.queryKey[1] as EvidenceParams, params)
        ? previous
        : undefined,
  });
}

/** Whether two selections differ at most in how many findings they list. */
function sameSelection(a: EvidenceParams, b: EvidenceParams): boolean {
  return JSON.stringify({ ...a, limit: 0 }) === JSON.stringify({ ...b, limit: 0 });
}

/** Query options for the theme and council pickers. */
export function evidenceChoicesQueryOptions() {
  return queryOptions({
    queryKey: ['evidence-choices'],
    queryFn: () => runQuery<EvidenceChoiceRow>(buildEvidenceChoicesSql()),
  });
}

/** The findings behind a selection. */
export function useEvidence(params: EvidenceParams) {
  return useQuery(evidenceQueryOptions(params));
}

/** The theme and council pickers' choices. */
export function useEvidenceChoices() {
  return useQuery(evidenceChoicesQueryOptions());
}
