import { SECTION_HEADINGS, SECTIONS } from '@/core/schema';
import { ADDED_LETTERS } from '@/lib/derived-tables';
import {
  councilConditions,
  filteredLettersSql,
  sectionConditions,
  withTagFilter,
  type Filters,
} from '@/lib/filters';
import { identifier, joinSql, sql, whereSql, type SqlQuery } from '@/lib/sql';

/**
 * The whole data set as the "Download the data" exports give it (a workbook, or a zip of CSV
 * files): one table per file of the data contract, each row with the names a reader needs beside
 * the ids (a finding's council and section, a tag's theme label), narrowed to the letters the
 * shared filters select when asked.
 */

/** The tables of a data set export, in the order the workbook's sheets and the zip's files come. */
export const DATASET_TABLES = [
  'letters',
  'findings',
  'finding_themes',
  'themes',
  'councils',
] as const;

/** One table of a data set export. */
export type DatasetTable = (typeof DATASET_TABLES)[number];

/** What each table holds, one line each, for the workbook's About sheet and the zip's README. */
export const DATASET_TABLE_NOTES: Record<DatasetTable, string> = {
  letters:
    "One row per letter: its council's name, ONS and DfE codes, region and type, dates, inspector, counts and full text.",
  findings:
    "One row per finding: its letter, council, region and reporting year, its section (code and the letter's heading), its number in the letter, text and page.",
  finding_themes:
    'One row per finding and theme: the finding, its council and section, the theme (id and label), its rank, the words that placed it there, how sure the tagger was (confidence, uncertain) and where the tag comes from (source).',
  themes:
    'The taxonomy: each theme with its label, group, what it covers and the taxonomy version.',
  councils:
    'Every English council with children’s services in 2009-12 (those of the region and type filtered on, if any): names, codes, type, region, its statistical neighbours (DfE numbers and names) and how many of its letters the export holds.',
};

/** One row of the `letters` table of an export. */
export interface ExportLetterRow {
  letter_id: string;
  council_name: string;
  la_code: string | null;
  dfe_la_code: number | null;
  region: string | null;
  la_type: string | null;
  document_kind: string;
  letter_date: string | null;
  inspection_start: string;
  inspection_end: string;
  inspection_year: number;
  reporting_year: string;
  inspector: string | null;
  has_priority_actions: boolean;
  finding_count: number;
  source_file: string;
  parse_warnings: string | null;
  added_in_browser: boolean;
  source_text: string;
}

/** One row of the `findings` table of an export. */
export interface ExportFindingRow {
  finding_id: string;
  letter_id: string;
  council_name: string;
  la_code: string | null;
  region: string | null;
  reporting_year: string;
  position: number;
  section: string;
  section_heading: string;
  text: string;
  previously_identified: boolean;
  page: number | null;
  finding_key: string | null;
}

/** One row of the `finding_themes` table of an export. */
export interface ExportFindingThemeRow {
  finding_id: string;
  letter_id: string;
  council_name: string;
  section: string;
  theme_id: string;
  theme_label: string | null;
  rank: number;
  evidence: string;
  confidence: number | null;
  uncertain: boolean | null;
  source: string | null;
}

/** One row of the `themes` table of an export. */
export interface ExportThemeRow {
  theme_id: string;
  label: string;
  group_label: string;
  description: string;
  taxonomy_version: string;
}

/** One row of the `councils` table of an export. */
export interface ExportCouncilRow {
  la_code: string;
  dfe_la_code: number;
  council_name: string;
  la_type: string;
  region: string;
  stat_neighbours_2021_proxy: string;
  stat_neighbour_names: string;
  letters: number;
}

/** The rows of every table of a data set export. */
export interface DatasetRows {
  letters: ExportLetterRow[];
  findings: ExportFindingRow[];
  finding_themes: ExportFindingThemeRow[];
  themes: ExportThemeRow[];
  councils: ExportCouncilRow[];
}

/** Each table's columns in order: the workbook's and the CSV files' header rows. */
export const DATASET_COLUMNS: {
  [T in DatasetTable]: readonly (keyof DatasetRows[T][number] & string)[];
} = {
  letters: [
    'letter_id',
    'council_name',
    'la_code',
    'dfe_la_code',
    'region',
    'la_type',
    'document_kind',
    'letter_date',
    'inspection_start',
    'inspection_end',
    'inspection_year',
    'reporting_year',
    'inspector',
    'has_priority_actions',
    'finding_count',
    'source_file',
    'parse_warnings',
    'added_in_browser',
    'source_text',
  ],
  findings: [
    'finding_id',
    'letter_id',
    'council_name',
    'la_code',
    'region',
    'reporting_year',
    'position',
    'section',
    'section_heading',
    'text',
    'previously_identified',
    'page',
    'finding_key',
  ],
  finding_themes: [
    'finding_id',
    'letter_id',
    'council_name',
    'section',
    'theme_id',
    'theme_label',
    'rank',
    'evidence',
    'confidence',
    'uncertain',
    'source',
  ],
  themes: ['theme_id', 'label', 'group_label', 'description', 'taxonomy_version'],
  councils: [
    'la_code',
    'dfe_la_code',
    'council_name',
    'la_type',
    'region',
    'stat_neighbours_2021_proxy',
    'stat_neighbour_names',
    'letters',
  ],
};

