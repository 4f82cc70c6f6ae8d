import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { parseFilters, pickFilters, type Filters } from '@/lib/filters';
import { useFilters, useSearchParams } from '@/app/url-state';
import { findView } from '@/app/views';

/** The shared filters that apply to the current view (the rest stay in the URL, unused). */
export function useViewFilters(): Filters {
  const params = useSearchParams();
  const filters = useFilters();
  const keys = findView(params.get('view')).filters;
  return useMemo(() => pickFilters(filters, keys), [filters, keys]);
}

/** Starts a view's queries for the filters a change is about to set. */
type FilterPrefetch = (next: URLSearchParams) => void;

const prefetches = new Set<FilterPrefetch>();

/**
 * Starts the open view's queries for the URL parameters a filter change is about to set, before
 * the page re-renders: the engine answers while the page renders the change, instead of after.
 */
export function prefetchFilterChange(next: URLSearchParams): void {
  for (const prefetch of prefetches) prefetch(next);
}

/**
 * Lets the filter bar start this view's queries as soon as a filter changes. `start` gets the
 * view's filters as they will be and the query client; it starts the queries the view will run
 * with them (with its other settings as they are), and nothing the view would not run.
 */
export function useFilterChangePrefetch(
  start: (filters: Filters, client: QueryClient) => void,
): void {
  const client = useQueryClient();
  const latest = useRef(start);
  useLayoutEffect(() => {
    latest.current = start;
  });
  useEffect(() => {
    const prefetch: FilterPrefetch = (next) => {
      const keys = findView(next.get('view')).filters;
      latest.current(pickFilters(parseFilters(next), keys), client);
    };
    prefetches.add(prefetch);
    return () => {
      prefetches.delete(prefetch);
    };
  }, [client]);
}
