/**
 * Tables the engine derives from the contract's tables once they are loaded, in the browser, in
 * the build's precompute and in the SQL tests alike: a few views then filter and group one
 * pre-joined table instead of joining a million findings to their themes on every filter change
 * (as mosaic pre-aggregates for interactive filtering).
 */
import { sectionPositionSql, sectionPositionWindowSql } from './section-position';

/**
 * One row per letter, theme and section: the findings there with the theme (`findings`), how many
 * of them the letter marks as raised at the previous inspection (`previously_identified`), and
 * the letter's filterable fields and inspection date.
 */
export const LETTER_THEME_FACTS = 'letter_theme_facts';

/**
 * One row per council, reporting year, document kind, source (bundled or added in this session)
 * and theme: how many of those letters raised the theme as a weakness (development or priority
 * action), under priority action, as a strength, and as either, and how many findings each.
 * Its size is bounded by the councils, years and kinds, not by the letters: views that count
 * letters or findings per theme (overview, themes over time, heatmap, trainers) filter and sum it
 * instead of the per-letter facts.
 */
export const COUNCIL_THEME_FACTS = 'council_theme_facts';

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
  `CREATE OR REPLACE TABLE ${COUNCIL_THEME_FACTS} AS
  WITH per_letter AS (
    SELECT letter_id, theme_id, any_value(council_name) AS council_name,
      any_value(la_code) AS la_code, any_value(region) AS region, any_value(la_type) AS la_type,
      any_value(reporting_year) AS reporting_year, any_value(document_kind) AS document_kind,
      coalesce(sum(findings) FILTER (WHERE section IN ('development', 'priority_action')), 0)
        AS weakness_findings,
      coalesce(sum(findings) FILTER (WHERE section = 'priority_action'), 0) AS priority_findings,
      coalesce(sum(findings) FILTER (WHERE section = 'strength'), 0) AS strength_findings
    FROM ${LETTER_THEME_FACTS}
    GROUP BY letter_id, theme_id
  )
  SELECT council_name, la_code, region, la_type, reporting_year, document_kind,
    letter_id IN (SELECT letter_id FROM ${ADDED_LETTERS}) AS added, theme_id,
    count(*) FILTER (WHERE weakness_findings > 0)::INTEGER AS weakness_letters,
    count(*) FILTER (WHERE priority_findings > 0)::INTEGER AS priority_letters,
    count(*) FILTER (WHERE strength_findings > 0)::INTEGER AS strength_letters,
    count(*) FILTER (WHERE weakness_findings > 0 OR strength_findings > 0)::INTEGER
      AS weakness_or_strength_letters,
    sum(weakness_findings)::INTEGER AS weakness_findings,
    sum(priority_findings)::INTEGER AS priority_findings,
    sum(strength_findings)::INTEGER AS strength_findings
  FROM per_letter
  GROUP BY ALL`,
];

/**
 * A quote reads clearly on its own between these lengths (characters): shorter findings are
 * fragments of a list ("Number undertaken is low"), longer ones run on for many lines in print.
 */
export const QUOTE_MIN_CHARS = 40;

/** The upper bound of a clear quote's length; see {@link QUOTE_MIN_CHARS}. */
export const QUOTE_MAX_CHARS = 600;

/** The most quotes the trainers' pack takes under each theme. */
export const MAX_QUOTES_PER_THEME = 10;

/**
 * Findings raised as a weakness, one row per finding and theme on it: what the trainers' quotes
 * are chosen by and show (the text, its council, length, the theme's rank and evidence, its place
 * in the letter), with the letter's filterable fields, so that a filter change reads one table
 * instead of joining a million findings to their themes and measuring every text. Numbered in the quotes' order of preference (clear length first, then the theme central
 * to the finding, then the shortest, then by id) by `quote_rank`: a council's best quote on a
 * theme is then the `min` of an integer.
 *
 * Only each cell's first {@link MAX_QUOTES_PER_THEME} are kept (a cell: council, reporting year,
 * document kind, source, section and theme, every field a pack filters on), numbered
 * `cell_pick`, and the rows are stored by `cell_pick` then `quote_rank`. A pack of k quotes needs
 * no more than each cell's first k: a council's first k on a theme under any filters are among
 * the first k of the cells the filters keep. So it reads the rows with `cell_pick <= k`, which
 * come first, and the engine skips the rest of the table by its row groups' ranges.
 */