/** The columns holding dates (ISO `YYYY-MM-DD` in the rows): dates in the workbook. */
export const DATE_COLUMNS: ReadonlySet<string> = new Set([
  'letter_date',
  'inspection_start',
  'inspection_end',
]);

/** `WITH fl AS (the letters the filters select), ff AS (their findings in the section filter)`. */
function scopeSql(filters: Filters): SqlQuery {
  const sections = sectionConditions(filters, 'f.section');
  const inSection = sections.length ? sql` AND ${joinSql(sections, ' AND ')}` : sql``;
  return sql`WITH fl AS (${filteredLettersSql(filters)}),
    ff AS (SELECT f.* FROM findings AS f
      WHERE f.letter_id IN (SELECT letter_id FROM fl)${inSection})`;
}

/** The letters the filters select, with their councils' type and whether added in this browser. */
export function buildExportLettersSql(filters: Filters): SqlQuery {
  return sql`${scopeSql(filters)}
    SELECT l.letter_id, l.council_name, l.la_code, l.dfe_la_code, l.region, l.la_type,
      l.document_kind, l.letter_date, l.inspection_start, l.inspection_end, l.inspection_year,
      l.reporting_year, l.inspector, l.has_priority_actions, l.finding_count, l.source_file,
      l.parse_warnings, l.letter_id IN (SELECT letter_id FROM ${identifier(ADDED_LETTERS)}) AS added_in_browser,
      l.source_text
    FROM fl AS l
    ORDER BY l.council_name, l.inspection_start, l.letter_id`;
}

/** The section's heading as the letters write it, e.g. `Areas for development`. */
function sectionHeadingSql(column: string): SqlQuery {
  const whens = SECTIONS.map((s) => sql`WHEN ${s} THEN ${SECTION_HEADINGS[s]}`);
  return sql`CASE ${identifier(column)} ${joinSql(whens, ' ')} END`;
}

/** The findings of those letters (in the section filter), with council and section heading. */
export function buildExportFindingsSql(filters: Filters): SqlQuery {
  return sql`${scopeSql(filters)}
    SELECT f.finding_id, f.letter_id, l.council_name, l.la_code, l.region, l.reporting_year,
      f.position, f.section, ${sectionHeadingSql('f.section')} AS section_heading, f.text,
      f.previously_identified, f.page, f.finding_key
    FROM ff AS f JOIN fl AS l ON l.letter_id = f.letter_id
    ORDER BY l.council_name, l.inspection_start, f.letter_id, f.position`;
}

/**
 * The theme tags of those findings, with council, section and theme label; with the tag filter
 * (`tags: 'sure'`), the tags that are not uncertain only.
 */
export function buildExportFindingThemesSql(filters: Filters): SqlQuery {
  return withTagFilter(
    sql`${scopeSql(filters)}
    SELECT t.finding_id, f.letter_id, l.council_name, f.section, t.theme_id,
      th.label AS theme_label, t.rank, t.evidence, t.confidence, t.uncertain, t.source
    FROM finding_themes AS t
    JOIN ff AS f ON f.finding_id = t.finding_id
    JOIN fl AS l ON l.letter_id = f.letter_id
    LEFT JOIN themes AS th ON th.theme_id = t.theme_id
    ORDER BY l.council_name, l.inspection_start, f.letter_id, f.position, t.rank`,
    filters,
  );
}

/** The taxonomy's themes. */
export function buildExportThemesSql(): SqlQuery {
  return sql`SELECT theme_id, label, group_label, description, taxonomy_version
    FROM themes ORDER BY group_label, label`;
}

/**
 * The councils the filters describe (region, type), each with its statistical neighbours' numbers
 * and names and the number of its letters the export holds.
 */
export function buildExportCouncilsSql(filters: Filters): SqlQuery {
  return sql`${scopeSql(filters)}
    SELECT c.la_code, c.dfe_la_code, c.council_name, c.la_type, c.region,
      coalesce(array_to_string(c.stat_neighbours_2021_proxy, '; '), '') AS stat_neighbours_2021_proxy,
      coalesce((SELECT string_agg(n.council_name, '; ' ORDER BY list_position(c.stat_neighbours_2021_proxy, n.dfe_la_code))
        FROM councils AS n WHERE list_contains(c.stat_neighbours_2021_proxy, n.dfe_la_code)), '') AS stat_neighbour_names,
      (SELECT count(*) FROM fl WHERE fl.la_code = c.la_code)::INTEGER AS letters
    FROM councils AS c
    ${whereSql(councilConditions(filters))}
    ORDER BY c.council_name`;
}

/** Every table's query for a data set export under `filters` (`{}`: the whole data set). */
export function buildDatasetSql(filters: Filters): Record<DatasetTable, SqlQuery> {
  return {
    letters: buildExportLettersSql(filters),
    findings: buildExportFindingsSql(filters),
    finding_themes: buildExportFindingThemesSql(filters),
    themes: buildExportThemesSql(),
    councils: buildExportCouncilsSql(filters),
  };
}

/** How many letters the shared filters select: the n a chart image states when it has no own. */
export function buildLettersInScopeSql(filters: Filters): SqlQuery {
  return sql`SELECT count(*)::INTEGER AS n FROM (${filteredLettersSql(filters)})`;
}
