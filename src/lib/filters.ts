import { SECTION_HEADINGS, SECTIONS, type Section } from '@/core/schema';
import { ADDED_LETTERS, sureTableSql } from '@/lib/derived-tables';
import { identifier, sql, whereSql, type SqlQuery } from '@/lib/sql';

/** A section filter: one of the contract's sections, or both kinds of weakness together. */
export type SectionFilter = Section | 'weakness';

/** The sections that count as a weakness: what an inspector asked the council to improve. */
export const WEAKNESS_SECTIONS: readonly Section[] = ['development', 'priority_action'];

/** Where a letter came from: the build's bundled files, or added in this browser. */
export type SourceFilter = 'bundled' | 'added';

/**
 * Which theme tags count: `sure` leaves out the tags the tagger marks uncertain (contract 1.2);
 * absent, every tag counts.
 */
export type TagFilter = 'sure';

/** The filters shared by every view, as held in the URL; an absent key means "all". */
export interface Filters {
  year?: string;
  region?: string;
  laType?: string;
  kind?: string;
  section?: SectionFilter;
  source?: SourceFilter;
  tags?: TagFilter;
}

/** The shared filters' keys. */
export type FilterKey = keyof Filters;

/** Each filter's key and its URL parameter, in the order the filter bar shows them. */
export const FILTER_PARAMS: readonly { key: FilterKey; param: string }[] = [
  { key: 'year', param: 'year' },
  { key: 'region', param: 'region' },
  { key: 'laType', param: 'la_type' },
  { key: 'kind', param: 'kind' },
  { key: 'section', param: 'section' },
  { key: 'source', param: 'source' },
  { key: 'tags', param: 'tags' },
];

/** Human labels for section filter values. */
export const SECTION_LABELS: Record<SectionFilter, string> = {
  ...SECTION_HEADINGS,
  weakness: 'Weaknesses (development or priority action)',
};

/** Human labels for source filter values. */
export const SOURCE_LABELS: Record<SourceFilter, string> = {
  bundled: 'Bundled letters',
  added: 'Added by you',
};

function isSectionFilter(value: string): value is SectionFilter {
  return value === 'weakness' || (SECTIONS as readonly string[]).includes(value);
}

/** Reads the shared filters from URL parameters, dropping empty or unknown values. */
export function parseFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const { key, param } of FILTER_PARAMS) {
    const value = params.get(param)?.trim();
    if (!value) continue;
    if (key === 'section') {
      if (isSectionFilter(value)) filters.section = value;
    } else if (key === 'source') {
      if (value === 'bundled' || value === 'added') filters.source = value;
    } else if (key === 'tags') {
      if (value === 'sure') filters.tags = value;
    } else {
      filters[key] = value;
    }
  }
  return filters;
}

/**
 * A builder's query as it runs under the filters: with `tags: 'sure'` it reads the sure twins of
 * the theme tables (src/lib/derived-tables.ts), so that every theme it counts or lists is a tag
 * that is not uncertain; otherwise it is returned as it is. Every query that reads themes runs
 * through this with the filters its key holds, so that the two modes never share an answer.
 */
export function withTagFilter(built: SqlQuery, filters: Filters): SqlQuery {
  if (filters.tags !== 'sure') return built;
  return { sql: sureTableSql(built.sql), params: built.params };
}

/** Keeps only the filters a view uses, so that its query key ignores the others. */
export function pickFilters(filters: Filters, keys: readonly FilterKey[]): Filters {
  const picked: Filters = {};
  for (const key of keys) {
    const value = filters[key];
    if (value !== undefined) Object.assign(picked, { [key]: value });
  }
  return picked;
}

/**
 * A SELECT of the letters that pass the letter-level filters, with each council's `la_type`:
 * every builder starts `WITH filtered_letters AS (...)` from it.
 */
export function filteredLettersSql(filters: Filters): SqlQuery {
  const conditions: SqlQuery[] = [];
  if (filters.year) conditions.push(sql`l.reporting_year = ${filters.year}`);
  if (filters.region) conditions.push(sql`l.region = ${filters.region}`);
  if (filters.laType) conditions.push(sql`c.la_type = ${filters.laType}`);
  if (filters.kind) conditions.push(sql`l.document_kind = ${filters.kind}`);
  if (filters.source) conditions.push(sourceCondition(filters.source, 'l.letter_id'));
  return sql`SELECT l.*, c.la_type FROM letters AS l LEFT JOIN councils AS c ON c.la_code = l.la_code ${whereSql(conditions)}`;
}

/**
 * The letter-level filters as conditions on a table that carries the letter's fields itself
 * (`reporting_year`, `region`, `la_type`, `document_kind`), such as `letter_theme_facts`: the
 * same rows pass as through {@link filteredLettersSql}.
 */
export function letterFieldConditions(filters: Filters, alias: string): SqlQuery[] {
  const column = (name: string) => identifier(`${alias}.${name}`);
  const conditions: SqlQuery[] = [];
  if (filters.year) conditions.push(sql`${column('reporting_year')} = ${filters.year}`);
  if (filters.region) conditions.push(sql`${column('region')} = ${filters.region}`);
  if (filters.laType) conditions.push(sql`${column('la_type')} = ${filters.laType}`);
  if (filters.kind) conditions.push(sql`${column('document_kind')} = ${filters.kind}`);
  if (filters.source) conditions.push(sourceCondition(filters.source, `${alias}.letter_id`));
  return conditions;
}

/**
 * The letter-level filters as conditions on a table of letters grouped by their fields, with an
 * `added` flag for the source, such as `council_theme_facts`: the same letters are counted as
 * through {@link letterFieldConditions}.
 */
export function cellConditions(filters: Filters, alias: string): SqlQuery[] {
  const conditions = letterFieldConditions({ ...filters, source: undefined }, alias);
  if (filters.source) {
    const added = identifier(`${alias}.added`);
    conditions.push(filters.source === 'added' ? sql`${added}` : sql`NOT ${added}`);
  }
  return conditions;
}

/** Whether the letter in `column` was added in this session (`added`) or not (`bundled`). */
function sourceCondition(source: SourceFilter, column: string): SqlQuery {
  const added = sql`(SELECT letter_id FROM ${identifier(ADDED_LETTERS)})`;
  return source === 'added'
    ? sql`${identifier(column)} IN ${added}`
    : sql`${identifier(column)} NOT IN ${added}`;
}

/** Conditions on a councils table (alias `c`) for the filters that describe councils. */
export function councilConditions(filters: Filters): SqlQuery[] {
  const conditions: SqlQuery[] = [];
  if (filters.region) conditions.push(sql`c.region = ${filters.region}`);
  if (filters.laType) conditions.push(sql`c.la_type = ${filters.laType}`);
  return conditions;
}

/** The sections a section filter stands for. */
export function sectionsOf(section: SectionFilter): readonly Section[] {
  return section === 'weakness' ? WEAKNESS_SECTIONS : [section];
}

/** `<column> IN (...)` for the section filter, or nothing when it is unset. */
export function sectionConditions(filters: Filters, column: string): SqlQuery[] {
  if (!filters.section) return [];
  return [sql`${identifier(column)} IN ${[...sectionsOf(filters.section)]}`];
}