export const WEAKNESS_QUOTE_CANDIDATES = 'weakness_quote_candidates';

/**
 * Each pair of consecutive inspections (k, k+1) of the same council among all letters, with the
 * later one's filterable fields: the recurrence view filters these when no filter changes which
 * inspections are consecutive (document kind and source do; region and council type keep or drop
 * whole councils, and the year applies to the later inspection).
 */
export const RECURRENCE_PAIRS = 'recurrence_pairs';

/**
 * Per reporting year of the later inspection, region, council type and theme: at how many pairs
 * of {@link RECURRENCE_PAIRS} the theme was a weakness at the earlier inspection, and at how many
 * of those again at the later one. A few thousand rows at most, whatever the number of letters:
 * the recurrence's theme counts sum it rather than join every pair to its themes.
 */
export const RECURRENCE_THEME_COUNTS = 'recurrence_theme_counts';

/**
 * Every recurrence among {@link RECURRENCE_PAIRS}: a pair and a theme that was a weakness at both
 * inspections, with the theme's label, numbered by `instance_order` (council, later inspection
 * date, theme label, later letter, theme) and stored in that order, so that the first few under
 * the filters are a top-N of an integer.
 */
export const RECURRENCE_INSTANCES = 'recurrence_instances';

/**
 * Rows of {@link LETTER_THEME_FACTS} with findings marked as raised at the previous inspection:
 * a few percent of them, which the previously-identified theme counts read.
 */
export const PREVIOUSLY_IDENTIFIED_FACTS = 'previously_identified_facts';

/**
 * Every finding its letter marks as raised at the previous inspection, with its letter's fields,
 * its themes, its page and its number in its section: a few percent of the findings, listed by
 * the recurrence view as they are, without a lookup per finding on each filter change.
 */
export const PREVIOUSLY_IDENTIFIED_FINDINGS = 'previously_identified_findings';

/**
 * One row per finding in the evidence view's order (its letter's inspection date and council,
 * then its position in the letter), keyed in that order (`finding_order`) and stored in it,
 * with its letter's fields and its row in `findings` (`finding_row`, its rowid), but not its
 * text. The view takes the first matches by reading the first row groups (the engine skips the
 * rest once it holds enough), then reads only those findings' texts by row, instead of sorting
 * every matching finding, text and all, and joining it to its letter and themes.
 */
export const FINDINGS_IN_ORDER = 'findings_in_order';

/**
 * Every finding's themes (id, evidence, rank, confidence, uncertain) by its `finding_order` in {@link FINDINGS_IN_ORDER},
 * stored in that order: the themes of the findings the evidence view lists sit together, and are
 * read without scanning every finding's.
 */
export const FINDING_THEMES_IN_ORDER = 'finding_themes_in_order';

/** Each letter's themes raised as a weakness, one row each: what recurrence is counted from. */
const WEAK_LETTER_THEMES_CTE = `WITH weak AS (
      SELECT DISTINCT letter_id, theme_id FROM ${LETTER_THEME_FACTS}
      WHERE section IN ('development', 'priority_action')
    )`;

/**
 * Derived tables that only some views read, built the first time a query names one (in the
 * browser) rather than while the data loads, so that loading stays as fast as it was. Node's
 * precompute and tests build them with the rest ({@link ALL_DERIVED_TABLES_SQL}). In order: a
 * table may be built from one before it (the page builds those first, src/lib/duckdb.ts).
 */
