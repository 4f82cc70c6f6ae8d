import type { Section } from '@/core/schema';
import { filteredLettersSql, WEAKNESS_SECTIONS, type Filters } from '@/lib/filters';
import { sql, type SqlQuery } from '@/lib/sql';

/** How many letters, councils and consecutive inspection pairs the recurrence rests on. */
export interface RecurrenceSummaryRow {
  /** Letters (inspections) under the filters other than the year. */
  inspections: number;
  councils: number;
  /** Councils with at least one later inspection in a pair counted. */
  councils_with_repeat: number;
  /** Pairs of consecutive inspections of the same council (k, k+1) counted. */
  pairs: number;
}

/** One theme: at how many consecutive pairs it was a weakness at inspection k, and again at k+1. */
export interface RecurrenceThemeRow {
  theme_id: string;
  label: string;
  group_label: string;
  pairs: number;
  pairs_raised_before: number;
  pairs_raised_again: number;
  /** `pairs_raised_again / pairs_raised_before`, or null when the theme was never raised. */
  share_raised_again: number | null;
}

/** One recurrence: a council, a theme, and the two consecutive inspections that raised it. */
export interface RecurrenceInstanceRow {
  council_name: string;
  theme_id: string;
  label: string;
  earlier_letter_id: string;
  earlier_start: string;
  later_letter_id: string;
  later_start: string;
  /** The later inspection's place in the council's sequence (2 for its second inspection). */
  later_number: number;
}

/**
 * Each council's inspections in date order and the pairs of consecutive ones (k, k+1). Councils
 * are told apart by ONS code, or by name when the council was not recognised. The year filter
 * applies to the later inspection of a pair: "raised again at an inspection in 2010-11".
 */
function pairsSql(filters: Filters): SqlQuery {
  const { year, ...rest } = filters;
  const yearCondition = year ? sql`WHERE later.reporting_year = ${year}` : sql``;
  return sql`
    filtered_letters AS (${filteredLettersSql(rest)}),
    inspections AS (
      SELECT letter_id, council_name, reporting_year, inspection_start,
        coalesce(la_code, council_name) AS council_key,
        row_number() OVER (
          PARTITION BY coalesce(la_code, council_name) ORDER BY inspection_start, letter_id
        )::INTEGER AS inspection_number
      FROM filtered_letters
    ),
    pairs AS (
      SELECT earlier.council_key, later.council_name,
        earlier.letter_id AS earlier_letter_id, earlier.inspection_start AS earlier_start,
        later.letter_id AS later_letter_id, later.inspection_start AS later_start,
        later.inspection_number AS later_number
      FROM inspections AS earlier
      JOIN inspections AS later ON later.council_key = earlier.council_key
        AND later.inspection_number = earlier.inspection_number + 1
      ${yearCondition}
    ),
    weak_themes AS (
      SELECT DISTINCT f.letter_id, ft.theme_id
      FROM findings AS f JOIN finding_themes AS ft USING (finding_id)
      WHERE f.section IN ${[...WEAKNESS_SECTIONS]}
    )`;
}

/** The counts the recurrence rests on: inspections, councils, repeat councils and pairs. */
export function buildRecurrenceSummarySql(filters: Filters): SqlQuery {
  return sql`
    WITH ${pairsSql(filters)}
    SELECT
      (SELECT count(*) FROM inspections)::INTEGER AS inspections,
      (SELECT count(DISTINCT council_key) FROM inspections)::INTEGER AS councils,
      (SELECT count(DISTINCT council_key) FROM pairs)::INTEGER AS councils_with_repeat,
      (SELECT count(*) FROM pairs)::INTEGER AS pairs`;
}

/**
 * Per theme, over the pairs of consecutive inspections of the same council: how often the theme
 * was a weakness at the earlier one, and how often it was a weakness again at the later one.
 * Only themes raised before at least once are listed; no pairs gives no rows.
 */
export function buildRecurrenceThemesSql(filters: Filters): SqlQuery {
  return sql`
    WITH ${pairsSql(filters)},
    flagged AS (
      SELECT p.*, b.theme_id,
        EXISTS (
          SELECT 1 FROM weak_themes AS a
          WHERE a.letter_id = p.later_letter_id AND a.theme_id = b.theme_id
        ) AS again
      FROM pairs AS p JOIN weak_themes AS b ON b.letter_id = p.earlier_letter_id
    )
    SELECT t.theme_id, t.label, t.group_label,
      (SELECT count(*) FROM pairs)::INTEGER AS pairs,
      count(*)::INTEGER AS pairs_raised_before,
      count(*) FILTER (WHERE fl.again)::INTEGER AS pairs_raised_again,
      (count(*) FILTER (WHERE fl.again) / count(*))::DOUBLE AS share_raised_again
    FROM flagged AS fl JOIN themes AS t USING (theme_id)
    GROUP BY t.theme_id, t.label, t.group_label
    ORDER BY pairs_raised_again DESC, pairs_raised_before DESC, t.label`;
}

