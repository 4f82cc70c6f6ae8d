import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  keepPreviousData,
  useQueryClient,
  type FetchQueryOptions,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { parseFilters, pickFilters, type Filters } from '@/lib/filters';
import { useFilters, useLiveSearch, useSearchParams } from '@/app/url-state';
import { filtersOfView } from '@/app/view-filter-keys';

/** The shared filters that apply to the current view (the rest stay in the URL, unused). */
export function useViewFilters(): Filters {
  const params = useSearchParams();
  const filters = useFilters();
  const keys = filtersOfView(params.get('view'));
  return useMemo(() => pickFilters(filters, keys), [filters, keys]);
}

/**
 * Starts a view's queries for the filters a change is about to set, or (`prepared`) for filters
 * one change away that nobody waits for yet; settles when they have answered.
 */
type FilterPrefetch = (next: URLSearchParams, prepared: boolean) => Promise<unknown>;

const prefetches = new Set<FilterPrefetch>();

/** The last filter change whose queries were started: its query string, and when they settle. */
let pendingChange: { search: string; settled: Promise<unknown> } | null = null;

/** A query string as `window.location.search` gives it. */
function searchOf(params: URLSearchParams): string {
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * Starts the open view's queries for the URL parameters a filter change is about to set, before
 * the page re-renders: the engine answers while the page renders the change, instead of after.
 * The view then goes on showing what it showed until they have answered ({@link useShownSearch}).
 */
export function prefetchFilterChange(next: URLSearchParams): void {
  if (prefetches.size === 0) return;
  const started = [...prefetches].map((prefetch) => prefetch(next, false));
  const change = { search: searchOf(next), settled: Promise.allSettled(started) };
  pendingChange = change;
  // Once answered it is nothing to wait for: a later visit to the same URL shows at once.
  void change.settled.then(() => {
    if (pendingChange === change) pendingChange = null;
  });
}

/**
 * Starts the open view's queries for some URL parameters without showing them (the page's
 * preparation of the next click, src/app/neighbour-prefetch.ts); settles when they have answered.
 * Null when no view has said what its queries are.
 */
export function startViewQueries(next: URLSearchParams): Promise<unknown> | null {
  if (prefetches.size === 0) return null;
  return Promise.allSettled([...prefetches].map((prefetch) => prefetch(next, true)));
}

/** Whether a view is showing parameters other than the URL's; read by the activity tracker. */
let lagging = false;
const laggingListeners = new Set<() => void>();

/** Whether the open view still shows the parameters before a filter change (its answers due). */
export function viewLagging(): boolean {
  return lagging;
}

/** Calls `listener` whenever {@link viewLagging} changes; returns the unsubscribe. */
export function onViewLagging(listener: () => void): () => void {
  laggingListeners.add(listener);
  return () => void laggingListeners.delete(listener);
}

function setLagging(value: boolean): void {
  if (lagging === value) return;
  lagging = value;
  for (const listener of laggingListeners) listener();
}

/**
 * The query string the open view should show ({@link ShownSearchProvider}): the URL's, except
 * after a filter change whose queries {@link prefetchFilterChange} started, until they have
 * answered. The view then renders once, with the new filters and their figures together,
 * instead of once with the new filters over the old figures and again when the new ones come.
 * Any other change (another view, a view's own setting, the browser's back button) shows at once.
 */
export function useShownSearch(): string {
  const live = useLiveSearch();
  const [shown, setShown] = useState(live);
  const awaited = shown !== live && pendingChange?.search === live ? pendingChange.settled : null;
  // Nothing to wait for: show the URL as it is, in this same render.
  if (shown !== live && !awaited) setShown(live);
  useEffect(() => {
    if (!awaited) return;
    let current = true;
    void awaited.then(() => {
      if (current) setShown(live);
    });
    return () => {
      current = false;
    };
  }, [awaited, live]);
  useLayoutEffect(() => setLagging(shown !== live), [shown, live]);
  useEffect(() => () => setLagging(false), []);
  return shown;
}

/** One of a view's queries as {@link useFilterChangePrefetch} takes it ({@link viewQuery}). */
export interface ViewQuery {
  /**
   * Starts the query in react-query's cache, as the view's hook would; settles when it has.
   * `prepared`: started ahead of any click ({@link startViewQueries}), so marked
   * {@link PREPARED_META} until a view asks for it.
   */
  start: (client: QueryClient, prepared: boolean) => Promise<void>;
}

/**
 * The `meta` of a query the page started ahead of a click: its fetch is background work, which
 * does not mark the view busy (src/app/query-activity.ts). A view that then asks for the query
 * sets its own options, and so its own meta, on it.
 */
export const PREPARED_META = { prepared: true } as const;

/** Whether a query's meta marks it as started ahead of a click ({@link PREPARED_META}). */
export function isPrepared(meta: Record<string, unknown> | undefined): boolean {
  return meta?.prepared === true;
}

/** A view's query options as a {@link ViewQuery}. */
export function viewQuery<Data, Err, Selected, Key extends QueryKey>(
  options: FetchQueryOptions<Data, Err, Selected, Key>,
): ViewQuery {
  return {
    start: (client, prepared) =>
      client.prefetchQuery(
        prepared ? { ...options, meta: { ...options.meta, ...PREPARED_META } } : options,
      ),
  };
}

/**
 * `placeholderData` for a chart view's queries: a filter change keeps the figures on screen until
 * the new ones come, instead of a loading state that tears the charts down and builds them again.
 */
export const keepFiguresOnChange = keepPreviousData;

/**
 * Lets the filter bar start this view's queries as soon as a filter changes. `optionsFor` gives
 * the queries the view runs for some filters (with its other settings as they are), each made by
 * {@link viewQuery} from its query options.
 */
export function useFilterChangePrefetch(
  optionsFor: (filters: Filters) => readonly ViewQuery[],
): void {
  const client = useQueryClient();
  const latest = useRef(optionsFor);
  useLayoutEffect(() => {
    latest.current = optionsFor;
  });
  useEffect(() => {
    const prefetch: FilterPrefetch = (next, prepared) => {
      const nextKeys = filtersOfView(next.get('view'));
      const queries = latest.current(pickFilters(parseFilters(next), nextKeys));
      return Promise.all(queries.map((query) => query.start(client, prepared)));
    };
    prefetches.add(prefetch);
    return () => {
      prefetches.delete(prefetch);
    };
  }, [client]);
}
