/**
 * What the council profile and the theme ranking share (they meet here, as features do not
 * import each other): councils ranked on a theme raised as a weakness, with intervals and quartile
 * bands, and a council's findings raised as weaknesses.
 */
import type { Section } from '@/core/schema';
import { ADDED_LETTERS, LETTER_THEME_FACTS } from '@/lib/derived-tables';
import {
  filteredLettersSql,
  letterFieldConditions,
  WEAKNESS_SECTIONS,
  type Filters,
} from '@/lib/filters';
import { sectionPositionWindowSql } from '@/lib/section-position';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';
import { wilsonInterval } from '@/lib/wilson';

/**
 * Below this many letters a council's (or a group's) share rests on too few inspections to read
 * on its own: it is greyed and said to be so, in the council profile and the theme ranking alike.
 * It is still ranked, and counts among the councils ranked.
 */
export const FEW_LETTERS = 3;

/**
 * A quartile band: A is the quarter of councils whose letters raised the theme most often, D the
 * quarter that raised it least ({@link RANK_RULE}).
 */
export type Quartile = 'A' | 'B' | 'C' | 'D';

/** The quartile bands from the end where the theme was raised most often. */
export const QUARTILES: readonly Quartile[] = ['A', 'B', 'C', 'D'];

/** How the ranks and bands are made, in words, for the views to say wherever they show them. */
export const RANK_RULE =
  'Rank 1 is the council whose letters raised the theme as a weakness most often (the largest share of its letters). Councils with the same share have the same rank, the best of their places (1, 2, 2, 4: one more than the number of councils with a larger share). Quartile A is the quarter of councils where the theme was raised most often, D the quarter where it was raised least. A council takes the band of the middle of the places it shares with the councils tied with it (all its own place when there is no tie): A when that middle lies in the first quarter of the councils ranked, B in the second, C in the third, D in the last. Without ties, of 150 councils A is ranks 1 to 38, B 39 to 75, C 76 to 113 and D 114 to 150.';

/** How the intervals are worked out, in words. */
export const INTERVAL_NOTE =
  'Each interval is the 95% Wilson score interval of the share: with few letters it is wide, and two shares whose intervals overlap may not differ at all.';

/** What a ranking asks for: the shared filters, and optionally one theme or one council. */
export interface RankingParams {
  filters: Filters;
  /** One theme's ranking; every theme's when unset. */
  theme?: string;
  /**
   * Only this council's rows (ranked among every council all the same): its key, the ONS code,
   * or the name for a council the reference list does not know ({@link RankingRow.council_key}).
   */
  councilKey?: string;
}

/** One council on one theme: its share of letters raising the theme, rank and quartile band. */
export interface RankingRow {
  theme_id: string;
  theme_label: string;
  /** The ONS code, or the council's name when the reference list does not know it. */
  council_key: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  la_type: string | null;
  /** The council's letters under the filters: the n behind the share. */
  letters: number;
  /** Of those, the letters with a finding on the theme as a weakness. */
  letters_with_theme: number;
  /** `letters_with_theme / letters`. */
  share: number;
  /** 1 = the largest share; tied councils share the best of their places. */
  rank: number;
  /** Councils ranked: every council with a letter under the filters. */
  councils_ranked: number;
  /** Councils with a share as large as this one's or larger, this one included. */
  at_or_above: number;
  quartile: Quartile;
}

/** A {@link RankingRow} with the 95% Wilson interval of its share. */
export interface RankedCouncil extends RankingRow {
  low: number;
  high: number;
  /** Fewer than {@link FEW_LETTERS} letters. */
  few: boolean;
}

/** A share's 95% Wilson interval (src/lib/wilson.ts); 0 to 1 when there is no letter. */
export function intervalOf(successes: number, n: number): { low: number; high: number } {
  return wilsonInterval(successes, n) ?? { low: 0, high: 1 };
}

/** Adds each row's Wilson interval and small-n flag. */
export function withIntervals(rows: readonly RankingRow[]): RankedCouncil[] {
  return rows.map((row) => ({
    ...row,
    ...intervalOf(row.letters_with_theme, row.letters),
    few: row.letters < FEW_LETTERS,
  }));
}

/**
 * A council's name as it stands in a link (`?view=council&council=north-yorkshire`): lower case,
 * accents dropped, every run of other characters a hyphen. The profile also takes the council's
 * ONS code (`E10000023`) or DfE number (`815`) there.
 */
export function councilSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The SQL expression of a council's key from a row of letters (or facts) aliased `alias`. */
export function councilKeySql(alias: string): SqlQuery {
  return sql`coalesce(${identifier(`${alias}.la_code`)}, ${identifier(`${alias}.council_name`)})`;
}

/**
 * Every council with a letter under the filters, ranked on each theme (or one) by the share of
 * its letters with at least one finding on the theme as a weakness (development or priority
 * action), with its rank, the number ranked and its quartile band ({@link RANK_RULE}). A council
 * is its ONS code, or its name when the reference list does not know it. Councils without a
 * letter are not ranked.
 */
