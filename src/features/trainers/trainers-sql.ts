import type { Section } from '@/core/schema';
import {
  COUNCIL_THEME_FACTS,
  LETTER_THEME_FACTS,
  MAX_QUOTES_PER_THEME,
  WEAKNESS_QUOTE_CANDIDATES,
} from '@/lib/derived-tables';
import {
  cellConditions,
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/**
 * What the trainers' pack is built from: the shared letter filters and, optionally, one theme
 * group, the first so many themes, so many quotes each, one of the two weakness sections, and
 * some councils only.
 */
export interface TrainersParams {
  filters: Filters;
  /** A theme group's label, e.g. `Workforce`; unset means every group. */
  group?: string;
  /** How many themes: the first so many of the list (after the group); every one when unset. */
  top?: number;
  /** Quotes under each theme, 0 to {@link MAX_QUOTES_PER_THEME}; {@link QUOTES_PER_THEME} when unset. */
  quotes?: number;
  /**
   * The weakness sections counted and quoted: areas for development, for priority action, or
   * both (the default, also when unset or empty).
   */
  sections?: readonly Section[];
  /** Only these councils' letters, by name; every council's when unset or empty. */
  councils?: readonly string[];
}

/** Quotes shown under each theme unless the pack asks for another number. */
export const QUOTES_PER_THEME = 3;

/** The sections of a pack as the query counts them: the weakness sections asked for, or both. */
export function packSections(sections: readonly Section[] | undefined): readonly Section[] {
  const chosen = WEAKNESS_SECTIONS.filter((s) => sections?.includes(s));
  return chosen.length === 0 ? WEAKNESS_SECTIONS : chosen;
}

/** The number of quotes under each theme, whole and within 0 to {@link MAX_QUOTES_PER_THEME}. */
export function packQuotes(quotes: number | undefined): number {
  if (quotes === undefined || !Number.isFinite(quotes)) return QUOTES_PER_THEME;
  return Math.max(0, Math.min(MAX_QUOTES_PER_THEME, Math.floor(quotes)));
}

export { MAX_QUOTES_PER_THEME, QUOTE_MAX_CHARS, QUOTE_MIN_CHARS } from '@/lib/derived-tables';

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
  /** Provenance (src/lib/citation.ts): where in which document the words are. */
  position: number;
  section_position: number;
  page: number | null;
  letter_date: string | null;
  source_file: string;
  document_kind: string;
  /** Added in this browser, not part of the published data. */
  added: boolean;
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
  /** With `top`: how many themes the list holds before it is cut to the first so many. */
  themes_in_list?: number;
}

/**
 * Themes raised as weaknesses in the filtered inspections, ranked by the share of inspections
 * that raised them, then by the number of findings, then by label. Each theme carries up to
 * {@link QUOTES_PER_THEME} quotes (or as many as `quotes` asks), taken in this order: findings of a clear length (see
 * {@link QUOTE_MIN_CHARS}) before the rest; among those, one per council before a second from any
 * council; then findings whose most central theme this is; then the shortest; then by finding id.
 *
 * The per-theme figures come from the letter-theme facts, the quotes' candidates from the weakness
 * quote candidates (src/lib/derived-tables.ts), numbered in the order of preference but for the
 * one-per-council rule (`quote_rank`). Only a council's first k findings on a theme (k quotes a
 * theme) can be among the theme's first k (each has as many before it from the same council), so
 * only each cell's first k candidates are read (`cell_pick`, the first rows of the table), each
 * council keeps its first k and the theme's are chosen among them. When a theme has a clear
 * finding from k councils or more, its quotes are simply the first of the councils' best
 * findings, each council's best being the `min` of its ranks (one hash aggregate, no sort); the
 * other themes (few councils) are ranked in full. Only the chosen quotes' texts are read, from the
 * same first rows of the candidates.
 *
 * A pack of one weakness section counts each theme's letters and findings in that section only,
 * from the per-letter facts, and quotes that section only; a pack of some councils counts their
 * letters only (the share is of their inspections) and quotes them only. Ranks are among every
 * group's themes under those settings; `top` keeps the first so many of the themes shown.
 */
