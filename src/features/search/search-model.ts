import {
  buildSearchIndex,
  search,
  type QueryError,
  type SearchIndex,
  type TextSpan,
} from '@/core/search/index';
import { parseQuery } from '@/core/search/query';
import { isWordChar } from '@/core/search/text';
import { sectionsOf, type Filters } from '@/lib/filters';
import type { SearchFindingRow } from './search-sql';

/** The findings the search view reads, and the index over their texts (same order). */
export interface FindingsIndex {
  rows: readonly SearchFindingRow[];
  index: SearchIndex;
}

/** The findings listed under the counts. */
export const SEARCH_LIST_LIMIT = 50;

/** Indexes the findings' texts; finding k of the index is `rows[k]`. */
export function indexFindings(rows: readonly SearchFindingRow[]): FindingsIndex {
  return { rows, index: buildSearchIndex(rows) };
}

/** Whether a finding passes the shared filters (the same rules as `src/lib/filters.ts`'s SQL). */
export function passesFilters(row: SearchFindingRow, filters: Filters): boolean {
  if (filters.year && row.reporting_year !== filters.year) return false;
  if (filters.region && row.region !== filters.region) return false;
  if (filters.laType && row.la_type !== filters.laType) return false;
  if (filters.kind && row.document_kind !== filters.kind) return false;
  if (filters.source && row.added !== (filters.source === 'added')) return false;
  if (filters.section && !sectionsOf(filters.section).includes(row.section)) return false;
  return true;
}

/** A count of matching findings for one council, reporting year or section. */
export interface SearchCountRow {
  value: string;
  findings: number;
}

/** A listed match: the finding and the spans of its matched words. */
export interface SearchMatch {
  row: SearchFindingRow;
  spans: TextSpan[];
}

/** What a query finds under the filters, or why it cannot be read. */
export type SearchOutcome =
  | { ok: false; error: QueryError }
  | {
      ok: true;
      total: number;
      /** The first {@link SEARCH_LIST_LIMIT} matches, in date order. */
      matches: SearchMatch[];
      byCouncil: SearchCountRow[];
      byYear: SearchCountRow[];
      bySection: SearchCountRow[];
    };

function countsOf(counts: Map<string, number>, order: 'count' | 'value'): SearchCountRow[] {
  const rows = [...counts].map(([value, findings]) => ({ value, findings }));
  return rows.sort((a, b) =>
    order === 'value'
      ? a.value.localeCompare(b.value)
      : b.findings - a.findings || a.value.localeCompare(b.value),
  );
}

/** Runs `query` over every finding, keeps the matches passing `filters`, and counts them. */
export function runSearch(
  found: FindingsIndex,
  query: string,
  filters: Filters,
  limit = SEARCH_LIST_LIMIT,
): SearchOutcome {
  const parsed = parseQuery(query);
  if (!parsed.ok) return parsed;
  const result = search(found.index, parsed.query);
  const council = new Map<string, number>();
  const year = new Map<string, number>();
  const section = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const matches: SearchMatch[] = [];
  let total = 0;
  for (let k = 0; k < result.findings.length; k++) {
    const row = found.rows[result.findings[k]!]!;
    if (!passesFilters(row, filters)) continue;
    total++;
    bump(council, row.council_name);
    bump(year, row.reporting_year);
    bump(section, row.section);
    if (matches.length < limit) matches.push({ row, spans: result.spans(k) });
  }
  return {
    ok: true,
    total,
    matches,
    byCouncil: countsOf(council, 'count'),
    byYear: countsOf(year, 'value'),
    bySection: countsOf(section, 'count'),
  };
}

/** A piece of a finding's text, marked when it is a run of matched words. */
export interface MarkedSegment {
  text: string;
  marked: boolean;
}

/** Whether matched words with `gap` between them show as one run: a space, a hyphen. */
function joins(gap: string): boolean {
  if (gap.length > 3) return false;
  for (let i = 0; i < gap.length; i++) {
    const code = gap.charCodeAt(i);
    if (code === 10 || code === 13 || isWordChar(code)) return false;
  }
  return true;
}

/** `text` cut into plain and marked pieces, as `markText` marks it, for React text nodes. */
export function markedSegments(text: string, spans: readonly TextSpan[]): MarkedSegment[] {
  const out: MarkedSegment[] = [];
  let last = 0;
  let i = 0;
  while (i < spans.length) {
    const start = spans[i]![0];
    let end = spans[i]![1];
    while (i + 1 < spans.length && joins(text.slice(end, spans[i + 1]![0]))) end = spans[++i]![1];
    if (start > last) out.push({ text: text.slice(last, start), marked: false });
    out.push({ text: text.slice(start, end), marked: true });
    last = end;
    i++;
  }
  if (last < text.length) out.push({ text: text.slice(last), marked: false });
  return out;
}
