import type { QueryClient } from '@tanstack/react-query';
import { onViewLagging, viewLagging } from '@/app/view-filters';

// The benchmark times a filter change to the moment its queries have all answered, the view
// shows them and the page has painted.
/**
 * Mirrors the query client's activity on `<html>`: fetches started (`data-query-fetches`) and
 * work under way (`data-query-fetching`: the fetches running, plus one while the open view has
 * yet to show a filter change whose answers it waits for), and on `<main>` as `aria-busy`.
 */
export function trackQueryActivity(client: QueryClient): () => void {
  const html = document.documentElement;
  let started = 0;
  const update = () => {
    const fetching = client.isFetching() + (viewLagging() ? 1 : 0);
    html.dataset.queryFetches = String(started);
    html.dataset.queryFetching = String(fetching);
    // Views keep their figures on screen while new ones load: say so to assistive technology
    // (and app.css dims a view whose update takes a while).
    document.getElementById('main')?.setAttribute('aria-busy', String(fetching > 0));
  };
  update();
  const stopLagging = onViewLagging(update);
  const stopQueries = client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'fetch') started++;
    update();
  });
  return () => {
    stopLagging();
    stopQueries();
  };
}
