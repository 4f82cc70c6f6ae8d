// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, waitFor } from '@testing-library/react';
import { QueryClient, useQuery } from '@tanstack/react-query';
import {
  neighbourFilters,
  prefetchFilterChange,
  useFilterChangePrefetch,
  useViewFilters,
  viewQuery,
} from '@/app/view-filters';
import { navigate } from '@/app/url-state';
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

  it('prepares ahead the shapes one change away: each filter set, cleared, or changed in shape', () => {
    const keys = ['year', 'region', 'section', 'source'] as const;
    const neighbours = neighbourFilters({ region: 'London', section: 'strength' }, keys);
    expect(neighbours).toEqual([
      { region: 'London', section: 'strength', year: '-' },
      { section: 'strength' },
      { region: 'London' },
      { region: 'London', section: 'weakness' },
      { region: 'London', section: 'strength', source: 'added' },
      { region: 'London', section: 'strength', source: 'bundled' },
    ]);
  });
});
