import type { Section } from '@/core/schema';
import { LETTER_THEME_FACTS, WEAKNESS_QUOTE_CANDIDATES } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** What the trainers' view shows: the shared letter filters and, optionally, one theme group. */
export interface TrainersParams {
  filters: Filters;
  /** A theme group's label, e.g. `Workforce`; unset means every group. */
  group?: string;
}

/** Quotes shown under each theme. */
export const QUOTES_PER_THEME = 3;

/**
 * A quote reads clearly on its own between these lengths (characters): shorter findings are
 * fragments of a list ("Number undertaken is low"), longer ones run on for many lines in print.
 */
export const QUOTE_MIN_CHARS = 40;

/** The upper bound of a clear quote's length; see {@link QUOTE_MIN_CHARS}. */
export const QUOTE_MAX_CHARS = 600;

/** Digits a finding's length takes in the quotes' ordering key (lengths below a billion). */
const KEY_CHARS_WIDTH = 9;

/** One finding quoted under a theme, with what a trainer cites it by. */
export interface TrainerQuote {
  finding_id: string;
  letter_id: string;
  council_name: string;
  reporting_year: string;
  inspection_start: string;
  section: Section;
  text: string;
  /** The words that placed the finding under this theme. */
  evidence: string | null;
  previously_identified: boolean;
  /** 1 when this theme is the finding's most central one. */
  theme_rank: number;
}

/** One theme raised as a weakness: its rank, how widely it was raised, and its quotes. */
export interface TrainerThemeRow {
  /** 1 = raised in the largest share of inspections, among every group's themes. */
  rank: number;
  theme_id: string;
  label: string;
  group_label: string;
  description: string;
  letters_with_theme: number;
  letters_total: number;
  share: number;
  /** Weakness findings on the theme (development and priority action). */
  weakness_findings: number;
  priority_findings: number;
  councils: number;
  quotes: TrainerQuote[];
}

/**
 * Themes raised as weaknesses in the filtered inspections, ranked by the share of inspections
 * that raised them, then by the number of findings, then by label. Each theme carries up to
 * {@link QUOTES_PER_THEME} quotes, taken in this order: findings of a clear length (see
 * {@link QUOTE_MIN_CHARS}) before the rest; among those, one per council before a second from any
 * council; then findings whose most central theme this is; then the shortest; then by finding id.
 *
 * The per-theme figures come from the letter-theme facts, the quotes' candidates from the weakness
 * quote candidates (src/lib/derived-tables.ts). Only a council's first
 * {@link QUOTES_PER_THEME} findings on a theme can be among the theme's first that many (each has
 * as many before it from the same council), so each council keeps that many, the theme's are
 * chosen among them, and only the chosen findings are joined to their letter's fields and text.
 * When a theme has a clear finding from {@link QUOTES_PER_THEME} councils or more, its quotes are
 * simply the first of the councils' best clear findings: each council's best is one hash
 * aggregate (`min` of a key whose text order is the ranking order: unclear, peripheral, length,
 * id), with no sort of every finding. The other themes (few councils) are ranked in full.
 */
