import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import { FILTER_PARAMS, parseFilters, type Filters } from '@/lib/filters';

const NAVIGATE_EVENT = 'app:navigate';

/** Calls `onChange` whenever the page's URL changes (a link, a filter, back or forward). */
export function onUrlChange(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

/**
 * The query string the open view shows, when it lags the URL (src/app/view-filters.ts holds a
 * view on its filters until their answers are in): null outside a view, or when it does not lag.
 */
const ShownSearch = createContext<string | null>(null);

/** Gives the components inside it {@link useSearchParams} as of `value`, not the URL's. */
export const ShownSearchProvider = ShownSearch.Provider;

/** The page's query string as it is now, whatever a view shows: re-renders when it changes. */
export function useLiveSearch(): string {
  return useSyncExternalStore(
    onUrlChange,
    () => window.location.search,
    () => '',
  );
}

/**
 * The page's query string as live parameters (components re-render when it changes), or inside
 * the open view the parameters it shows ({@link ShownSearchProvider}).
 */
export function useSearchParams(): URLSearchParams {
  const shown = useContext(ShownSearch);
  // With a value shown, a URL change alone re-renders nothing: the snapshot stays the same.
  const search = useSyncExternalStore(
    onUrlChange,
    () => shown ?? window.location.search,
    () => shown ?? '',
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

/** Parameters that every view's links carry besides the filters: the saved themes (`mine`). */
const CARRIED_PARAMS: readonly string[] = ['mine'];

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
  // The saved themes (src/app/saved-themes) count in every view: they go along too.
  for (const param of CARRIED_PARAMS) {
    const value = current.get(param);
    if (value !== null) next.set(param, value);
  }
  return withParams(next, extra);
}

/**
 * Moves to the URL's parameters as they are now with some set and others (given `undefined`)
 * removed: for a view's own settings, which must not undo a filter change the view has not shown
 * yet.
 */
export function navigateWith(
  changes: Record<string, string | undefined>,
  options: { replace?: boolean } = {},
): void {
  navigate(hrefFor(withParams(new URLSearchParams(window.location.search), changes)), options);
}

/** Moves to `href` (a query string) with a history entry, or replacing the current one. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
