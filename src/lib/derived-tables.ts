/**
 * Tables the engine derives from the contract's tables once they are loaded, in the browser, in
 * the build's precompute and in the SQL tests alike: a few views then filter and group one
 * pre-joined table instead of joining a million findings to their themes on every filter change
 * (as mosaic pre-aggregates for interactive filtering).
 */

/**
 * One row per letter, theme and section: the findings there with the theme (`findings`), how many
 * of them the letter marks as raised at the previous inspection (`previously_identified`), and
 * the letter's filterable fields and inspection date.
 */
export const LETTER_THEME_FACTS = 'letter_theme_facts';

/**
 * The letters added in this browser session (src/features/add-letters), one `letter_id` each:
 * not part of the Parquet contract; the "Source" filter reads it.
 */
export const ADDED_LETTERS = 'added_letters';

/** The statements that (re)build the derived tables, in order. */
export const DERIVED_TABLES_SQL: readonly string[] = [
  // Created empty once and kept across rebuilds, so that the Source filter always has a table.
  `CREATE TABLE IF NOT EXISTS ${ADDED_LETTERS} (letter_id VARCHAR)`,
  `CREATE OR REPLACE TABLE ${LETTER_THEME_FACTS} AS
  WITH per_letter AS (
    SELECT f.letter_id, ft.theme_id, f.section, count(*)::INTEGER AS findings,
      count(*) FILTER (WHERE f.previously_identified)::INTEGER AS previously_identified
    FROM findings AS f JOIN finding_themes AS ft USING (finding_id)
    GROUP BY f.letter_id, ft.theme_id, f.section
  )
  SELECT x.letter_id, l.council_name, l.la_code, l.region, c.la_type, l.reporting_year,
    l.document_kind, l.inspection_start, x.theme_id, x.section, x.findings, x.previously_identified
  FROM per_letter AS x
  JOIN letters AS l USING (letter_id)
  LEFT JOIN councils AS c ON c.la_code = l.la_code`,
];

/**
 * One row per finding raised as a weakness and theme on it: what the trainers' quotes are chosen
 * by and show, but the text (its council, length, the theme's rank and evidence), with the
 * letter's filterable fields, so that a filter change reads one narrow table instead of joining a
 * million findings to their themes and measuring every text.
 */
export const WEAKNESS_QUOTE_CANDIDATES = 'weakness_quote_candidates';

/**
 * Derived tables that only some views read, built the first time a query names one (in the
 * browser) rather than while the data loads, so that loading stays as fast as it was. Node's
 * precompute and tests build them with the rest ({@link ALL_DERIVED_TABLES_SQL}).
 */
export const ON_DEMAND_TABLES_SQL: Readonly<Record<string, readonly string[]>> = {
  [WEAKNESS_QUOTE_CANDIDATES]: [
    `CREATE OR REPLACE TABLE ${WEAKNESS_QUOTE_CANDIDATES} AS
    SELECT f.letter_id, l.council_name, l.region, c.la_type, l.reporting_year, l.document_kind,
      l.inspection_start, ft.theme_id, f.finding_id, f.section, ft.rank AS theme_rank,
      ft.evidence, f.previously_identified, length(f.text)::INTEGER AS chars
    FROM findings AS f
    JOIN finding_themes AS ft USING (finding_id)
    JOIN letters AS l USING (letter_id)
    LEFT JOIN councils AS c ON c.la_code = l.la_code
    WHERE f.section IN ('development', 'priority_action')`,
  ],
};

/** Every derived table's statements, the on-demand ones included, in order. */
export const ALL_DERIVED_TABLES_SQL: readonly string[] = [
  ...DERIVED_TABLES_SQL,
  ...Object.values(ON_DEMAND_TABLES_SQL).flat(),
];