export function buildTrainerWeaknessesSql(params: TrainersParams): SqlQuery {
  const groupConditions = params.group ? [sql`r.group_label = ${params.group}`] : [];
  const weakSection = sql`IN ${[...WEAKNESS_SECTIONS]}`;
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    total AS (SELECT count(*)::INTEGER AS n FROM filtered_letters),
    per_theme AS (
      SELECT x.theme_id,
        count(DISTINCT x.letter_id)::INTEGER AS letters_with_theme,
        sum(x.findings)::INTEGER AS weakness_findings,
        coalesce(sum(x.findings) FILTER (WHERE x.section = 'priority_action'), 0)::INTEGER
          AS priority_findings,
        count(DISTINCT x.council_name)::INTEGER AS councils
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql([sql`x.section ${weakSection}`, ...letterFieldConditions(params.filters, 'x')])}
      GROUP BY x.theme_id
    ),
    ranked AS (
      SELECT p.*, t.label, t.group_label, t.description, total.n AS letters_total,
        (p.letters_with_theme / nullif(total.n, 0))::DOUBLE AS share,
        row_number() OVER (
          ORDER BY p.letters_with_theme DESC, p.weakness_findings DESC, t.label, p.theme_id
        )::INTEGER AS rank
      FROM per_theme AS p JOIN themes AS t USING (theme_id) CROSS JOIN total
    ),
    shown AS (SELECT r.* FROM ranked AS r ${whereSql(groupConditions)}),
    candidates AS (
      SELECT q.theme_id, q.council_name, q.finding_id, q.theme_rank = 1 AS central, q.chars,
        q.chars BETWEEN ${QUOTE_MIN_CHARS} AND ${QUOTE_MAX_CHARS} AS clear
      FROM ${identifier(WEAKNESS_QUOTE_CANDIDATES)} AS q
      ${whereSql([sql`q.theme_id IN (SELECT theme_id FROM shown)`, ...letterFieldConditions(params.filters, 'q')])}
    ),
    council_best AS (
      SELECT theme_id, council_name,
        min(
          CASE WHEN clear THEN '0' ELSE '1' END || CASE WHEN central THEN '0' ELSE '1' END
            || lpad(chars::VARCHAR, ${KEY_CHARS_WIDTH}::INTEGER, '0') || finding_id
        ) AS k
      FROM candidates GROUP BY theme_id, council_name
    ),
    clear_councils AS (
      SELECT theme_id, count(*) FILTER (WHERE substr(k, 1, 1) = '0') AS n FROM council_best GROUP BY theme_id
    ),
    quick AS (
      SELECT b.theme_id, substr(b.k, ${KEY_CHARS_WIDTH + 3}::INTEGER) AS finding_id,
        row_number() OVER (PARTITION BY b.theme_id ORDER BY b.k) AS quote_order
      FROM council_best AS b JOIN clear_councils AS cc USING (theme_id)
      WHERE cc.n >= ${QUOTES_PER_THEME} AND substr(b.k, 1, 1) = '0'
      QUALIFY quote_order <= ${QUOTES_PER_THEME}
    ),
    council_ranked AS (
      SELECT c.*,
        row_number() OVER (
          PARTITION BY c.theme_id, c.council_name
          ORDER BY c.clear DESC, c.central DESC, c.chars, c.finding_id
        ) AS council_pick
      FROM candidates AS c JOIN clear_councils AS cc USING (theme_id)
      WHERE cc.n < ${QUOTES_PER_THEME}
      QUALIFY council_pick <= ${QUOTES_PER_THEME}
    ),
    ranked_in_full AS (
      SELECT q.theme_id, q.finding_id,
        row_number() OVER (
          PARTITION BY q.theme_id
          ORDER BY q.clear DESC, q.council_pick, q.central DESC, q.chars, q.finding_id
        ) AS quote_order
      FROM council_ranked AS q
      QUALIFY quote_order <= ${QUOTES_PER_THEME}
    ),
    picked AS (
      SELECT theme_id, finding_id, quote_order FROM quick
      UNION ALL
      SELECT theme_id, finding_id, quote_order FROM ranked_in_full
    )
    SELECT s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils,
      list({
        'finding_id': q.finding_id, 'letter_id': q.letter_id,
        'council_name': q.council_name, 'reporting_year': q.reporting_year,
        'inspection_start': q.inspection_start, 'section': q.section, 'text': f.text,
        'evidence': q.evidence, 'previously_identified': q.previously_identified,
        'theme_rank': q.theme_rank
      } ORDER BY p.quote_order) AS quotes
    FROM shown AS s
    JOIN picked AS p ON p.theme_id = s.theme_id
    JOIN ${identifier(WEAKNESS_QUOTE_CANDIDATES)} AS q
      ON q.finding_id = p.finding_id AND q.theme_id = p.theme_id
    JOIN findings AS f ON f.finding_id = p.finding_id
    GROUP BY s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils
    ORDER BY s.rank`;
}

/** A theme group, for the group filter. */
export interface ThemeGroupRow {
  group_label: string;
  themes: number;
}

/** The taxonomy's theme groups in the taxonomy file's order (the table keeps the file's rows). */
export function buildThemeGroupsSql(): SqlQuery {
  return sql`
    SELECT group_label, count(*)::INTEGER AS themes
    FROM themes
    GROUP BY group_label
    ORDER BY min(rowid)`;
}
