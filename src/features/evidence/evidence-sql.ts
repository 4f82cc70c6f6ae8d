import type { Section } from '@/core/schema';
import { filteredLettersSql, sectionConditions, type Filters } from '@/lib/filters';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** What the evidence view shows: the shared filters plus a theme, council or letter. */
export interface EvidenceParams {
  filters: Filters;
  theme?: string;
  council?: string;
  letter?: string;
  limit?: number;
}

/** One theme on a finding with the words that triggered it. */
export interface EvidenceTheme {
  theme_id: string;
  label: string;
  evidence: string | null;
}

/** One matching finding with its letter's details and all its themes, most central first. */
export interface EvidenceRow {
  finding_id: string;
  letter_id: string;
  council_name: string;
  region: string | null;
  reporting_year: string;
  letter_date: string | null;
  inspection_start: string;
  document_kind: string;
  section: Section;
  position: number;
  text: string;
  previously_identified: boolean;
  themes: EvidenceTheme[];
  total_matches: number;
  /** The letter was added in this browser session rather than bundled. */
  added: boolean;
}

/**
 * The findings listed at first, and added by each "Show more": the view says how many matched in
 * all. A hundred findings read as a page; rendering more at once (each with its highlighted
 * words and themes) made every filter change slow.
 */
export const EVIDENCE_LIMIT = 100;

/** The findings that match the filters and the chosen theme, council and letter, in date order. */
export function buildEvidenceSql(params: EvidenceParams): SqlQuery {
  const conditions: SqlQuery[] = [...sectionConditions(params.filters, 'f.section')];
  if (params.council) conditions.push(sql`l.council_name = ${params.council}`);
  if (params.letter) conditions.push(sql`f.letter_id = ${params.letter}`);
  if (params.theme) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM finding_themes AS m WHERE m.finding_id = f.finding_id AND m.theme_id = ${params.theme})`,
    );
  }
  const limit = Math.max(1, Math.floor(params.limit ?? EVIDENCE_LIMIT));
  // The matches are counted apart from the listing (a window over every match would hold all
  // their rows, text included), and only the listed findings are joined to their themes.
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    matching AS (
      SELECT f.finding_id, f.letter_id, f.section, f.position, f.text, f.previously_identified,
        l.council_name, l.region, l.reporting_year, l.letter_date, l.inspection_start,
        l.document_kind
      FROM findings AS f
      JOIN filtered_letters AS l USING (letter_id)
      ${whereSql(conditions)}
    ),
    listed AS (
      SELECT * FROM matching
      ORDER BY inspection_start, council_name, position, finding_id
      LIMIT ${limit}
    ),
    listed_themes AS (
      SELECT ft.finding_id, ft.theme_id, ft.evidence, ft.rank
      FROM finding_themes AS ft
      WHERE ft.finding_id IN (SELECT finding_id FROM listed)
    )
    SELECT m.finding_id, m.letter_id, m.council_name, m.region, m.reporting_year, m.letter_date,
      m.inspection_start, m.document_kind, m.section, m.position, m.text, m.previously_identified,
      coalesce(
        list({'theme_id': lt.theme_id, 'label': t.label, 'evidence': lt.evidence} ORDER BY lt.rank)
          FILTER (WHERE lt.theme_id IS NOT NULL),
        []
      ) AS themes,
      (SELECT count(*) FROM matching)::INTEGER AS total_matches,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added
    FROM listed AS m
    LEFT JOIN listed_themes AS lt ON lt.finding_id = m.finding_id
    LEFT JOIN themes AS t ON t.theme_id = lt.theme_id
    GROUP BY m.finding_id, m.letter_id, m.council_name, m.region, m.reporting_year, m.letter_date,
      m.inspection_start, m.document_kind, m.section, m.position, m.text, m.previously_identified
    ORDER BY m.inspection_start, m.council_name, m.position, m.finding_id`;
}

/** A choice for the evidence view's theme or council picker. */
export interface EvidenceChoiceRow {
  kind: 'theme' | 'council';
  value: string;
  label: string;
}

/** Every theme and every council with a letter, for the pickers. */
export function buildEvidenceChoicesSql(): SqlQuery {
  return sql`
    SELECT 'theme' AS kind, theme_id AS value, label FROM themes
    UNION ALL
    SELECT DISTINCT 'council', council_name, council_name FROM letters
    ORDER BY kind, label`;
}
