import type { Section } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { identifier, sql, type SqlQuery } from '@/lib/sql';

/**
 * One finding as search indexes, filters and lists it (the search view, similar findings, saved
 * themes): built in a worker from these rows (src/lib/search/search-worker.ts).
 */
export interface SearchFindingRow {
  finding_id: string;
  text: string;
  letter_id: string;
  section: Section;
  position: number;
  council_name: string;
  reporting_year: string;
  region: string | null;
  la_type: string | null;
  document_kind: string;
  inspection_start: string;
  letter_date: string | null;
  /** The letter was added in this browser session rather than bundled. */
  added: boolean;
}

/**
 * Every finding with its text and its letter's fields, in date order (inspection start, council,
 * letter, position): the search index is built from these once, and the shared filters are
 * applied to the matches from the same fields, so that a filter change needs no query.
 */
export function buildSearchFindingsSql(): SqlQuery {
  return sql`
    SELECT f.finding_id, coalesce(f.text, '') AS text, f.letter_id, f.section,
      f.position::INTEGER AS position, l.council_name, l.reporting_year, l.region, c.la_type,
      l.document_kind, CAST(l.inspection_start AS VARCHAR) AS inspection_start,
      CAST(l.letter_date AS VARCHAR) AS letter_date,
      f.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added
    FROM findings AS f
    JOIN letters AS l USING (letter_id)
    LEFT JOIN councils AS c ON c.la_code = l.la_code
    ORDER BY l.inspection_start, l.council_name, f.letter_id, f.position`;
}