export function buildTrainerWeaknessesSql(params: TrainersParams): SqlQuery {
  const groupConditions = params.group ? [sql`r.group_label = ${params.group}`] : [];
  const sections = packSections(params.sections);
  const oneSection = sections.length < WEAKNESS_SECTIONS.length;
  const quotesPerTheme = packQuotes(params.quotes);
  const councils = params.councils?.length ? [...params.councils] : null;
  const councilIn = (alias: string) =>
    councils ? [sql`${identifier(`${alias}.council_name`)} IN ${councils}`] : [];
  const top =
    params.top !== undefined && Number.isFinite(params.top) && params.top > 0
      ? Math.floor(params.top)
      : null;
  const perTheme = oneSection
    ? sql`
      SELECT x.theme_id,
        count(DISTINCT x.letter_id)::INTEGER AS letters_with_theme,
        sum(x.findings)::INTEGER AS weakness_findings,
        coalesce(sum(x.findings) FILTER (WHERE x.section = 'priority_action'), 0)::INTEGER
          AS priority_findings,
        count(DISTINCT x.council_name)::INTEGER AS councils
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql([sql`x.section IN ${[...sections]}`, ...letterFieldConditions(params.filters, 'x'), ...councilIn('x')])}
      GROUP BY x.theme_id`
    : sql`
      SELECT x.theme_id,
        sum(x.weakness_letters)::INTEGER AS letters_with_theme,
        sum(x.weakness_findings)::INTEGER AS weakness_findings,
        sum(x.priority_findings)::INTEGER AS priority_findings,
        count(DISTINCT x.council_name)::INTEGER AS councils
      FROM ${identifier(COUNCIL_THEME_FACTS)} AS x
      ${whereSql([sql`x.weakness_letters > 0`, ...cellConditions(params.filters, 'x'), ...councilIn('x')])}
      GROUP BY x.theme_id`;
  // The count is taken over the whole list, before LIMIT cuts it.
  const shown = top
    ? sql`SELECT r.*, count(*) OVER ()::INTEGER AS themes_in_list
      FROM ranked AS r ${whereSql(groupConditions)} ORDER BY r.rank LIMIT ${top}`
    : sql`SELECT r.* FROM ranked AS r ${whereSql(groupConditions)}`;
  const inList = top ? sql`, s.themes_in_list` : sql``;
  const head = sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    total AS (
      SELECT count(*)::INTEGER AS n FROM filtered_letters AS l ${whereSql(councilIn('l'))}
    ),
    per_theme AS (${perTheme}),
    ranked AS (
      SELECT p.*, t.label, t.group_label, t.description, total.n AS letters_total,
        (p.letters_with_theme / nullif(total.n, 0))::DOUBLE AS share,
        row_number() OVER (
          ORDER BY p.letters_with_theme DESC, p.weakness_findings DESC, t.label, p.theme_id
        )::INTEGER AS rank
      FROM per_theme AS p JOIN themes AS t USING (theme_id) CROSS JOIN total
    ),
    shown AS MATERIALIZED (${shown})`;
  if (quotesPerTheme === 0) {
    return sql`${head}
    SELECT s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils,
      [] AS quotes${inList}
    FROM shown AS s
    ORDER BY s.rank`;
  }
  const sectionIn = oneSection ? [sql`q.section IN ${[...sections]}`] : [];
  return sql`${head},
    candidates AS MATERIALIZED (
      -- Each cell's first so many (cell_pick) are all a pack of so many quotes can take: the
      -- table stores them first, so the rest of it is skipped.
      SELECT q.* EXCLUDE (text)
      FROM ${identifier(WEAKNESS_QUOTE_CANDIDATES)} AS q
      ${whereSql([sql`q.cell_pick <= ${quotesPerTheme}`, sql`q.theme_id IN (SELECT theme_id FROM shown)`, ...cellConditions(params.filters, 'q'), ...sectionIn, ...councilIn('q')])}
    ),
    council_best AS (
      SELECT theme_id, council_name, min(quote_rank) AS quote_rank, bool_or(clear) AS clear
      FROM candidates GROUP BY theme_id, council_name
    ),
    clear_councils AS (
      SELECT theme_id, count(*) FILTER (WHERE clear) AS n FROM council_best GROUP BY theme_id
    ),
    quick AS (
      SELECT b.theme_id, b.quote_rank,
        row_number() OVER (PARTITION BY b.theme_id ORDER BY b.quote_rank) AS quote_order
      FROM council_best AS b JOIN clear_councils AS cc USING (theme_id)
      WHERE cc.n >= ${quotesPerTheme} AND b.clear
      QUALIFY quote_order <= ${quotesPerTheme}
    ),
    council_ranked AS (
      SELECT c.theme_id, c.council_name, c.quote_rank, c.clear,
        row_number() OVER (
          PARTITION BY c.theme_id, c.council_name ORDER BY c.quote_rank
        ) AS council_pick
      FROM candidates AS c JOIN clear_councils AS cc USING (theme_id)
      WHERE cc.n < ${quotesPerTheme}
      QUALIFY council_pick <= ${quotesPerTheme}
    ),
    ranked_in_full AS (
      SELECT q.theme_id, q.quote_rank,
        row_number() OVER (
          PARTITION BY q.theme_id ORDER BY q.clear DESC, q.council_pick, q.quote_rank
        ) AS quote_order
      FROM council_ranked AS q
      QUALIFY quote_order <= ${quotesPerTheme}
    ),
    picked AS (
      SELECT quote_rank, quote_order FROM quick
      UNION ALL
      SELECT quote_rank, quote_order FROM ranked_in_full
    ),
    quotes AS MATERIALIZED (
      SELECT p.quote_order, q.* FROM candidates AS q JOIN picked AS p USING (quote_rank)
    ),
    texts AS MATERIALIZED (
      SELECT t.quote_rank, t.text FROM ${identifier(WEAKNESS_QUOTE_CANDIDATES)} AS t
      WHERE t.cell_pick <= ${quotesPerTheme} AND t.quote_rank IN (SELECT quote_rank FROM quotes)
    )
    SELECT s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils,
      list({
        'finding_id': q.finding_id, 'letter_id': q.letter_id,
        'council_name': q.council_name, 'reporting_year': q.reporting_year,
        'inspection_start': q.inspection_start, 'section': q.section, 'text': x.text,
        'evidence': q.evidence, 'previously_identified': q.previously_identified,
        'theme_rank': q.theme_rank, 'position': q.position, 'section_position': q.section_position,
        'page': q.page, 'letter_date': q.letter_date, 'source_file': q.source_file,
        'document_kind': q.document_kind, 'added': q.added
      } ORDER BY q.quote_order) AS quotes${inList}
    FROM shown AS s
    JOIN quotes AS q ON q.theme_id = s.theme_id
    JOIN texts AS x USING (quote_rank)
    GROUP BY s.rank, s.theme_id, s.label, s.group_label, s.description, s.letters_with_theme,
      s.letters_total, s.share, s.weakness_findings, s.priority_findings, s.councils${inList}
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

/** A council with letters held, for the pack's choice of councils. */
export interface TrainerCouncilRow {
  council_name: string;
  /** The DfE number links give it by; null for a council the reference list does not know. */
  dfe_la_code: number | null;
  region: string | null;
  letters: number;
}

/** Every council with a letter held (bundled or added), by name, whatever the filters. */
export function buildTrainerCouncilsSql(): SqlQuery {
  return sql`
    SELECT council_name, min(dfe_la_code)::INTEGER AS dfe_la_code, min(region) AS region,
      count(*)::INTEGER AS letters
    FROM letters
    GROUP BY council_name
    ORDER BY council_name`;
}
