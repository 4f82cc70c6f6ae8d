import type { Section } from '@/core/schema';
import {
  ADDED_LETTERS,
  LETTER_THEME_FACTS,
  PREVIOUSLY_IDENTIFIED_FINDINGS,
  PREVIOUSLY_IDENTIFIED_FACTS,
  RECURRENCE_INSTANCES,
  RECURRENCE_PAIRS,
  RECURRENCE_THEME_COUNTS,
} from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, rowAsStructSql, rowsAsListSql, sql, whereSql, type SqlQuery } from '@/lib/sql';

/**
 * How many recurrences, and findings marked as raised before, the view lists; the CSV downloads
 * fetch them all, and the evidence view reads any theme's findings in full. A million findings
 * give 211,464 recurrences: the page cannot render them on every filter change, and at 100
 * rows each list still cost tens of milliseconds per change next to the view's two charts.
 */
export const RECURRENCE_LIST_LIMIT = 30;

/** How many letters a theme's row of the previously-identified table names at most. */
export const LETTERS_PER_THEME_LIMIT = 12;

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
  /** Every recurrence under the filters, of which these rows are the first. */
  total_instances: number;
}

/** A LIMIT clause for an optional cap on the rows listed; none lists them all. */
function limitSql(limit: number | undefined): SqlQuery {
  return limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/**
 * The CTEs a recurrence statement starts with and the three SELECTs that read them: the summary,
 * the theme counts and the recurrences (the first `limit` of them, with how many there are).
 */
interface RecurrenceParts {
  /** The CTEs the SELECTs read, or null when they read tables only. */
  ctes: SqlQuery | null;
  summary: SqlQuery;
  themes: SqlQuery;
  instances: (limit: number | undefined) => SqlQuery;
}

const SUMMARY_SELECT = sql`
    SELECT
      (SELECT count(*) FROM inspections)::INTEGER AS inspections,
      (SELECT count(DISTINCT council_key) FROM inspections)::INTEGER AS councils,
      (SELECT count(DISTINCT council_key) FROM pairs)::INTEGER AS councils_with_repeat,
      (SELECT count(*) FROM pairs)::INTEGER AS pairs`;

/**
 * Each council's inspections in date order, the pairs of consecutive ones (k, k+1), and per pair
 * each theme that was a weakness at the earlier one (`flagged`, with `again` when it was one at
 * the later one too). Councils are told apart by ONS code, or by name when the council was not
 * recognised. The year filter applies to the later inspection of a pair: "raised again at an
 * inspection in 2010-11". Materialized, as the summary, themes and recurrences all read them.
 */
function recurrenceParts(filters: Filters): RecurrenceParts {
  if (!filters.kind && !filters.source) return precomputedRecurrenceParts(filters);
  const { year, ...rest } = filters;
  const yearCondition = year ? sql`WHERE later.reporting_year = ${year}` : sql``;
  const ctes = sql`
    filtered_letters AS (${filteredLettersSql(rest)}),
    inspections AS MATERIALIZED (
      SELECT letter_id, council_name, reporting_year, inspection_start,
        coalesce(la_code, council_name) AS council_key,
        row_number() OVER (
          PARTITION BY coalesce(la_code, council_name) ORDER BY inspection_start, letter_id
        )::INTEGER AS inspection_number
      FROM filtered_letters
    ),
    pairs AS MATERIALIZED (
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
      SELECT DISTINCT x.letter_id, x.theme_id
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql([sql`x.section IN ${[...WEAKNESS_SECTIONS]}`, ...letterFieldConditions(rest, 'x')])}
    ),
    flagged AS MATERIALIZED (
      SELECT p.*, b.theme_id, a.letter_id IS NOT NULL AS again
      FROM pairs AS p
      JOIN weak_themes AS b ON b.letter_id = p.earlier_letter_id
      LEFT JOIN weak_themes AS a ON a.letter_id = p.later_letter_id AND a.theme_id = b.theme_id
    )`;
  const themes = sql`
    SELECT t.theme_id, t.label, t.group_label,
      (SELECT count(*) FROM pairs)::INTEGER AS pairs,
      count(*)::INTEGER AS pairs_raised_before,
      count(*) FILTER (WHERE fl.again)::INTEGER AS pairs_raised_again,
      (count(*) FILTER (WHERE fl.again) / count(*))::DOUBLE AS share_raised_again
    FROM flagged AS fl JOIN themes AS t USING (theme_id)
    GROUP BY t.theme_id, t.label, t.group_label
    ORDER BY pairs_raised_again DESC, pairs_raised_before DESC, t.label`;
  const instances = (limit: number | undefined) => sql`
    SELECT i.council_name, t.theme_id, t.label, i.earlier_letter_id, i.earlier_start,
      i.later_letter_id, i.later_start, i.later_number,
      (SELECT count(*) FROM flagged WHERE again)::INTEGER AS total_instances
    FROM flagged AS i
    JOIN themes AS t USING (theme_id)
    WHERE i.again
    ORDER BY i.council_name, i.later_start, t.label, i.later_letter_id, t.theme_id
    ${limitSql(limit)}`;
  return { ctes, summary: SUMMARY_SELECT, themes, instances };
}

/**
 * The same answers read from the tables derived once from all letters
 * (src/lib/derived-tables.ts), for filters that do not change which inspections are consecutive:
 * the region and council type keep or drop a council's inspections together, and the year
 * applies to the later inspection of a pair. The theme counts sum a table of a few thousand rows;
 * the first recurrences are a top-N of their stored order; the inspections are only counted.
 */
function precomputedRecurrenceParts(filters: Filters): RecurrenceParts {
  const conditions = (alias: string) => {
    const column = (name: string) => identifier(`${alias}.${name}`);
    const out: SqlQuery[] = [];
    if (filters.year) out.push(sql`${column('later_year')} = ${filters.year}`);
    if (filters.region) out.push(sql`${column('region')} = ${filters.region}`);
    if (filters.laType) out.push(sql`${column('la_type')} = ${filters.laType}`);
    return out;
  };
  const counts = sql`${identifier(RECURRENCE_THEME_COUNTS)} AS c ${whereSql(conditions('c'))}`;
  const pairs = sql`${identifier(RECURRENCE_PAIRS)} AS p ${whereSql(conditions('p'))}`;
  // No CTE: each answer reads what it needs (letters, pairs, counts) once, and the engine makes
  // nothing whole that a statement reads twice.
  const summary = sql`
    SELECT count(*)::INTEGER AS inspections,
      count(DISTINCT coalesce(l.la_code, l.council_name))::INTEGER AS councils,
      (SELECT count(DISTINCT p.council_key) FROM ${pairs})::INTEGER AS councils_with_repeat,
      (SELECT count(*) FROM ${pairs})::INTEGER AS pairs
    FROM (${filteredLettersSql({ ...filters, year: undefined })}) AS l`;
  const themes = sql`
    SELECT t.theme_id, t.label, t.group_label,
      (SELECT count(*) FROM ${pairs})::INTEGER AS pairs,
      sum(c.pairs_raised_before)::INTEGER AS pairs_raised_before,
      sum(c.pairs_raised_again)::INTEGER AS pairs_raised_again,
      (sum(c.pairs_raised_again) / sum(c.pairs_raised_before))::DOUBLE AS share_raised_again
    FROM ${identifier(RECURRENCE_THEME_COUNTS)} AS c JOIN themes AS t USING (theme_id)
    ${whereSql(conditions('c'))}
    GROUP BY t.theme_id, t.label, t.group_label
    ORDER BY pairs_raised_again DESC, pairs_raised_before DESC, t.label`;
  const instances = (limit: number | undefined) => sql`
    SELECT i.council_name, i.theme_id, i.label, i.earlier_letter_id, i.earlier_start,
      i.later_letter_id, i.later_start, i.later_number,
      (SELECT coalesce(sum(c.pairs_raised_again), 0) FROM ${counts})::INTEGER AS total_instances
    FROM ${identifier(RECURRENCE_INSTANCES)} AS i
    ${whereSql(conditions('i'))}
    ORDER BY i.instance_order
    ${limitSql(limit)}`;
  return { ctes: null, summary, themes, instances };
}

/** `select` after `WITH ctes`, or alone when there are none. */
function withCtes(ctes: SqlQuery | null, select: SqlQuery): SqlQuery {
  return ctes ? sql`WITH ${ctes} ${select}` : select;
}

/** The counts the recurrence rests on: inspections, councils, repeat councils and pairs. */
export function buildRecurrenceSummarySql(filters: Filters): SqlQuery {
  const parts = recurrenceParts(filters);
  return withCtes(parts.ctes, parts.summary);
}

/**
 * Per theme, over the pairs of consecutive inspections of the same council: how often the theme
 * was a weakness at the earlier one, and how often it was a weakness again at the later one.
 * Only themes raised before at least once are listed; no pairs gives no rows.
 */
export function buildRecurrenceThemesSql(filters: Filters): SqlQuery {
  const parts = recurrenceParts(filters);
  return withCtes(parts.ctes, parts.themes);
}

/**
 * The recurrences (council, theme and the two consecutive inspections that raised it), the
 * first `limit` of them in council and date order, each row with the number there are in all.
 */
export function buildRecurrenceInstancesSql(filters: Filters, limit?: number): SqlQuery {
  const parts = recurrenceParts(filters);
  return withCtes(parts.ctes, parts.instances(limit));
}

/** The recurrence's three answers together, in one row: what {@link buildRecurrenceSql} returns. */
export interface RecurrenceRow {
  summary: RecurrenceSummaryRow;
  themes: RecurrenceThemeRow[];
  instances: RecurrenceInstanceRow[];
}

/**
 * The summary, themes and first `limit` recurrences in one statement over one set of pairs: a
 * filter change costs one round trip, and the pairs are worked out once rather than three times.
 */
export function buildRecurrenceSql(filters: Filters, limit?: number): SqlQuery {
  const parts = recurrenceParts(filters);
  return withCtes(
    parts.ctes,
    sql`SELECT ${rowAsStructSql(parts.summary)} AS summary,
      ${rowsAsListSql(parts.themes)} AS themes,
      ${rowsAsListSql(parts.instances(limit))} AS instances`,
  );
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
  /**
   * The first {@link LETTERS_PER_THEME_LIMIT} letters with such a finding on the theme in date
   * order, and their councils, in the same order.
   */
  letter_ids: string[];
  council_names: string[];
}

/**
 * Per theme, the findings marked `previously_identified`, split by whether still a weakness, and
 * the first {@link LETTERS_PER_THEME_LIMIT} letters with such a finding (`letters` counts them
 * all). Read from the letter-theme facts with such findings: no finding is joined to its themes.
 */
export function buildPreviouslyIdentifiedThemesSql(filters: Filters): SqlQuery {
  const weak = sql`x.section IN ${[...WEAKNESS_SECTIONS]}`;
  return sql`
    WITH marked AS (
      SELECT x.theme_id, x.letter_id, x.council_name, x.inspection_start,
        x.previously_identified AS findings, ${weak} AS weak
      FROM ${identifier(PREVIOUSLY_IDENTIFIED_FACTS)} AS x
      ${whereSql(letterFieldConditions(filters, 'x'))}
    ),
    per_letter AS (
      SELECT theme_id, letter_id, any_value(council_name) AS council_name,
        min(inspection_start) AS inspection_start
      FROM marked GROUP BY theme_id, letter_id
    ),
    letter_lists AS (
      SELECT theme_id, count(*)::INTEGER AS letters,
        list_slice(
          list(letter_id ORDER BY inspection_start, council_name, letter_id), 1,
          ${LETTERS_PER_THEME_LIMIT}::INTEGER
        ) AS letter_ids,
        list_slice(
          list(council_name ORDER BY inspection_start, council_name, letter_id), 1,
          ${LETTERS_PER_THEME_LIMIT}::INTEGER
        ) AS council_names
      FROM per_letter GROUP BY theme_id
    ),
    per_theme AS (
      SELECT theme_id, sum(findings)::INTEGER AS findings,
        coalesce(sum(findings) FILTER (WHERE weak), 0)::INTEGER AS weakness_findings,
        coalesce(sum(findings) FILTER (WHERE NOT weak), 0)::INTEGER AS other_findings
      FROM marked GROUP BY theme_id
    )
    SELECT t.theme_id, t.label, t.group_label, p.findings, p.weakness_findings, p.other_findings,
      ll.letters, ll.letter_ids, ll.council_names
    FROM per_theme AS p
    JOIN themes AS t USING (theme_id)
    JOIN letter_lists AS ll USING (theme_id)
    ORDER BY p.findings DESC, p.weakness_findings DESC, t.label`;
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
  /** Every finding marked as raised before under the filters, of which these rows are the first. */
  total_findings: number;
  /** The letters those findings come from. */
  total_letters: number;
  /** Provenance (src/lib/citation.ts). */
  document_kind: string;
  letter_date: string | null;
  source_file: string;
  page: number | null;
  section_position: number;
  added: boolean;
}

/**
 * The findings marked `previously_identified` under the filters, with their themes: the first
 * `limit` in date order (all without one), each row with the number there are in all, read from
 * the derived table of such findings (src/lib/derived-tables.ts).
 */
export function buildPreviouslyIdentifiedFindingsSql(filters: Filters, limit?: number): SqlQuery {
  // The table is read for the list and again for the counts, rather than through a CTE the
  // engine would make whole (every marked finding, text and all) before counting it.
  const marked = sql`${identifier(PREVIOUSLY_IDENTIFIED_FINDINGS)} AS m ${whereSql(letterFieldConditions(filters, 'm'))}`;
  return sql`
    SELECT m.finding_id, m.letter_id, m.council_name, m.inspection_start, m.reporting_year,
      m.section, m.position, m.text, m.themes, m.document_kind, m.letter_date, m.source_file,
      m.page, m.section_position,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added,
      (SELECT count(*) FROM ${marked})::INTEGER AS total_findings,
      (SELECT count(DISTINCT m.letter_id) FROM ${marked})::INTEGER AS total_letters
    FROM ${marked}
    ORDER BY m.inspection_start, m.council_name, m.letter_id, m.position
    ${limitSql(limit)}`;
}

/** The previously-identified themes and first findings together, in one row. */
export interface PreviouslyIdentifiedRow {
  themes: PreviouslyIdentifiedThemeRow[];
  findings: PreviouslyIdentifiedFindingRow[];
}

/** The previously-identified themes and the first `limit` findings in one statement. */
export function buildPreviouslyIdentifiedSql(filters: Filters, limit?: number): SqlQuery {
  return sql`
    SELECT ${rowsAsListSql(buildPreviouslyIdentifiedThemesSql(filters))} AS themes,
      ${rowsAsListSql(buildPreviouslyIdentifiedFindingsSql(filters, limit))} AS findings`;
}
