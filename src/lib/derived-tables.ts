/**
 * Tables the engine derives from the contract's tables once they are loaded, in the browser, in
 * the build's precompute and in the SQL tests alike: a few views then filter and group one
 * pre-joined table instead of joining a million findings to their themes on every filter change
 * (as mosaic pre-aggregates for interactive filtering).
 */

/**
 * One row per letter, theme and section: the findings there with the theme, and the letter's
 * filterable fields.
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
    SELECT f.letter_id, ft.theme_id, f.section, count(*)::INTEGER AS findings
    FROM findings AS f JOIN finding_themes AS ft USING (finding_id)
    GROUP BY f.letter_id, ft.theme_id, f.section
  )
  SELECT x.letter_id, l.council_name, l.la_code, l.region, c.la_type, l.reporting_year,
    l.document_kind, x.theme_id, x.section, x.findings
  FROM per_letter AS x
  JOIN letters AS l USING (letter_id)
  LEFT JOIN councils AS c ON c.la_code = l.la_code`,
];
