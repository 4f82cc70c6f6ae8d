import type { QueryClient } from '@tanstack/react-query';

// The benchmark times a filter change to the moment its queries have all answered and the page
// has painted.
/**
 * Mirrors the query client's activity on `<html>`: fetches started (`data-query-fetches`) and
 * running (`data-query-fetching`).
 */
export function trackQueryActivity(client: QueryClient): () => void {
  const html = document.documentElement;
  let started = 0;
  const update = () => {
    html.dataset.queryFetches = String(started);
    html.dataset.queryFetching = String(client.isFetching());
  };
  update();
  return client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'fetch') started++;
    update();
  });
}
