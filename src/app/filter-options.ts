import { queryOptions, useQuery } from '@tanstack/react-query';
import { query } from '@/lib/duckdb';
import { sql, type SqlQuery } from '@/lib/sql';

/** One choice of a shared filter: which filter (its URL parameter) and the value. */
export interface FilterOptionRow {
  filter: 'year' | 'region' | 'la_type' | 'kind';
  value: string;
}

/** The values each shared filter can take, read from the data. */
export function buildFilterOptionsSql(): SqlQuery {
  return sql`
    SELECT DISTINCT 'year' AS filter, reporting_year AS value FROM letters WHERE reporting_year IS NOT NULL
    UNION ALL SELECT DISTINCT 'region', region FROM councils
    UNION ALL SELECT DISTINCT 'la_type', la_type FROM councils
    UNION ALL SELECT DISTINCT 'kind', document_kind FROM letters
    ORDER BY filter, value`;
}

/** Query options for the filter choices. */
export function filterOptionsQueryOptions() {
  const q = buildFilterOptionsSql();
  return queryOptions({
    queryKey: ['filter-options'],
    queryFn: () => query<FilterOptionRow>(q.sql, q.params),
  });
}

/** The filter choices, grouped by filter parameter. */
export function useFilterOptions() {
  return useQuery({
    ...filterOptionsQueryOptions(),
    select: (rows) => {
      const byFilter = new Map<string, string[]>();
      for (const row of rows)
        byFilter.set(row.filter, [...(byFilter.get(row.filter) ?? []), row.value]);
      return byFilter;
    },
  });
}

/** Labels for document kinds. */
export const KIND_LABELS: Record<string, string> = {
  ofsted_letter: 'Ofsted letter',
  council_report: "Council's own report",
};
