import {
  buildSearchIndex,
  search,
  type QueryError,
  type SearchIndex,
  type TextSpan,
} from '@/core/search/index';
import { parseQuery } from '@/core/search/query';
import { SIMILAR_LIMIT, similarFindings } from '@/core/search/similar';
import { lemmaOf } from '@/core/search/lemma';
import { fold, forEachWord } from '@/core/search/text';
import { sectionsOf, type Filters } from '@/lib/filters';
import type { SearchFindingRow } from './search-rows';

/**
 * Search over the findings' rows: what the search worker (src/lib/search/search-worker.ts) and,
 * should the worker fail, the page itself compute, and what the Node tests check. Plain data in
 * and out, so that answers cross to the page as they are.
 */

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

/** A finding like another: its row, the cosine similarity (0 to 1) and the words they share. */
export interface SimilarMatch {
  row: SearchFindingRow;
  score: number;
  /** The dictionary forms both use, those adding most to the score first. */
  shared: string[];
  /** Where the shared words are in the match's text, to mark them. */
  spans: TextSpan[];
}

/** What "findings like this" gives: the finding itself and those most like it, best first. */
export type SimilarOutcome =
  { found: false } | { found: true; finding: SearchFindingRow; matches: SimilarMatch[] };

/**
 * The `limit` findings most like `findingId` among every finding (TF-IDF cosine over dictionary
 * forms, src/core/search/similar.ts), whatever the filters: similarity is a property of the
 * texts, not of a selection.
 */
export function similarTo(
  found: FindingsIndex,
  findingId: string,
  limit = SIMILAR_LIMIT,
): SimilarOutcome {
  const number = numberOf(found, findingId);
  if (number === undefined) return { found: false };
  return {
    found: true,
    finding: found.rows[number]!,
    matches: similarFindings(found.index, number, limit).map((s) => ({
      row: found.rows[s.finding]!,
      score: s.score,
      shared: s.shared,
      spans: spansOfLemmas(found.rows[s.finding]!.text, new Set(s.shared)),
    })),
  };
}

/** The spans of the words of `text` whose dictionary form is one of `lemmas`. */
export function spansOfLemmas(text: string, lemmas: ReadonlySet<string>): TextSpan[] {
  const spans: TextSpan[] = [];
  forEachWord(text, (start, end) => {
    if (lemmas.has(lemmaOf(fold(text.slice(start, end))))) spans.push([start, end]);
  });
  return spans;
}

const numbers = new WeakMap<FindingsIndex, Map<string, number>>();

/** A finding's number in the index, by its id. */
function numberOf(found: FindingsIndex, findingId: string): number | undefined {
  let byId = numbers.get(found);
  if (!byId) {
    byId = new Map(found.rows.map((r, i) => [r.finding_id, i]));
    numbers.set(found, byId);
  }
  return byId.get(findingId);
}
