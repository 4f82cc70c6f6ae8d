import { COUNCIL_THEME_FACTS } from '@/lib/derived-tables';
import { cellConditions, filteredLettersSql, type Filters } from '@/lib/filters';
import { identifier, joinSql, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** Which findings count: weaknesses, strengths, or each of them as its own series. */
export type TrendMeasure = 'weakness' | 'strength' | 'both';

/** The parameters of the themes-over-time view. */
export interface ThemeTrendParams {
  filters: Filters;
  /** Theme ids to show; empty means the five raised most often under the measure. */
  themes: readonly string[];
  measure: TrendMeasure;
}

/** One theme's prevalence as a weakness or a strength in one reporting year. */
export interface ThemeTrendRow {
  reporting_year: string;
  theme_id: string;
  label: string;
  kind: 'weakness' | 'strength';
  letters: number;
  letters_with_theme: number;
  share: number;
}

/** How many themes the view draws at most, and how many it picks when none are chosen. */
export const MAX_TREND_THEMES = 8;
export const DEFAULT_TREND_THEMES = 5;

/** The facts' count of letters raising a theme under each measure. */
const LETTERS_COLUMN: Record<TrendMeasure, string> = {
  weakness: 'weakness_letters',
  strength: 'strength_letters',
  both: 'weakness_or_strength_letters',
};

/** Share of each year's filtered inspections raising each chosen theme, per kind of finding. */
export function buildThemeTrendSql(params: ThemeTrendParams): SqlQuery {
  const kinds = params.measure === 'both' ? ['weakness', 'strength'] : [params.measure];
  const chosen = params.themes.slice(0, MAX_TREND_THEMES);
  const facts = identifier(COUNCIL_THEME_FACTS);
  const conditions = cellConditions(params.filters, 'x');
  const letters = identifier(`x.${LETTERS_COLUMN[params.measure]}`);
  const chosenSql =
    chosen.length > 0
      ? sql`SELECT theme_id FROM themes WHERE theme_id IN ${chosen}`
      : sql`SELECT x.theme_id FROM ${facts} AS x
          ${whereSql(conditions)}
          GROUP BY x.theme_id
          HAVING sum(${letters}) > 0
          ORDER BY sum(${letters}) DESC, x.theme_id
          LIMIT ${DEFAULT_TREND_THEMES}`;
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    kinds(kind) AS (VALUES ${joinSql(
      kinds.map((kind) => sql`(${kind})`),
      ', ',
    )}),
    chosen AS (${chosenSql}),
    years AS (SELECT reporting_year, count(*)::INTEGER AS letters FROM filtered_letters GROUP BY reporting_year),
    hits AS (
      SELECT x.reporting_year, x.theme_id, k.kind,
        sum(CASE WHEN k.kind = 'weakness' THEN x.weakness_letters ELSE x.strength_letters END)
          ::INTEGER AS n
      FROM ${facts} AS x
      CROSS JOIN kinds AS k
      ${whereSql([sql`x.theme_id IN (SELECT theme_id FROM chosen)`, ...conditions])}
      GROUP BY x.reporting_year, x.theme_id, k.kind
    )
    SELECT y.reporting_year, t.theme_id, t.label, kk.kind, y.letters,
      coalesce(h.n, 0)::INTEGER AS letters_with_theme,
      (coalesce(h.n, 0) / y.letters)::DOUBLE AS share
    FROM years AS y
    CROSS JOIN chosen AS c
    JOIN themes AS t ON t.theme_id = c.theme_id
    CROSS JOIN kinds AS kk
    LEFT JOIN hits AS h ON h.reporting_year = y.reporting_year AND h.theme_id = c.theme_id AND h.kind = kk.kind
    ORDER BY y.reporting_year, t.label, kk.kind DESC`;
}

/** A theme for the chooser. */
export interface ThemeChoiceRow {
  theme_id: string;
  label: string;
  group_label: string;
}

/** Every theme, grouped, for the chooser. */
export function buildThemeChoicesSql(): SqlQuery {
  return sql`SELECT theme_id, label, group_label FROM themes ORDER BY group_label, label`;
}