export const ON_DEMAND_TABLES_SQL: Readonly<Record<string, readonly string[]>> = {
  [WEAKNESS_QUOTE_CANDIDATES]: [
    `CREATE OR REPLACE TABLE ${WEAKNESS_QUOTE_CANDIDATES} AS
    WITH numbered AS (
      -- Each finding's number in its section, counted once here rather than for each quote shown.
      SELECT f.finding_id, ${sectionPositionWindowSql('f').sql} AS section_position
      FROM findings AS f
      WHERE f.section IN ('development', 'priority_action')
    ),
    candidates AS (
      SELECT f.letter_id, l.council_name, l.region, c.la_type, l.reporting_year, l.document_kind,
        f.letter_id IN (SELECT letter_id FROM ${ADDED_LETTERS}) AS added,
        l.inspection_start, ft.theme_id, f.finding_id,
        f.section, ft.rank AS theme_rank, ft.evidence, f.previously_identified,
        length(f.text)::INTEGER AS chars,
        length(f.text) BETWEEN ${QUOTE_MIN_CHARS} AND ${QUOTE_MAX_CHARS} AS clear,
        n.section_position, f.position, f.page, l.letter_date, l.source_file, f.text
      FROM findings AS f
      JOIN numbered AS n USING (finding_id)
      JOIN finding_themes AS ft USING (finding_id)
      JOIN letters AS l USING (letter_id)
      LEFT JOIN councils AS c ON c.la_code = l.la_code
      WHERE f.section IN ('development', 'priority_action')
    ),
    ranked AS (
      SELECT *,
        row_number() OVER (
          ORDER BY clear DESC, theme_rank = 1 DESC, chars, finding_id, theme_id
        )::INTEGER AS quote_rank
      FROM candidates
    )
    SELECT *,
      row_number() OVER (
        PARTITION BY council_name, region, la_type, reporting_year, document_kind, added,
          section, theme_id
        ORDER BY quote_rank
      )::INTEGER AS cell_pick
    FROM ranked
    QUALIFY cell_pick <= ${MAX_QUOTES_PER_THEME}
    ORDER BY cell_pick, quote_rank`,
  ],
  [PREVIOUSLY_IDENTIFIED_FINDINGS]: [
    `CREATE OR REPLACE TABLE ${PREVIOUSLY_IDENTIFIED_FINDINGS} AS
    WITH marked AS (
      -- Each marked finding's number in its letter's section: counted once here, not each time
      -- the view asks.
      SELECT f.*, ${sectionPositionSql('f').sql} AS section_position
      FROM findings AS f
      WHERE f.previously_identified
    )
    SELECT f.finding_id, f.letter_id, l.council_name, l.inspection_start, l.reporting_year,
      l.region, c.la_type, l.document_kind, f.section, f.position, f.text, f.page,
      l.letter_date, l.source_file, f.section_position,
      coalesce(
        list({'theme_id': ft.theme_id, 'label': t.label} ORDER BY ft.rank)
          FILTER (WHERE ft.theme_id IS NOT NULL),
        []
      ) AS themes
    FROM marked AS f
    JOIN letters AS l USING (letter_id)
    LEFT JOIN councils AS c ON c.la_code = l.la_code
    LEFT JOIN finding_themes AS ft USING (finding_id)
    LEFT JOIN themes AS t ON t.theme_id = ft.theme_id
    GROUP BY f.finding_id, f.letter_id, l.council_name, l.inspection_start, l.reporting_year,
      l.region, c.la_type, l.document_kind, f.section, f.position, f.text, f.page,
      l.letter_date, l.source_file, f.section_position`,
  ],
  [FINDINGS_IN_ORDER]: [
    `CREATE OR REPLACE TABLE ${FINDINGS_IN_ORDER} AS
    WITH letters_in_order AS (
      SELECT l.letter_id, l.council_name, l.region, c.la_type, l.reporting_year, l.document_kind,
        l.letter_date, l.inspection_start,
        row_number() OVER (
          ORDER BY l.inspection_start, l.council_name, l.letter_id
        )::INTEGER AS letter_order
      FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code
    )
    SELECT f.rowid AS finding_row, f.finding_id, f.letter_id, f.section, f.position,
      f.previously_identified, o.council_name, o.region, o.la_type, o.reporting_year,
      o.document_kind, o.letter_date, o.inspection_start,
      ${sectionPositionWindowSql('f').sql} AS section_position,
      -- Letter, then position (unique in a letter): one integer to sort and compare.
      o.letter_order::BIGINT * 4294967296 + f.position AS finding_order
    FROM findings AS f JOIN letters_in_order AS o USING (letter_id)
    ORDER BY finding_order`,
  ],
  [FINDING_THEMES_IN_ORDER]: [
    `CREATE OR REPLACE TABLE ${FINDING_THEMES_IN_ORDER} AS
    SELECT o.finding_order, ft.theme_id, ft.evidence, ft.rank, ft.source, ft.confidence, ft.uncertain
    FROM finding_themes AS ft JOIN ${FINDINGS_IN_ORDER} AS o USING (finding_id)
    ORDER BY o.finding_order, ft.rank`,
  ],
  [RECURRENCE_PAIRS]: [
    `CREATE OR REPLACE TABLE ${RECURRENCE_PAIRS} AS
    WITH inspections AS (
      SELECT l.letter_id, l.council_name, l.reporting_year, l.inspection_start, l.region,
        c.la_type, coalesce(l.la_code, l.council_name) AS council_key,
        row_number() OVER (
          PARTITION BY coalesce(l.la_code, l.council_name) ORDER BY l.inspection_start, l.letter_id
        )::INTEGER AS inspection_number
      FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code
    )
    SELECT earlier.council_key, later.council_name,
      earlier.letter_id AS earlier_letter_id, earlier.inspection_start AS earlier_start,
      later.letter_id AS later_letter_id, later.inspection_start AS later_start,
      later.inspection_number AS later_number, later.reporting_year AS later_year,
      later.region, later.la_type
    FROM inspections AS earlier
    JOIN inspections AS later ON later.council_key = earlier.council_key
      AND later.inspection_number = earlier.inspection_number + 1`,
  ],
  [RECURRENCE_THEME_COUNTS]: [
    `CREATE OR REPLACE TABLE ${RECURRENCE_THEME_COUNTS} AS
    ${WEAK_LETTER_THEMES_CTE}
    SELECT p.later_year, p.region, p.la_type, b.theme_id,
      count(*)::INTEGER AS pairs_raised_before,
      count(a.letter_id)::INTEGER AS pairs_raised_again
    FROM ${RECURRENCE_PAIRS} AS p
    JOIN weak AS b ON b.letter_id = p.earlier_letter_id
    LEFT JOIN weak AS a ON a.letter_id = p.later_letter_id AND a.theme_id = b.theme_id
    GROUP BY ALL`,
  ],
  [RECURRENCE_INSTANCES]: [
    `CREATE OR REPLACE TABLE ${RECURRENCE_INSTANCES} AS
    ${WEAK_LETTER_THEMES_CTE}
    SELECT p.*, b.theme_id, t.label,
      row_number() OVER (
        ORDER BY p.council_name, p.later_start, t.label, p.later_letter_id, b.theme_id
      )::INTEGER AS instance_order
    FROM ${RECURRENCE_PAIRS} AS p
    JOIN weak AS b ON b.letter_id = p.earlier_letter_id
    JOIN weak AS a ON a.letter_id = p.later_letter_id AND a.theme_id = b.theme_id
    JOIN themes AS t ON t.theme_id = b.theme_id
    ORDER BY instance_order`,
  ],
  [PREVIOUSLY_IDENTIFIED_FACTS]: [
    `CREATE OR REPLACE TABLE ${PREVIOUSLY_IDENTIFIED_FACTS} AS
    SELECT * FROM ${LETTER_THEME_FACTS} WHERE previously_identified > 0`,
  ],
};

