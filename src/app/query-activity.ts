import type { QueryClient } from '@tanstack/react-query';
import { isPrepared, onViewLagging, viewLagging } from '@/app/view-filters';
import { subscribeEngineStatus } from '@/lib/duckdb';

/** How long an update runs before the view is dimmed. */
const SLOW_UPDATE_MS = 400;

/**
 * Mirrors the query client's activity on `<html>`: fetches started (`data-query-fetches`) and
 * work under way (`data-query-fetching`: the fetches running, plus one while the open view has
 * yet to show a filter change whose answers it waits for), and on `<main>` as `aria-busy`, with
 * `data-slow` once that has lasted {@link SLOW_UPDATE_MS} with the engine up. Answers the page
 * prepares for a click not yet made do not count: nobody waits for them. The benchmark
 * times a filter change to the moment its queries have all answered, the view shows them and the
 * page has painted.
 *
 * Nothing dims while the engine starts: the figures on screen then are the build's answers to the
 * very questions being asked (the prerendered overview, src/lib/precomputed.ts), which the engine
 * confirms rather than updates, and the status bar says that it is starting.
 */
export function trackQueryActivity(client: QueryClient): () => void {
  const html = document.documentElement;
  let started = 0;
  let slowTimer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    // Answers prepared ahead of a click (src/app/neighbour-prefetch.ts) are not the view's work.
    const fetching =
      client.isFetching({ predicate: (query) => !isPrepared(query.meta) }) +
      (viewLagging() ? 1 : 0);
    html.dataset.queryFetches = String(started);
    html.dataset.queryFetching = String(fetching);
    // Views keep their figures on screen while new ones load: say so to assistive technology.
    const main = document.getElementById('main');
    main?.setAttribute('aria-busy', String(fetching > 0));
    // An update that takes a while dims the view (app.css). Only then are the panels' styles
    // touched, so that a quick update repaints nothing but its figures.
    const engineUp = html.dataset.duckdb === 'ready';
    if (fetching > 0 && engineUp && slowTimer === undefined) {
      slowTimer = setTimeout(() => main?.setAttribute('data-slow', ''), SLOW_UPDATE_MS);
    } else if (fetching === 0 && slowTimer !== undefined) {
      clearTimeout(slowTimer);
      slowTimer = undefined;
      main?.removeAttribute('data-slow');
    }
  };
  update();
  const stopEngine = subscribeEngineStatus(update);
  const stopLagging = onViewLagging(update);
  const stopQueries = client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'fetch') started++;
    update();
  });
  return () => {
    stopEngine();
    stopLagging();
    stopQueries();
  };
}
