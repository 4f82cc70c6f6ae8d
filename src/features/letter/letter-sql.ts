import type { Section } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import { sectionPositionWindowSql } from '@/lib/section-position';
import { identifier, sql, type SqlQuery } from '@/lib/sql';

/** A letter in the picker. */
export interface LetterListRow {
  letter_id: string;
  council_name: string;
  inspection_start: string;
  inspection_year: number;
  reporting_year: string;
  region: string | null;
  document_kind: string;
  finding_count: number;
  /** How many problems the reader flagged when it read the letter (`parse_warnings`). */
  warning_count: number;
  /** Added in this browser session rather than bundled. */
  added: boolean;
}

/** A letter's `parse_warnings` (one a line, or null) as a list, empty when there are none. */
const WARNINGS_LIST = sql`coalesce(string_split(parse_warnings, chr(10)), []::VARCHAR[])`;

/** Every letter, by council then date, for the picker. */
export function buildLetterListSql(): SqlQuery {
  return sql`
    SELECT letter_id, council_name, inspection_start, inspection_year, reporting_year, region,
      document_kind, finding_count,
      len(${WARNINGS_LIST})::INTEGER AS warning_count,
      letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added
    FROM letters ORDER BY council_name, inspection_start, letter_id`;
}

/** One letter's details and full text. */
export interface LetterDetailRow {
  letter_id: string;
  council_name: string;
  region: string | null;
  document_kind: string;
  letter_date: string | null;
  inspection_start: string;
  inspection_end: string;
  reporting_year: string;
  inspector: string | null;
  source_file: string;
  source_text: string;
  /** What looked wrong when the letter was read, one item per problem; empty when nothing did. */
  warnings: string[];
  /** Added in this browser session rather than bundled. */
  added: boolean;
}

/** One of a finding's themes as the letter view labels it. */
export interface LetterSpanTheme {
  theme_id: string;
  label: string;
  /** `tagger`, `reviewed` (a published correction) or `you` (this browser); null before 1.3. */
  source: string | null;
  /** Below the taxonomy's confidence threshold; null (files before contract 1.2) counts as sure. */
  uncertain: boolean | null;
  /** How sure the tagger is, 0 to 1; null in files before contract 1.2. */
  confidence: number | null;
}

/** A finding's span in its letter, with section and themes. */
export interface LetterSpanRow {
  finding_id: string;
  /** What corrections name the finding by; null in files before contract 1.3. */
  finding_key: string | null;
  position: number;
  /** The finding's number within its section, as a citation counts it. */
  section_position: number;
  /** The page it starts on, where the document has pages. */
  page: number | null;
  section: Section;
  /** The finding as the pipeline read it, for a span that marks no text. */
  text: string;
  char_start: number;
  char_end: number;
  previously_identified: boolean;
  /** Its themes' labels, most central first. */
  theme_labels: string[];
  /** Its themes, most central first, each with how sure the tagger is. */
  themes: LetterSpanTheme[];
}

/** A letter's details and text. */
export function buildLetterSql(letterId: string): SqlQuery {
  return sql`
    SELECT letter_id, council_name, region, document_kind, letter_date, inspection_start,
      inspection_end, reporting_year, inspector, source_file, source_text,
      ${WARNINGS_LIST} AS warnings,
      letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added
    FROM letters WHERE letter_id = ${letterId}`;
}

/** A letter's findings in text order, each with its themes' labels, most central first. */
export function buildLetterSpansSql(letterId: string): SqlQuery {
  return sql`
    WITH mine AS (
      SELECT *, ${sectionPositionWindowSql()} AS section_position
      FROM findings WHERE letter_id = ${letterId}
    )
    SELECT f.finding_id, f.finding_key, f.position, f.section_position, f.page, f.section, f.text,
      f.char_start, f.char_end, f.previously_identified,
      coalesce(list(t.label ORDER BY ft.rank) FILTER (WHERE t.label IS NOT NULL), []) AS theme_labels,
      coalesce(
        list({'theme_id': ft.theme_id, 'label': t.label, 'source': ft.source,
          'uncertain': ft.uncertain, 'confidence': ft.confidence}
          ORDER BY ft.rank) FILTER (WHERE t.label IS NOT NULL),
        []
      ) AS themes
    FROM mine AS f
    LEFT JOIN finding_themes AS ft ON ft.finding_id = f.finding_id
    LEFT JOIN themes AS t ON t.theme_id = ft.theme_id
    GROUP BY f.finding_id, f.finding_key, f.position, f.section_position, f.page, f.section,
      f.text, f.char_start, f.char_end, f.previously_identified
    ORDER BY f.char_start, f.position`;
}