/** Every derived table's statements, the on-demand ones included, in order. */
export const ALL_DERIVED_TABLES_SQL: readonly string[] = [
  ...DERIVED_TABLES_SQL,
  ...Object.values(ON_DEMAND_TABLES_SQL).flat(),
];

/**
 * The tag filter (`tags=sure` in the URL, src/lib/filters.ts) leaves uncertain theme tags out of
 * every count. Every table above that is built from `finding_themes`, directly or through another
 * such table, has a "sure" twin: the same statements with each of those names prefixed by
 * {@link SURE_PREFIX}, read from {@link SURE_FINDING_THEMES} instead of `finding_themes`. The
 * twins are built on demand, the first time a query names one (src/lib/duckdb.ts), and a query
 * is pointed at them by the same renaming ({@link sureTableSql}).
 */
export const SURE_PREFIX = 'sure_';

/** The theme tags that are not uncertain (older files' tags, with no flag, count as certain). */
export const SURE_FINDING_THEMES = `${SURE_PREFIX}finding_themes`;

/** The table whose rows the tag filter leaves out when uncertain. */
const FINDING_THEMES = 'finding_themes';

/** A whole-word match of `name`: `finding_themes` does not match `finding_themes_in_order`. */
function wordPattern(names: readonly string[], flags = ''): RegExp {
  return new RegExp(`\\b(${names.join('|')})\\b`, flags);
}