export function buildThemeRankingSql(params: RankingParams): SqlQuery {
  const themeConditions = params.theme ? [sql`t.theme_id = ${params.theme}`] : [];
  const factConditions = [
    sql`x.section IN ${[...WEAKNESS_SECTIONS]}`,
    ...(params.theme ? [sql`x.theme_id = ${params.theme}`] : []),
    ...letterFieldConditions(params.filters, 'x'),
  ];
  const councilConditions = params.councilKey ? [sql`r.council_key = ${params.councilKey}`] : [];
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    council_letters AS (
      SELECT ${councilKeySql('l')} AS council_key,
        min(l.council_name) AS council_name, min(l.la_code) AS la_code,
        min(l.dfe_la_code) AS dfe_la_code, min(l.region) AS region, min(l.la_type) AS la_type,
        count(*)::INTEGER AS letters
      FROM filtered_letters AS l
      GROUP BY council_key
    ),
    hits AS (
      SELECT ${councilKeySql('x')} AS council_key, x.theme_id,
        count(DISTINCT x.letter_id)::INTEGER AS letters_with_theme
      FROM ${identifier(LETTER_THEME_FACTS)} AS x
      ${whereSql(factConditions)}
      GROUP BY ALL
    ),
    shares AS (
      SELECT t.theme_id, t.label AS theme_label, c.*,
        coalesce(h.letters_with_theme, 0)::INTEGER AS letters_with_theme,
        (coalesce(h.letters_with_theme, 0) / c.letters)::DOUBLE AS share
      FROM council_letters AS c
      CROSS JOIN themes AS t
      LEFT JOIN hits AS h ON h.council_key = c.council_key AND h.theme_id = t.theme_id
      ${whereSql(themeConditions)}
    ),
    ranked AS (
      SELECT s.*,
        rank() OVER (PARTITION BY s.theme_id ORDER BY s.share DESC)::INTEGER AS rank,
        count(*) OVER (PARTITION BY s.theme_id)::INTEGER AS councils_ranked,
        count(*) OVER (
          PARTITION BY s.theme_id ORDER BY s.share DESC
          RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        )::INTEGER AS at_or_above
      FROM shares AS s
    )
    SELECT r.theme_id, r.theme_label, r.council_key, r.council_name, r.la_code, r.dfe_la_code,
      r.region, r.la_type, r.letters, r.letters_with_theme, r.share, r.rank, r.councils_ranked,
      r.at_or_above,
      -- The middle of the tie's places as a fraction of those ranked is
      -- (rank - 1 + at_or_above) / 2 / councils_ranked; compared with 1/4, 1/2 and 3/4 in integers.
      CASE
        WHEN 2 * (r.rank - 1 + r.at_or_above) <= r.councils_ranked THEN 'A'
        WHEN r.rank - 1 + r.at_or_above <= r.councils_ranked THEN 'B'
        WHEN 2 * (r.rank - 1 + r.at_or_above) <= 3 * r.councils_ranked THEN 'C'
        ELSE 'D'
      END AS quartile
    FROM ranked AS r
    ${whereSql(councilConditions)}
    ORDER BY r.theme_label, r.theme_id, r.rank, r.council_name, r.council_key`;
}

/** A theme on a finding or in a list. */
export interface ThemeRef {
  theme_id: string;
  label: string;
}

/** What a list of weakness quotes asks for: the council, and optionally one theme. */
export interface WeaknessQuotesParams {
  filters: Filters;
  /** The council's key ({@link RankingRow.council_key}). */
  council: string;
  theme?: string;
}

/** One finding raised as a weakness, with what its provenance line and link are made of. */
export interface WeaknessQuoteRow {
  finding_id: string;
  letter_id: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  document_kind: string;
  letter_date: string | null;
  inspection_start: string;
  reporting_year: string;
  source_file: string;
  added: boolean;
  section: Section;
  /** The finding's number within its section, as a reader counts the list. */
  section_position: number;
  position: number;
  page: number | null;
  text: string;
  previously_identified: boolean;
  /** Its themes, most central first. */
  themes: ThemeRef[];
}

/**
 * The council's findings raised as weaknesses (development or priority action) in its letters
 * under the filters, optionally only those on one theme, in date and letter order.
 */
export function buildWeaknessQuotesSql(params: WeaknessQuotesParams): SqlQuery {
  const themeConditions = params.theme
    ? [
        sql`w.finding_id IN (SELECT finding_id FROM finding_themes WHERE theme_id = ${params.theme})`,
      ]
    : [];
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(params.filters)}),
    mine AS (SELECT * FROM filtered_letters AS l WHERE ${councilKeySql('l')} = ${params.council}),
    weak_findings AS (
      SELECT f.finding_id, f.letter_id, f.section, f.position, f.text, f.page,
        f.previously_identified,
        ${sectionPositionWindowSql('f')} AS section_position
      FROM findings AS f
      WHERE f.letter_id IN (SELECT letter_id FROM mine) AND f.section IN ${[...WEAKNESS_SECTIONS]}
    ),
    themed AS (
      SELECT ft.finding_id,
        list({'theme_id': ft.theme_id, 'label': t.label} ORDER BY ft.rank, ft.theme_id) AS themes
      FROM finding_themes AS ft JOIN themes AS t USING (theme_id)
      WHERE ft.finding_id IN (SELECT finding_id FROM weak_findings)
      GROUP BY ft.finding_id
    )
    SELECT w.finding_id, w.letter_id, m.council_name, m.la_code, m.dfe_la_code, m.region,
      m.document_kind, m.letter_date, m.inspection_start, m.reporting_year, m.source_file,
      m.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added,
      w.section, w.section_position, w.position, w.page, w.text, w.previously_identified,
      coalesce(th.themes, []) AS themes
    FROM weak_findings AS w
    JOIN mine AS m USING (letter_id)
    LEFT JOIN themed AS th USING (finding_id)
    ${whereSql(themeConditions)}
    ORDER BY m.inspection_start, w.letter_id, w.position`;
}
