import { joinSql, sql, type SqlQuery } from '@/lib/sql';

/** The reporting years (April to March) of the inspection programme the dashboard covers. */
export const PROGRAMME_YEARS: readonly string[] = ['2009-10', '2010-11', '2011-12'];

/** Statistical neighbours per council in DfE's model, before mapping back onto 2009-12. */
export const NEIGHBOURS_PER_COUNCIL = 10;

/** File-name prefix and inspector name that the benchmark generator gives every synthetic letter. */
export const SYNTHETIC_MARKERS = { filePrefix: 'synthetic-', inspector: 'Synthetic Inspector' };

/** One theme of the taxonomy, with how many findings carry it. */
export interface TaxonomyRow {
  theme_id: string;
  label: string;
  group_label: string;
  description: string;
  taxonomy_version: string;
  findings_tagged: number;
  /** Findings on which this is the most central theme. */
  findings_central: number;
}

/**
 * Every theme of the taxonomy in the file's order (the table keeps the file's rows), with its
 * use; a reader's own saved themes (`user_defined`) are not the taxonomy and are left out.
 */
export function buildTaxonomySql(): SqlQuery {
  return sql`
    SELECT t.theme_id, t.label, t.group_label, t.description, t.taxonomy_version,
      count(ft.finding_id)::INTEGER AS findings_tagged,
      count(ft.finding_id) FILTER (WHERE ft.rank = 1)::INTEGER AS findings_central
    FROM themes AS t
    LEFT JOIN finding_themes AS ft ON ft.theme_id = t.theme_id
    WHERE NOT coalesce(t.user_defined, false)
    GROUP BY t.rowid, t.theme_id, t.label, t.group_label, t.description, t.taxonomy_version
    ORDER BY t.rowid`;
}

/** Letters held in one reporting year. */
export interface YearCount {
  reporting_year: string;
  letters: number;
}

/** The figures behind the caveats, over every letter held (the shared filters do not apply). */
export interface CaveatsRow {
  letters: number;
  findings: number;
  theme_tags: number;
  councils_total: number;
  councils_covered: number;
  /** Letters whose council the reference table does not recognise. */
  letters_unmatched: number;
  council_reports: number;
  years: YearCount[];
  /** Programme years without a letter. */
  missing_years: string[];
  first_inspection: string | null;
  last_inspection: string | null;
  /** Councils left with fewer than {@link NEIGHBOURS_PER_COUNCIL} neighbours after mapping. */
  councils_short_neighbours: number;
  synthetic_letters: number;
  /** Findings no cue phrase matched, which carry only the default theme. */
  findings_default_theme: number;
  previously_identified: number;
}

/** Coverage, tagging and provenance figures for the methodology's caveats. */
export function buildCaveatsSql(): SqlQuery {
  const programme = joinSql(
    PROGRAMME_YEARS.map((year) => sql`(${year})`),
    ', ',
  );
  const syntheticFiles = `${SYNTHETIC_MARKERS.filePrefix}%`;
  return sql`
    SELECT
      (SELECT count(*) FROM letters)::INTEGER AS letters,
      (SELECT count(*) FROM findings)::INTEGER AS findings,
      (SELECT count(*) FROM finding_themes)::INTEGER AS theme_tags,
      (SELECT count(*) FROM councils)::INTEGER AS councils_total,
      (SELECT count(DISTINCT l.la_code) FROM letters AS l
        JOIN councils AS c ON c.la_code = l.la_code)::INTEGER AS councils_covered,
      (SELECT count(*) FROM letters WHERE la_code IS NULL)::INTEGER AS letters_unmatched,
      (SELECT count(*) FROM letters WHERE document_kind = 'council_report')::INTEGER
        AS council_reports,
      (SELECT coalesce(list({'reporting_year': reporting_year, 'letters': n}
          ORDER BY reporting_year), [])
        FROM (SELECT reporting_year, count(*)::INTEGER AS n FROM letters GROUP BY reporting_year))
        AS years,
      (SELECT coalesce(list(y ORDER BY y), [])
        FROM (VALUES ${programme}) AS programme(y)
        WHERE y NOT IN (SELECT reporting_year FROM letters WHERE reporting_year IS NOT NULL))
        AS missing_years,
      (SELECT min(inspection_start) FROM letters) AS first_inspection,
      (SELECT max(inspection_start) FROM letters) AS last_inspection,
      (SELECT count(*) FROM councils
        WHERE len(coalesce(stat_neighbours_2021_proxy, [])) < ${NEIGHBOURS_PER_COUNCIL})::INTEGER
        AS councils_short_neighbours,
      (SELECT count(*) FROM letters
        WHERE source_file LIKE ${syntheticFiles}
          OR inspector = ${SYNTHETIC_MARKERS.inspector})::INTEGER AS synthetic_letters,
      (SELECT count(DISTINCT finding_id) FROM finding_themes
        WHERE coalesce(evidence, '') = '')::INTEGER AS findings_default_theme,
      (SELECT count(*) FROM findings WHERE previously_identified)::INTEGER
        AS previously_identified`;
}
