import type { Section } from '@/core/schema';
import { letterFieldConditions, sectionConditions, type Filters } from '@/lib/filters';
import { ADDED_LETTERS, FINDINGS_IN_ORDER } from '@/lib/derived-tables';
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

/**
 * The findings that match the filters and the chosen theme, council and letter, in date order
 * (inspection start, council, position in the letter).
 */
export function buildEvidenceSql(params: EvidenceParams): SqlQuery {
  const conditions: SqlQuery[] = [
    ...letterFieldConditions(params.filters, 'o'),
    ...sectionConditions(params.filters, 'o.section'),
  ];
  if (params.council) conditions.push(sql`o.council_name = ${params.council}`);
  if (params.letter) conditions.push(sql`o.letter_id = ${params.letter}`);
  if (params.theme) {
    conditions.push(
      sql`o.finding_id IN (SELECT finding_id FROM finding_themes WHERE theme_id = ${params.theme})`,
    );
  }
  const limit = Math.max(1, Math.floor(params.limit ?? EVIDENCE_LIMIT));
  // The matches come from the narrow, ordered table: the first ones in order from its first row
  // groups, with their letters' fields and their themes; the count reads no text. Only the listed
  // findings' texts are read from \`findings\`, by row, and matched again by id.
  // The matches are read twice, for the list and for the count, rather than held in a CTE the
  // engine would make whole (every matching row, themes and all) before counting it.
  const matching = sql`${identifier(FINDINGS_IN_ORDER)} AS o ${whereSql(conditions)}`;
  return sql`
    WITH listed AS MATERIALIZED (
      SELECT o.* FROM ${matching} ORDER BY letter_order, position, finding_id LIMIT ${limit}
    ),
    texts AS (
      SELECT f.finding_id, f.text FROM findings AS f
      WHERE f.rowid IN (SELECT finding_row FROM listed)
    ),
    listed_themes AS (
      SELECT m.finding_id,
        list({'theme_id': x.theme.theme_id, 'label': t.label, 'evidence': x.theme.evidence}
          ORDER BY x.theme.rank) AS themes
      FROM listed AS m, unnest(m.themes) AS x(theme)
      JOIN themes AS t ON t.theme_id = x.theme.theme_id
      GROUP BY m.finding_id
    )
    SELECT m.finding_id, m.letter_id, m.council_name, m.region, m.reporting_year, m.letter_date,
      m.inspection_start, m.document_kind, m.section, m.position, x.text, m.previously_identified,
      coalesce(lt.themes, []) AS themes,
      (SELECT count(*) FROM ${matching})::INTEGER AS total_matches,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added
    FROM listed AS m
    JOIN texts AS x USING (finding_id)
    LEFT JOIN listed_themes AS lt USING (finding_id)
    ORDER BY m.letter_order, m.position, m.finding_id`;
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
