// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, waitFor } from '@testing-library/react';
import { QueryClient, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import {
  prefetchFilterChange,
  useFilterChangePrefetch,
  useShownSearch,
  useViewFilters,
  viewLagging,
  viewQuery,
} from '@/app/view-filters';
import { navigate, navigateWith, ShownSearchProvider } from '@/app/url-state';
import type { Filters } from '@/lib/filters';
import { cleanPageAfterEach, renderWith } from '../support/render-with-client';

cleanPageAfterEach();

describe('a filter change starts the open view’s queries before the page re-renders', () => {
  it('runs the query once, for the view’s filters as they will be, and the view then reads it', async () => {
    const fetched: Filters[] = [];
    const options = (filters: Filters) => ({
      queryKey: ['probe', filters],
      queryFn: async () => {
        fetched.push(filters);
        return JSON.stringify(filters);
      },
    });
    const rendered: (string | undefined)[] = [];
    function Probe() {
      const filters = useViewFilters();
      useFilterChangePrefetch((next) => [viewQuery(options(next))]);
      rendered.push(useQuery(options(filters)).data);
      return null;
    }
    window.history.replaceState(null, '', '/?view=overview');
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderWith(client, <Probe />);
    await waitFor(() => expect(fetched).toEqual([{}]));

    // The overview has no section filter: it is dropped, as the view itself drops it.
    const next = new URLSearchParams('view=overview&region=London&section=strength');
    act(() => prefetchFilterChange(next));
    expect(fetched).toEqual([{}, { region: 'London' }]);
    act(() => navigate(`?${next}`));
    await waitFor(() => expect(rendered.at(-1)).toBe('{"region":"London"}'));
    // The view found the answer already asked for: no second run.
    expect(fetched).toEqual([{}, { region: 'London' }]);
  });

  it('shows the new filters only with their answers, in one render', async () => {
    const answers = new Map<string, (value: string) => void>();
    const options = (filters: Filters) => ({
      queryKey: ['held', filters],
      queryFn: () =>
        new Promise<string>((resolve) => answers.set(filters.region ?? 'all', resolve)),
    });
    // What each render of the view showed: its region filter, and the answer beside it.
    const renders: string[] = [];
    function Probe() {
      const filters = useViewFilters();
      useFilterChangePrefetch((next) => [viewQuery(options(next))]);
      const query = useQuery(options(filters));
      renders.push(`${filters.region ?? 'all'}: ${query.data ?? '…'}`);
      return null;
    }
    function Shown({ children }: { children: ReactNode }) {
      return <ShownSearchProvider value={useShownSearch()}>{children}</ShownSearchProvider>;
    }
    window.history.replaceState(null, '', '/?view=overview');
    const client = new QueryClient({
      defaultOptions: { queries: { retry: false, staleTime: Infinity } },
    });
    renderWith(
      client,
      <Shown>
        <Probe />
      </Shown>,
    );
    await waitFor(() => expect(answers.has('all')).toBe(true));
    act(() => answers.get('all')!('figures for all'));
    await waitFor(() => expect(renders.at(-1)).toBe('all: figures for all'));

    const next = new URLSearchParams('view=overview&region=London');
    renders.length = 0;
    act(() => {
      prefetchFilterChange(next);
      navigate(`?${next}`);
    });
    // The URL has changed; the view has not, and says it lags until the answer comes.
    expect(window.location.search).toBe('?view=overview&region=London');
    expect(renders.every((r) => r === 'all: figures for all')).toBe(true);
    expect(viewLagging()).toBe(true);
    await act(async () => answers.get('London')!('figures for London'));
    await waitFor(() => expect(viewLagging()).toBe(false));
    // One render with the new filters, and its answer already in it: never London over the old.
    expect(renders.filter((r) => r.startsWith('London'))).toEqual(['London: figures for London']);

    // A change nobody started queries for (a view's own setting) shows at once.
    renders.length = 0;
    act(() => navigateWith({ sort: 'council' }));
    expect(renders.length).toBeGreaterThan(0);
    expect(viewLagging()).toBe(false);
    expect(window.location.search).toBe('?view=overview&region=London&sort=council');
  });
});
