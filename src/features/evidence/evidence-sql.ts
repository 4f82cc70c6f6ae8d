import type { Section } from '@/core/schema';
import { letterFieldConditions, sectionConditions, type Filters } from '@/lib/filters';
import { ADDED_LETTERS, FINDING_THEMES_IN_ORDER, FINDINGS_IN_ORDER } from '@/lib/derived-tables';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** What the evidence view shows: the shared filters plus a theme, council or letter. */
export interface EvidenceParams {
  filters: Filters;
  theme?: string;
  council?: string;
  letter?: string;
  limit?: number;
}

/** One theme on a finding with the words that triggered it and how sure the tagger was. */
export interface EvidenceTheme {
  theme_id: string;
  label: string;
  evidence: string | null;
  /** 0 to 1; null in files written before contract 1.2. */
  confidence: number | null;
  /** Below the taxonomy's threshold; null (counted as certain) in files before contract 1.2. */
  uncertain: boolean | null;
  /** `tagger`, `reviewed` (a published correction) or `you` (this browser); null before 1.3. */
  source: string | null;
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
  /** Provenance (src/lib/citation.ts): the file, the page, the number within the section. */
  source_file: string;
  page: number | null;
  section_position: number;
  /** What corrections name the finding by; null in files before contract 1.3. */
  finding_key: string | null;
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
  // groups, with their letters' fields; the count reads no text. They are read twice, for the
  // list and for the count, rather than held in a CTE the engine would make whole before counting
  // it. Only the listed findings' texts are read from `findings`, by row (matched again by id),
  // and their themes from the themes stored in the same order.
  const matching = sql`${identifier(FINDINGS_IN_ORDER)} AS o ${whereSql(conditions)}`;
  return sql`
    WITH listed AS MATERIALIZED (
      SELECT o.* FROM ${matching} ORDER BY o.finding_order LIMIT ${limit}
    ),
    texts AS (
      SELECT f.finding_id, f.text, f.page, f.finding_key, l.source_file
      FROM findings AS f JOIN letters AS l ON l.letter_id = f.letter_id
      WHERE f.rowid IN (SELECT finding_row FROM listed)
    ),
    listed_themes AS (
      SELECT lt.finding_order,
        list({
          'theme_id': lt.theme_id, 'label': t.label, 'evidence': lt.evidence,
          'confidence': lt.confidence, 'uncertain': lt.uncertain, 'source': lt.source
        } ORDER BY lt.rank) AS themes
      FROM ${identifier(FINDING_THEMES_IN_ORDER)} AS lt
      JOIN themes AS t USING (theme_id)
      WHERE lt.finding_order IN (SELECT finding_order FROM listed)
      GROUP BY lt.finding_order
    )
    SELECT m.finding_id, m.letter_id, m.council_name, m.region, m.reporting_year, m.letter_date,
      m.inspection_start, m.document_kind, m.section, m.position, x.text, m.previously_identified,
      coalesce(lt.themes, []) AS themes,
      (SELECT count(*) FROM ${matching})::INTEGER AS total_matches,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added,
      x.source_file, x.page, m.section_position, x.finding_key
    FROM listed AS m
    JOIN texts AS x USING (finding_id)
    LEFT JOIN listed_themes AS lt USING (finding_order)
    ORDER BY m.finding_order`;
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
