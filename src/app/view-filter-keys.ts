import type { FilterKey } from '@/lib/filters';

/**
 * Which shared filters apply to each view, by the view's id: plain data below both the view
 * registry (src/shell/views.ts) and the filter plumbing (src/app/view-filters.ts), so that neither
 * imports the other and a new view adds no arrow back up.
 */
const LETTER_FILTERS: readonly FilterKey[] = ['year', 'region', 'laType', 'kind', 'source', 'tags'];

const VIEW_FILTERS: Readonly<Record<string, readonly FilterKey[]>> = {
  overview: LETTER_FILTERS,
  'themes-over-time': ['region', 'laType', 'kind', 'source', 'tags'],
  heatmap: LETTER_FILTERS,
  compare: ['year', 'kind', 'source', 'tags'],
  recurrence: LETTER_FILTERS,
  'co-occurrence': LETTER_FILTERS,
  evidence: [...LETTER_FILTERS, 'section'],
  letter: [],
  trainers: LETTER_FILTERS,
  methodology: [],
  'add-letters': [],
  council: ['year', 'kind', 'source', 'tags'],
  ranking: LETTER_FILTERS,
  search: ['year', 'region', 'laType', 'kind', 'source', 'section'],
};

/** The id of the view shown when the URL names none (or one that does not exist). */
export const DEFAULT_VIEW = 'overview';

/** The shared filters that apply to a view; the default view's for an unknown id. */
export function filtersOfView(id: string | null): readonly FilterKey[] {
  const known = id !== null && Object.hasOwn(VIEW_FILTERS, id) ? id : DEFAULT_VIEW;
  return VIEW_FILTERS[known] ?? [];
}
