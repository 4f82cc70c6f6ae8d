import type { Filters } from '@/lib/filters';
import type { SearchOutcome, SimilarOutcome } from './search-model';

/**
 * What the page asks the search worker (src/lib/search/search-worker.ts), and what it answers:
 * plain data, so that the same questions can be answered in the page when the worker fails.
 */

/** The findings listed as "findings like this" (src/core/search/similar.ts). */
export { SIMILAR_LIMIT } from '@/core/search/similar';

/** A saved theme as the worker tags findings with it: its id and its search. */
export interface ThemeQuery {
  id: string;
  query: string;
}

/** What indexing the findings came to. */
export interface IndexInfo {
  findings: number;
  /** Milliseconds to read the rows and build the index. */
  buildMs: number;
}

/**
 * The saved themes' tags: an Arrow IPC stream of (finding_id, theme_id, theme_order, evidence)
 * rows, one per finding and theme it matches, for the engine to insert as it is; and how many
 * findings each theme matched, in the themes' order.
 */
export interface ThemeTags {
  ipc: Uint8Array;
  counts: number[];
}

/** One question, without its id. */
export type SearchQuestion =
  | { type: 'load'; ipc: Uint8Array }
  | { type: 'search'; query: string; filters: Filters; limit: number }
  | { type: 'similar'; findingId: string; limit: number }
  | { type: 'themes'; themes: ThemeQuery[] };

/** The answer to each kind of question. */
export interface SearchAnswers {
  load: IndexInfo;
  search: SearchOutcome;
  similar: SimilarOutcome;
  themes: ThemeTags;
}

/** A question sent to the worker. */
export type SearchRequest = SearchQuestion & { id: number };

/** The worker's reply to one request. */
export type SearchReply =
  | { id: number; ok: true; value: SearchAnswers[keyof SearchAnswers] }
  | { id: number; ok: false; message: string };
