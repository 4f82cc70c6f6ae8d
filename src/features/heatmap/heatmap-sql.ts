import { COUNCIL_THEME_FACTS } from '@/lib/derived-tables';
import { cellConditions, filteredLettersSql, type Filters } from '@/lib/filters';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** One council and theme: how many of its findings on the theme are weaknesses and strengths. */
export interface HeatmapCellRow {
  council_name: string;
  region: string | null;
  letters: number;
  theme_id: string;
  theme_label: string;
  group_label: string;
  weakness_findings: number;
  strength_findings: number;
}

/**
 * Every council with a filtered letter against every theme (zeros included), counting weakness
 * findings (development or priority action) and strength findings separately.
 */
export function buildHeatmapSql(filters: Filters): SqlQuery {
  return sql`
    WITH filtered_letters AS (${filteredLettersSql(filters)}),
    councils_in AS (
      SELECT council_name, any_value(region) AS region, count(*)::INTEGER AS letters
      FROM filtered_letters GROUP BY council_name
    ),
    cells AS (
      SELECT x.council_name, x.theme_id,
        sum(x.weakness_findings)::INTEGER AS weakness_findings,
        sum(x.strength_findings)::INTEGER AS strength_findings
      FROM ${identifier(COUNCIL_THEME_FACTS)} AS x
      ${whereSql(cellConditions(filters, 'x'))}
      GROUP BY x.council_name, x.theme_id
    )
    SELECT ci.council_name, ci.region, ci.letters,
      t.theme_id, t.label AS theme_label, t.group_label,
      coalesce(cells.weakness_findings, 0)::INTEGER AS weakness_findings,
      coalesce(cells.strength_findings, 0)::INTEGER AS strength_findings
    FROM councils_in AS ci
    CROSS JOIN themes AS t
    LEFT JOIN cells ON cells.council_name = ci.council_name AND cells.theme_id = t.theme_id
    ORDER BY ci.council_name, t.theme_id`;
}
