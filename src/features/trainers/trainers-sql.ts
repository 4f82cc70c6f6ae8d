import type { Section } from '@/core/schema';
import { filteredLettersSql, WEAKNESS_SECTIONS, type Filters } from '@/lib/filters';
import { sql, whereSql, type SqlQuery } from '@/lib/sql';

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
 */
export function buildTrainerWeaknessesSql(params: TrainersParams): SqlQuery {
  const groupConditions = params.group ? [sql`r.group_label = ${params.group}`] : [];
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    total AS (SELECT count(*)::INTEGER AS n FROM filtered_letters),
    weak AS (
      SELECT ft.theme_id, ft.rank AS theme_rank, ft.evidence, f.finding_id, f.letter_id,
        f.section, f.text, f.previously_identified, l.council_name, l.reporting_year,
        l.inspection_start, length(f.text) AS chars
      FROM findings AS f
      JOIN filtered_letters AS l USING (letter_id)
      JOIN finding_themes AS ft USING (finding_id)
      WHERE f.section IN ${[...WEAKNESS_SECTIONS]}
    ),
    per_theme AS (
      SELECT t.theme_id, t.label, t.group_label, t.description,
        count(DISTINCT w.letter_id)::INTEGER AS letters_with_theme,
        count(*)::INTEGER AS weakness_findings,
        count(*) FILTER (WHERE w.section = 'priority_action')::INTEGER AS priority_findings,
        count(DISTINCT w.council_name)::INTEGER AS councils
      FROM weak AS w
      JOIN themes AS t USING (theme_id)
      GROUP BY t.theme_id, t.label, t.group_label, t.description
    ),
    ranked AS (
      SELECT p.*, total.n AS letters_total,
        (p.letters_with_theme / nullif(total.n, 0))::DOUBLE AS share,
        row_number() OVER (
          ORDER BY p.letters_with_theme DESC, p.weakness_findings DESC, p.label, p.theme_id
        )::INTEGER AS rank
      FROM per_theme AS p CROSS JOIN total
    ),
    shown AS (SELECT r.* FROM ranked AS r ${whereSql(groupConditions)}),
    candidates AS (
      SELECT w.*,
        w.theme_rank = 1 AS central,
        w.chars BETWEEN ${QUOTE_MIN_CHARS} AND ${QUOTE_MAX_CHARS} AS clear
      FROM weak AS w
      WHERE w.theme_id IN (SELECT theme_id FROM shown)
    ),
    per_council AS (
      SELECT c.*,
        row_number() OVER (
          PARTITION BY c.theme_id, c.council_name
          ORDER BY c.clear DESC, c.central DESC, c.chars, c.finding_id
        ) AS council_pick
      FROM candidates AS c
    ),
    picked AS (
      SELECT q.*,
        row_number() OVER (
          PARTITION BY q.theme_id
          ORDER BY q.clear DESC, q.council_pick, q.central DESC, q.chars, q.finding_id
        ) AS quote_order
      FROM per_council AS q
    )
    SELECT s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils,
      list({
        'finding_id': p.finding_id, 'letter_id': p.letter_id, 'council_name': p.council_name,
        'reporting_year': p.reporting_year, 'inspection_start': p.inspection_start,
        'section': p.section, 'text': p.text, 'evidence': p.evidence,
        'previously_identified': p.previously_identified, 'theme_rank': p.theme_rank
      } ORDER BY p.quote_order) AS quotes
    FROM shown AS s
    JOIN picked AS p ON p.theme_id = s.theme_id AND p.quote_order <= ${QUOTES_PER_THEME}
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
