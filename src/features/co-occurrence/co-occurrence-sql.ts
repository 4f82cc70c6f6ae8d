import { LETTER_THEME_FACTS } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** One cell of the theme × theme matrix: letters with both themes raised as weaknesses. */
export interface CoOccurrenceRow {
  theme_a: string;
  label_a: string;
  theme_b: string;
  label_b: string;
  /** Letters with both themes as weaknesses (on the diagonal: letters with the theme). */
  letters_both: number;
  /** Letters with theme a as a weakness, and with theme b. */
  letters_a: number;
  letters_b: number;
  /** Letters under the filters: the n behind the lift. */
  letters: number;
  /** `letters_both × letters / (letters_a × letters_b)`: above 1, the pair meets more than chance. */
  lift: number;
}

/**
 * The filtered letters, and the weakness themes of each, one row per letter and theme (read from
 * the letter-theme facts, so that no finding is joined to its themes).
 */
function weakThemesSql(filters: Filters): SqlQuery {
  return sql`
    filtered_letters AS (${filteredLettersSql(filters)}),
    weak AS (
      SELECT DISTINCT x.letter_id, x.theme_id
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql([sql`x.section IN ${[...WEAKNESS_SECTIONS]}`, ...letterFieldConditions(filters, 'x')])}
    )`;
}

/**
 * Every pair of themes raised as a weakness in at least one filtered letter (both orders and the
 * diagonal, zeros included), with the letters that raised both and the lift.
 */
export function buildCoOccurrenceSql(filters: Filters): SqlQuery {
  return sql`
    WITH ${weakThemesSql(filters)},
    total AS (SELECT count(*)::INTEGER AS letters FROM filtered_letters),
    per_theme AS (SELECT theme_id, count(*)::INTEGER AS n FROM weak GROUP BY theme_id),
    pairs AS (
      SELECT a.theme_id AS theme_a, b.theme_id AS theme_b, count(*)::INTEGER AS n
      FROM weak AS a JOIN weak AS b USING (letter_id)
      GROUP BY a.theme_id, b.theme_id
    )
    SELECT pa.theme_id AS theme_a, ta.label AS label_a, pb.theme_id AS theme_b, tb.label AS label_b,
      coalesce(p.n, 0)::INTEGER AS letters_both,
      pa.n AS letters_a, pb.n AS letters_b, total.letters,
      (coalesce(p.n, 0) * total.letters / (pa.n * pb.n))::DOUBLE AS lift
    FROM per_theme AS pa
    CROSS JOIN per_theme AS pb
    CROSS JOIN total
    JOIN themes AS ta ON ta.theme_id = pa.theme_id
    JOIN themes AS tb ON tb.theme_id = pb.theme_id
    LEFT JOIN pairs AS p ON p.theme_a = pa.theme_id AND p.theme_b = pb.theme_id
    ORDER BY pa.n DESC, ta.label, pb.n DESC, tb.label`;
}

/** What the details of a cell ask for: the filters and the two themes. */
export interface CoOccurrenceLettersParams {
  filters: Filters;
  themeA: string;
  themeB: string;
}

/** One letter that raised both themes as weaknesses, with its findings on each. */
export interface CoOccurrenceLetterRow {
  letter_id: string;
  council_name: string;
  inspection_start: string;
  reporting_year: string;
  /** Weakness findings in the letter on theme a, on theme b, and on both at once. */
  findings_a: number;
  findings_b: number;
  findings_both: number;
}

/** The filtered letters with both themes raised as weaknesses, in inspection order. */
export function buildCoOccurrenceLettersSql(params: CoOccurrenceLettersParams): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    tagged AS (
      SELECT f.letter_id, f.finding_id,
        bool_or(ft.theme_id = ${params.themeA}) AS on_a,
        bool_or(ft.theme_id = ${params.themeB}) AS on_b
      FROM findings AS f
      JOIN filtered_letters AS l USING (letter_id)
      JOIN finding_themes AS ft USING (finding_id)
      WHERE f.section IN ${[...WEAKNESS_SECTIONS]}
      GROUP BY f.letter_id, f.finding_id
    ),
    per_letter AS (
      SELECT letter_id,
        count(*) FILTER (WHERE on_a)::INTEGER AS findings_a,
        count(*) FILTER (WHERE on_b)::INTEGER AS findings_b,
        count(*) FILTER (WHERE on_a AND on_b)::INTEGER AS findings_both
      FROM tagged GROUP BY letter_id
    )
    SELECT l.letter_id, l.council_name, l.inspection_start, l.reporting_year,
      p.findings_a, p.findings_b, p.findings_both
    FROM per_letter AS p JOIN filtered_letters AS l USING (letter_id)
    WHERE p.findings_a > 0 AND p.findings_b > 0
    ORDER BY l.inspection_start, l.council_name, l.letter_id`;
}