/** Every recurrence: the council, theme and the two consecutive inspections that raised it. */
export function buildRecurrenceInstancesSql(filters: Filters): SqlQuery {
  return sql`
    WITH ${pairsSql(filters)}
    SELECT p.council_name, t.theme_id, t.label, p.earlier_letter_id, p.earlier_start,
      p.later_letter_id, p.later_start, p.later_number
    FROM pairs AS p
    JOIN weak_themes AS b ON b.letter_id = p.earlier_letter_id
    JOIN weak_themes AS a ON a.letter_id = p.later_letter_id AND a.theme_id = b.theme_id
    JOIN themes AS t ON t.theme_id = b.theme_id
    ORDER BY p.council_name, p.later_start, t.label`;
}

/** One theme among the findings that letters mark as raised at the previous inspection. */
export interface PreviouslyIdentifiedThemeRow {
  theme_id: string;
  label: string;
  group_label: string;
  findings: number;
  /** Of those, findings still under development or priority action. */
  weakness_findings: number;
  /** Of those, findings now under satisfactory practice or strengths. */
  other_findings: number;
  letters: number;
  /** The letters with such a finding on the theme, and their councils, in the same order. */
  letter_ids: string[];
  council_names: string[];
}

/** Per theme, the findings marked `previously_identified`, split by whether still a weakness. */
export function buildPreviouslyIdentifiedThemesSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)}),
    marked AS (
      SELECT f.finding_id, f.letter_id, f.section, l.council_name, l.inspection_start, ft.theme_id
      FROM findings AS f
      JOIN filtered_letters AS l USING (letter_id)
      JOIN finding_themes AS ft USING (finding_id)
      WHERE f.previously_identified
    ),
    per_letter AS (
      SELECT theme_id, letter_id, any_value(council_name) AS council_name,
        min(inspection_start) AS inspection_start
      FROM marked GROUP BY theme_id, letter_id
    ),
    letter_lists AS (
      SELECT theme_id,
        list(letter_id ORDER BY inspection_start, council_name, letter_id) AS letter_ids,
        list(council_name ORDER BY inspection_start, council_name, letter_id) AS council_names
      FROM per_letter GROUP BY theme_id
    )
    SELECT t.theme_id, t.label, t.group_label,
      count(DISTINCT m.finding_id)::INTEGER AS findings,
      count(DISTINCT m.finding_id) FILTER (WHERE m.section IN ${[...WEAKNESS_SECTIONS]})::INTEGER
        AS weakness_findings,
      count(DISTINCT m.finding_id) FILTER (WHERE m.section NOT IN ${[...WEAKNESS_SECTIONS]})::INTEGER
        AS other_findings,
      count(DISTINCT m.letter_id)::INTEGER AS letters,
      any_value(ll.letter_ids) AS letter_ids,
      any_value(ll.council_names) AS council_names
    FROM marked AS m
    JOIN themes AS t USING (theme_id)
    JOIN letter_lists AS ll USING (theme_id)
    GROUP BY t.theme_id, t.label, t.group_label
    ORDER BY findings DESC, weakness_findings DESC, t.label`;
}

/** A theme on a finding, for labels. */
export interface FindingThemeLabel {
  theme_id: string;
  label: string;
}

/** One finding that its letter marks as raised at the previous inspection. */
export interface PreviouslyIdentifiedFindingRow {
  finding_id: string;
  letter_id: string;
  council_name: string;
  inspection_start: string;
  reporting_year: string;
  section: Section;
  position: number;
  text: string;
  themes: FindingThemeLabel[];
}

/** Every finding marked `previously_identified` under the filters, with its themes. */
export function buildPreviouslyIdentifiedFindingsSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)})
    SELECT f.finding_id, f.letter_id, l.council_name, l.inspection_start, l.reporting_year,
      f.section, f.position, f.text,
      coalesce(
        list({'theme_id': ft.theme_id, 'label': t.label} ORDER BY ft.rank)
          FILTER (WHERE ft.theme_id IS NOT NULL),
        []
      ) AS themes
    FROM findings AS f
    JOIN filtered_letters AS l USING (letter_id)
    LEFT JOIN finding_themes AS ft USING (finding_id)
    LEFT JOIN themes AS t ON t.theme_id = ft.theme_id
    WHERE f.previously_identified
    GROUP BY f.finding_id, f.letter_id, l.council_name, l.inspection_start, l.reporting_year,
      f.section, f.position, f.text
    ORDER BY l.inspection_start, l.council_name, f.position`;
}
