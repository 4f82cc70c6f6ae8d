import { queryOptions, useQuery } from '@tanstack/react-query';
import { runQuery } from '@/lib/duckdb';
import {
  buildEvidenceChoicesSql,
  buildEvidenceSql,
  type EvidenceChoiceRow,
  type EvidenceParams,
  type EvidenceRow,
} from './evidence-sql';

/** Query options for the findings behind a selection. */
export function evidenceQueryOptions(params: EvidenceParams) {
  return queryOptions({
    queryKey: ['evidence', params],
    queryFn: () => runQuery<EvidenceRow>(buildEvidenceSql(params)),
  });
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
