import { useMemo, useSyncExternalStore } from 'react';
import { FILTER_PARAMS, parseFilters, type Filters } from '@/lib/filters';

const NAVIGATE_EVENT = 'app:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

/** The page's query string as live parameters: components re-render when it changes. */
export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(
    subscribe,
    () => window.location.search,
    () => '',
  );
  return useMemo(() => new URLSearchParams(search), [search]);
}

/** The shared filters held in the URL. */
export function useFilters(): Filters {
  const params = useSearchParams();
  return useMemo(() => parseFilters(params), [params]);
}

/** A link target for these parameters, relative to the page so that it works under any path. */
export function hrefFor(params: URLSearchParams): string {
  const search = params.toString();
  return search ? `?${search}` : window.location.pathname;
}

/** Copies `current` with some parameters set and others (given `undefined`) removed. */
export function withParams(
  current: URLSearchParams,
  changes: Record<string, string | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** Parameters for another view: the shared filters carry over, the old view's own state does not. */
export function viewParams(
  view: string,
  current: URLSearchParams,
  extra: Record<string, string | undefined> = {},
): URLSearchParams {
  const next = new URLSearchParams({ view });
  for (const { param } of FILTER_PARAMS) {
    const value = current.get(param);
    if (value) next.set(param, value);
  }
  return withParams(next, extra);
}

/** Moves to `href` (a query string) with a history entry, or replacing the current one. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
