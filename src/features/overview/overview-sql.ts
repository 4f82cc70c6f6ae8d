import { COUNCIL_THEME_FACTS } from '@/lib/derived-tables';
import { cellConditions, councilConditions, filteredLettersSql, type Filters } from '@/lib/filters';
import { identifier } from '@/lib/sql';
import { rowAsStructSql, rowsAsListSql, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** The headline figures for the filtered letters. */
export interface OverviewSummaryRow {
  letters: number;
  findings: number;
  councils_covered: number;
  councils_total: number;
  reporting_years: string[];
  letters_with_priority: number;
  priority_share: number | null;
}

/** Letters, findings, councils covered out of those in scope, years, and the priority-action share. */
export function buildOverviewSummarySql(filters: Filters): SqlQuery {
  // One pass over the filtered letters. Each letter's finding_count (the contract's count of its
  // findings) spares a join of every finding.
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)})
    SELECT
      count(*)::INTEGER AS letters,
      coalesce(sum(finding_count), 0)::INTEGER AS findings,
      count(DISTINCT la_code)::INTEGER AS councils_covered,
      (SELECT count(*) FROM councils AS c ${whereSql(councilConditions(filters))})::INTEGER AS councils_total,
      coalesce(list(DISTINCT reporting_year ORDER BY reporting_year), []) AS reporting_years,
      count(*) FILTER (WHERE has_priority_actions)::INTEGER AS letters_with_priority,
      avg(CASE WHEN has_priority_actions THEN 1.0 ELSE 0.0 END)::DOUBLE AS priority_share
    FROM filtered_letters`;
}

/** One theme's prevalence as a weakness across the filtered inspections. */
export interface WeaknessThemeRow {
  theme_id: string;
  label: string;
  group_label: string;
  letters_with_theme: number;
  letters_with_priority_theme: number;
  letters_total: number;
  share: number;
}

/**
 * Every theme with the share of filtered inspections that raised it at least once under
 * development or priority action, most frequent first.
 */
export function buildWeaknessThemesSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)}),
    weak AS (
      SELECT x.theme_id, sum(x.weakness_letters) AS letters,
        sum(x.priority_letters) AS priority_letters
      FROM ${identifier(COUNCIL_THEME_FACTS)} AS x
      ${whereSql(cellConditions(filters, 'x'))}
      GROUP BY x.theme_id
    ),
    total AS (SELECT count(*)::INTEGER AS n FROM filtered_letters)
    SELECT t.theme_id, t.label, t.group_label,
      coalesce(w.letters, 0)::INTEGER AS letters_with_theme,
      coalesce(w.priority_letters, 0)::INTEGER AS letters_with_priority_theme,
      total.n AS letters_total,
      coalesce(w.letters / nullif(total.n, 0), 0)::DOUBLE AS share
    FROM themes AS t CROSS JOIN total
    LEFT JOIN weak AS w ON w.theme_id = t.theme_id
    ORDER BY share DESC, t.label`;
}

/** Inspections with and without priority actions in one reporting year. */
export interface PriorityByYearRow {
  reporting_year: string;
  letters: number;
  letters_with_priority: number;
  share: number;
}

/** The share of filtered inspections with priority actions, by reporting year. */
export function buildPriorityByYearSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)})
    SELECT reporting_year,
      count(*)::INTEGER AS letters,
      count(*) FILTER (WHERE has_priority_actions)::INTEGER AS letters_with_priority,
      avg(CASE WHEN has_priority_actions THEN 1.0 ELSE 0.0 END)::DOUBLE AS share
    FROM filtered_letters
    GROUP BY reporting_year
    ORDER BY reporting_year`;
}

/** One council in scope and the letters held for it. */
export interface CoverageRow {
  council_name: string;
  la_code: string;
  region: string;
  la_type: string;
  letters: number;
  latest_inspection: string | null;
}

/** Every council in scope (region and type filters) with how many filtered letters it has. */
export function buildCoverageSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)})
    SELECT c.council_name, c.la_code, c.region, c.la_type,
      count(l.letter_id)::INTEGER AS letters,
      max(l.inspection_start) AS latest_inspection
    FROM councils AS c
    LEFT JOIN filtered_letters AS l ON l.la_code = c.la_code
    ${whereSql(councilConditions(filters))}
    GROUP BY c.council_name, c.la_code, c.region, c.la_type
    ORDER BY c.region, c.council_name`;
}

/** How many of a region's councils have at least one filtered letter. */
export interface CoverageByRegionRow {
  region: string;
  councils: number;
  covered: number;
  not_covered: number;
}

/** Councils with and without a letter, by region. */
export function buildCoverageByRegionSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)}),
    covered AS (SELECT DISTINCT la_code FROM filtered_letters WHERE la_code IS NOT NULL)
    SELECT c.region,
      count(*)::INTEGER AS councils,
      count(covered.la_code)::INTEGER AS covered,
      (count(*) - count(covered.la_code))::INTEGER AS not_covered
    FROM councils AS c
    LEFT JOIN covered ON covered.la_code = c.la_code
    ${whereSql(councilConditions(filters))}
    GROUP BY c.region
    ORDER BY c.region`;
}

/** The overview's five answers together: what {@link buildOverviewSql} returns, in one row. */
export interface OverviewRow {
  summary: OverviewSummaryRow;
  weakness_themes: WeaknessThemeRow[];
  priority_by_year: PriorityByYearRow[];
  coverage: CoverageRow[];
  coverage_by_region: CoverageByRegionRow[];
}

/**
 * The overview's five queries as one statement returning one row: a filter change then costs the
 * engine one round trip and the page one render instead of five. Each part is its own builder,
 * which the precompute and the tests also run alone.
 */
export function buildOverviewSql(filters: Filters): SqlQuery {
  return sql`
    SELECT
      ${rowAsStructSql(buildOverviewSummarySql(filters))} AS summary,
      ${rowsAsListSql(buildWeaknessThemesSql(filters))} AS weakness_themes,
      ${rowsAsListSql(buildPriorityByYearSql(filters))} AS priority_by_year,
      ${rowsAsListSql(buildCoverageSql(filters))} AS coverage,
      ${rowsAsListSql(buildCoverageByRegionSql(filters))} AS coverage_by_region`;
}
