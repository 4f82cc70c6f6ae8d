import type { QueryClient } from '@tanstack/react-query';

/**
 * Mirrors the query client's activity on `<html>`: `data-query-fetches` counts the fetches
 * started so far and `data-query-fetching` those still running. The benchmark times a filter
 * change to the moment its queries have all answered and the page has painted.
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
