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