/** The eager derived tables by name, in build order, as {@link DERIVED_TABLES_SQL} builds them. */
const EAGER_TABLES_SQL: readonly (readonly [string, string])[] = DERIVED_TABLES_SQL.map(
  (statement) => {
    const name = /^CREATE (?:OR REPLACE )?TABLE (?:IF NOT EXISTS )?(\w+)/.exec(statement)?.[1];
    if (!name) throw new Error(`derived-tables: no table name in ${statement.slice(0, 60)}`);
    return [name, statement] as const;
  },
);

/**
 * `finding_themes` and every derived table built from it, directly or through another such
 * table: the names the tag filter swaps for their sure twins.
 */
export const THEME_DEPENDENT_TABLES: readonly string[] = (() => {
  const dependent = [FINDING_THEMES];
  const tables: [string, readonly string[]][] = [
    ...EAGER_TABLES_SQL.map(([name, statement]): [string, readonly string[]] => [
      name,
      [statement],
    ]),
    ...Object.entries(ON_DEMAND_TABLES_SQL),
  ];
  for (const [name, statements] of tables) {
    const reads = wordPattern(dependent);
    if (statements.some((statement) => reads.test(statement))) dependent.push(name);
  }
  return dependent;
})();

const THEME_DEPENDENT_PATTERN = wordPattern(THEME_DEPENDENT_TABLES, 'g');

/** `sql` with every theme-dependent table name swapped for its sure twin's. */
export function sureTableSql(sql: string): string {
  return sql.replace(THEME_DEPENDENT_PATTERN, `${SURE_PREFIX}$1`);
}

/**
 * The sure twins' statements by table, in build order (a twin may be built from one before it,
 * or from an on-demand table of {@link ON_DEMAND_TABLES_SQL}): all built on demand.
 */
export const SURE_TABLES_SQL: Readonly<Record<string, readonly string[]>> = Object.fromEntries([
  [
    SURE_FINDING_THEMES,
    [
      `CREATE OR REPLACE VIEW ${SURE_FINDING_THEMES} AS
    SELECT * FROM ${FINDING_THEMES} WHERE uncertain IS NOT TRUE`,
    ],
  ],
  ...EAGER_TABLES_SQL.filter(([name]) => THEME_DEPENDENT_TABLES.includes(name)).map(
    ([name, statement]) => [SURE_PREFIX + name, [sureTableSql(statement)]],
  ),
  ...Object.entries(ON_DEMAND_TABLES_SQL)
    .filter(([name]) => THEME_DEPENDENT_TABLES.includes(name))
    .map(([name, statements]) => [SURE_PREFIX + name, statements.map(sureTableSql)]),
]);

/**
 * Every sure twin's statements, in order, for Node's tests to run after
 * {@link ALL_DERIVED_TABLES_SQL} (the build's precompute needs none: it answers with no filter).
 */
export const ALL_SURE_TABLES_SQL: readonly string[] = Object.values(SURE_TABLES_SQL).flat();
